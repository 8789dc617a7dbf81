"""On PostgreSQL, no list query reads a whole large table: every page of every list endpoint
(first page and a cursor page deep in the list, each sort and filter) is planned on an index.

The SQL is the service functions' own (captured as they run), on a project of 20,000 images,
13,000 annotations and 60,000 predictions beside another project as large, after ANALYZE; each
statement's `EXPLAIN (FORMAT JSON)` must hold no Seq Scan of a large table.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session

from backend.db import LabelClass, Project, User
from backend.services import annotations, images, jobs, predictions

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
        reason="query plans are checked on PostgreSQL (set TEST_DATABASE_URL)",
    ),
]

IMAGES = 20_000  # per project
DETECT_JOBS = 3  # in each project, each with 1 prediction per image
OTHER_JOBS = 5_000  # in the other project: the jobs table is large too
LARGE_TABLES = {"images", "annotations", "predictions", "image_uncertainties", "jobs"}

FILL = [
    """INSERT INTO images (project_id, sha256, rendition_sha256, thumbnail_sha256, file_name,
         format, size_bytes, width, height, pool, state, annotations_version, created_at)
       SELECT p, lpad(to_hex(p * 1000000 + n), 64, '0'), 'r', 't', n || '.png', 'PNG', 1, 64, 64,
         CASE WHEN n % 5 = 0 THEN 'holdout' ELSE 'adapt' END,
         (ARRAY['unlabelled', 'in_progress', 'complete'])[n % 3 + 1], 1, now()
       FROM unnest(ARRAY[:project, :other]) AS p, generate_series(1, :n) AS n""",
    """INSERT INTO annotations (image_id, class_id, x, y, w, h, source, time_spent_ms,
         created_at, updated_at)
       SELECT id, :class_id, 1, 1, 8, 8, 'human', 0, now(), now() - (id || ' s')::interval
       FROM images WHERE state <> 'unlabelled'""",
    """INSERT INTO jobs (project_id, kind, state, params, progress, stage, result, timings,
         created_at)
       SELECT CASE WHEN n <= :detect_jobs THEN :project ELSE :other END,
         CASE WHEN n % 2 = 0 AND n > 2 * :detect_jobs THEN 'adapt' ELSE 'detect' END,
         CASE WHEN n <= 2 * :detect_jobs THEN 'succeeded' ELSE 'failed' END,
         '{}', 1, '', '{}', '{}', now()
       FROM generate_series(1, 2 * :detect_jobs + :other_jobs) AS n""",
    """INSERT INTO predictions (job_id, image_id, class_id, x, y, w, h, score, uncertainty,
         status, stage, created_at)
       SELECT j.id, i.id, :class_id, 1, 1, 8, 8, s.score, 1 - abs(2 * s.score - 1),
         CASE WHEN i.id % 97 = 0 THEN 'rejected' ELSE 'pending' END, 'detect', now()
       FROM jobs j JOIN images i ON i.project_id = j.project_id,
         LATERAL (SELECT ((i.id * 7919 + j.id * 104729) % 1000) / 1000.0 AS score) s
       WHERE j.state = 'succeeded'""",
    """INSERT INTO image_uncertainties (job_id, image_id, uncertainty, num_detections,
         created_at)
       SELECT job_id, image_id, max(uncertainty), count(*), now()
       FROM predictions GROUP BY job_id, image_id""",
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    from support.services import fresh_database_url

    with fresh_database_url(tmp_path_factory.mktemp("plans")) as url:
        engine = create_engine(url)
        yield engine
        engine.dispose()


@pytest.fixture(scope="module")
def filled(engine: Engine) -> dict[str, int]:
    return fill(engine)


def fill(engine: Engine) -> dict[str, int]:
    """The two projects' rows, vacuumed and analyzed; their ids, a detect job's and an image's."""
    with Session(engine) as session:
        user = User(username="planner", password_hash="x")
        project, other = Project(name="large"), Project(name="other")
        session.add_all([user, project, other])
        session.flush()
        label = LabelClass(project_id=project.id, name="thing", color="#000000")
        session.add(label)
        session.flush()
        ids = {"project": project.id, "other": other.id, "class_id": label.id}
        session.commit()
    params = {**ids, "n": IMAGES, "detect_jobs": DETECT_JOBS, "other_jobs": OTHER_JOBS}
    with engine.begin() as db:
        for statement in FILL:
            db.execute(text(statement), params)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as db:
        db.execute(text("VACUUM ANALYZE"))
    with engine.connect() as db:
        ids["job"] = db.scalar(
            text("SELECT max(id) FROM jobs WHERE project_id = :p"), {"p": ids["project"]}
        )
        ids["image"] = db.scalar(
            text("SELECT min(id) FROM images WHERE project_id = :p"), {"p": ids["project"]}
        )
        assert db.scalar(text("SELECT count(*) FROM predictions")) == 2 * DETECT_JOBS * IMAGES
    return ids


def seq_scans(plan: Any) -> list[str]:
    """Tables read by a Seq Scan anywhere in a JSON plan."""
    found = []
    if isinstance(plan, dict):
        if plan.get("Node Type") == "Seq Scan":
            found.append(plan["Relation Name"])
        for value in plan.values():
            found += seq_scans(value)
    elif isinstance(plan, list):
        for value in plan:
            found += seq_scans(value)
    return found


def check_plans(engine: Engine, call: Callable[[Session], Any]) -> Any:
    """Run `call` with a session whose SELECTs are recorded, then EXPLAIN each of them with
    its parameters; fails naming the statement that scans a large table."""
    statements: list[tuple[str, Any]] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    with Session(engine) as session:
        event.listen(engine, "before_cursor_execute", record)
        try:
            result = call(session)
        finally:
            event.remove(engine, "before_cursor_execute", record)
        assert statements, "the call ran no query"
        for statement, parameters in statements:
            plan = session.connection().exec_driver_sql(
                f"EXPLAIN (FORMAT JSON) {statement}", parameters
            )
            tree = plan.scalar()
            tree = json.loads(tree) if isinstance(tree, str) else tree
            scanned = LARGE_TABLES.intersection(seq_scans(tree))
            assert not scanned, f"Seq Scan of {scanned} in:\n{statement}\n{parameters}\n{tree}"
    return result


def first_and_deep_pages(engine: Engine, page: Callable[..., Any]) -> None:
    """The first page, the page after it (by its cursor), and a page deep in the list (the
    cursor of a page at offset 9,000)."""
    first = check_plans(engine, lambda s: page(s, None, 0))
    if first.next_cursor:
        check_plans(engine, lambda s: page(s, first.next_cursor, 0))
    deep = page_at(engine, page, 9_000)
    if deep:
        check_plans(engine, lambda s: page(s, deep, 0))


def page_at(engine: Engine, page: Callable[..., Any], offset: int) -> str | None:
    with Session(engine) as session:
        return page(session, None, offset).next_cursor


IMAGE_FILTERS = [
    {},
    {"pool": "adapt"},
    {"pool": "holdout"},
    {"state": "complete"},
    {"state": "unlabelled"},
    {"pool": "adapt", "state": "complete"},
    {"pool": "holdout", "state": "in_progress"},
    {"annotated": True},
    {"annotated": False},
    {"has_predictions": True},
    {"has_predictions": False, "pool": "holdout"},
]


@pytest.mark.parametrize("filters", IMAGE_FILTERS, ids=lambda f: ",".join(map(str, f.items())))
def test_image_pages_are_index_scans(engine, filled, filters):
    def page(session, cursor, offset):
        return images.list_images(
            session, filled["project"], filters.get("pool"), filters.get("annotated"),
            filters.get("has_predictions"), offset, 100, filters.get("state"), cursor,
        )  # fmt: skip

    first_and_deep_pages(engine, page)


PREDICTION_FILTERS = [
    {},
    {"job": True},
    {"status": "pending"},
    {"status": "rejected"},
    {"min_score": 0.5},
    {"job": True, "min_score": 0.9},
    {"image": True},
    {"job": True, "image": True},
]


@pytest.mark.parametrize("sort", list(predictions.SORTS))
@pytest.mark.parametrize("filters", PREDICTION_FILTERS, ids=lambda f: ",".join(map(str, f.items())))
def test_prediction_pages_are_index_scans(engine, filled, sort, filters):
    def page(session, cursor, offset):
        return predictions.list_predictions(
            session, filled["project"], filled["job"] if filters.get("job") else None,
            filled["image"] if filters.get("image") else None, filters.get("status"),
            filters.get("min_score"), sort, offset, 100, cursor,
        )  # fmt: skip

    first_and_deep_pages(engine, page)


@pytest.mark.parametrize("sort", ["uncertainty", "image"])
def test_review_image_pages_are_index_scans(engine, filled, sort):
    def page(session, cursor, offset):
        return predictions.review_images(
            session, filled["project"], None, sort, offset, 100, cursor
        )

    first_and_deep_pages(engine, page)


@pytest.mark.parametrize("filters", [{}, {"state": "failed"}, {"kind": "adapt"}])
@pytest.mark.parametrize("project", ["project", "other"])
def test_job_pages_are_index_scans(engine, filled, filters, project):
    class Paged:
        def __init__(self, rows_and_cursor):
            self.rows, self.next_cursor = rows_and_cursor

    def page(session, cursor, offset):
        return Paged(
            jobs.list_jobs(
                session, filled[project], filters.get("state"), filters.get("kind"), offset, 50,
                cursor,
            )
        )  # fmt: skip

    first_and_deep_pages(engine, page)


def test_annotation_activity_pages_are_index_scans(engine, filled):
    class Paged:
        def __init__(self, rows_and_cursor):
            self.rows, self.next_cursor = rows_and_cursor

    def page(session, cursor, offset):
        assert offset in (0, 9_000)
        if offset:  # activity pages by cursor only: walk to a deep one
            cursor = None
            for _ in range(9):
                cursor = annotations.activity(session, filled["project"], 1000, cursor)[1]
            return Paged(([], cursor))
        return Paged(annotations.activity(session, filled["project"], 100, cursor))

    first_and_deep_pages(engine, page)
    check_plans(engine, lambda s: annotations.list_for_image(s, filled["image"]))
