"""Deleting a project or an image removes every row that hangs from it, whatever it holds
(annotations, predictions, jobs and tasks, adapted models, metrics, evaluations), and leaves
everything else as it was; and ids are never handed out twice, even after the newest row is
deleted. Through the real API on the test database (SQLite, or TEST_DATABASE_URL's server)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from support.factories import add_images, annotate, create_project, setup_admin
from support.worker_standin import WorkerStandIn, adapt_result, detect_result, evaluate_result

# the tables a project's rows live in, and how to find that project's rows in each
PROJECT_ROWS = {
    "projects": "id = :p",
    "project_members": "project_id = :p",
    "label_classes": "project_id = :p",
    "images": "project_id = :p",
    "annotations": "image_id IN (SELECT id FROM images WHERE project_id = :p)",
    "jobs": "project_id = :p",
    "tasks": "job_id IN (SELECT id FROM jobs WHERE project_id = :p)",
    "models": "project_id = :p",
    "predictions": "job_id IN (SELECT id FROM jobs WHERE project_id = :p)",
    "image_uncertainties": "job_id IN (SELECT id FROM jobs WHERE project_id = :p)",
    "evaluation_images": "job_id IN (SELECT id FROM jobs WHERE project_id = :p)",
    "metrics": "project_id = :p",
    "event_log": "project_id = :p",
    "pr_curves": "project_id = :p",
}


@pytest.fixture
def server(start_api_server):
    return start_api_server()


@pytest.fixture
def database(server) -> Iterator[sa.Engine]:
    engine = sa.create_engine(server.env["DATABASE_URL"])
    yield engine
    engine.dispose()


# logs that outlive what they record: the audit log (the delete itself is recorded) and the
# event log's events of no project (workers)
LOGS = {"alembic_version", "audit_events", "event_log"}


def counts(engine: sa.Engine) -> dict[str, int]:
    """Rows per table of the whole database, logs left out."""
    with engine.connect() as connection:
        return {
            table: connection.scalar(sa.text(f"SELECT count(*) FROM {table}"))
            for table in sa.inspect(engine).get_table_names()
            if table not in LOGS
        }


def rows_of_project(engine: sa.Engine, project_id: int) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table: connection.scalar(
                sa.text(f"SELECT count(*) FROM {table} WHERE {where}"), {"p": project_id}
            )
            for table, where in PROJECT_ROWS.items()
        }


def run_iterate(client, standin: WorkerStandIn, pid: int) -> dict[str, Any]:
    """An iterate job (adapt → detect → evaluate) run to the end by the worker stand-in, the
    evaluate result with per-image matches (evaluation_images rows)."""
    job = client.post(f"/projects/{pid}/jobs", json={"kind": "iterate"})
    assert job.status_code == 201, job.text
    job = job.json()
    adapt_task = job["tasks"][0]["id"]
    spec = standin.start_ok(adapt_task)
    answer = standin.result(adapt_task, spec["attempt_token"], adapt_result(standin))
    assert answer.status_code == 200, answer.text
    tasks = client.get(f"/projects/{pid}/jobs/{job['id']}").json()["tasks"][1:]
    for task in tasks:
        task_spec = standin.start_ok(task["id"])
        if task["kind"] == "detect":
            result = detect_result(task_spec)
        else:
            result = evaluate_result(task_spec)
            result["images"] = [
                {
                    "image_id": image["id"],
                    "detections": [
                        {
                            "class_index": 0,
                            "box": [5.0, 5.0, 20.0, 20.0],
                            "score": 0.9,
                            "match": "tp",
                        },
                        {
                            "class_index": 1,
                            "box": [30.0, 5.0, 9.0, 9.0],
                            "score": 0.4,
                            "match": "fp",
                        },
                    ],
                    "missed": [],
                }
                for image in task_spec["images"]
            ]
        answer = standin.result(task["id"], task_spec["attempt_token"], result)
        assert answer.status_code == 200, answer.text
    done = client.get(f"/projects/{pid}/jobs/{job['id']}").json()
    assert done["state"] == "succeeded", done
    return done


def filled_project(client, standin: WorkerStandIn) -> dict[str, Any]:
    """A project holding everything a project can: annotated adapt and holdout images,
    unlabelled ones with predictions (one accepted into an annotation), a finished iterate job
    with its adapted model, metrics, PR curves and per-image evaluations, and a queued job."""
    project = create_project(client)
    pid, cat = project["id"], project["classes"][0]["id"]
    for image in add_images(client, pid, 2):
        annotate(client, pid, image["id"], cat)
    add_images(client, pid, 2)
    holdout = add_images(client, pid, 1, pool="holdout")[0]
    annotate(client, pid, holdout["id"], cat, [5, 5, 20, 20])
    job = run_iterate(client, standin, pid)
    pending = client.get(
        f"/projects/{pid}/predictions", params={"job_id": job["id"], "sort": "confidence"}
    ).json()["items"]
    accepted = client.post(f"/projects/{pid}/predictions/accept", json={"ids": [pending[0]["id"]]})
    assert accepted.status_code == 200, accepted.text
    queued = client.post(f"/projects/{pid}/jobs", json={"kind": "detect"})
    assert queued.status_code == 201, queued.text
    return project


def test_deleting_a_project_removes_everything_in_it_and_nothing_else(server, database):
    owner = setup_admin(server)
    client = owner.client
    standin = WorkerStandIn(server)
    standin.register()
    kept = filled_project(client, standin)
    kept_rows = rows_of_project(database, kept["id"])
    before = counts(database)

    doomed = filled_project(client, standin)
    held = rows_of_project(database, doomed["id"])
    assert all(held.values()), held  # a row in every table a project has
    assert counts(database) != before

    answer = client.delete(f"/projects/{doomed['id']}")
    assert answer.status_code == 204, answer.text
    assert client.get(f"/projects/{doomed['id']}").status_code == 404
    assert rows_of_project(database, doomed["id"]) == dict.fromkeys(PROJECT_ROWS, 0)
    assert counts(database) == before
    assert rows_of_project(database, kept["id"]) == kept_rows
    with database.connect() as connection:
        deleted = connection.scalar(
            sa.text(
                "SELECT count(*) FROM audit_events WHERE action = 'project.delete' "
                "AND project_id = :p"
            ),
            {"p": doomed["id"]},
        )
    assert deleted == 1
    # the other project works as before, and the server too
    assert len(client.get(f"/projects/{kept['id']}/predictions").json()["items"]) > 0
    assert client.get("/health").status_code == 200
    assert [p["id"] for p in client.get("/projects").json()] == [kept["id"]]


def test_deleting_an_image_removes_its_annotations_predictions_and_evaluations(server, database):
    owner = setup_admin(server)
    client = owner.client
    standin = WorkerStandIn(server)
    standin.register()
    project = filled_project(client, standin)
    pid = project["id"]
    images = client.get(f"/projects/{pid}/images").json()["items"]
    holdout = next(i for i in images if i["pool"] == "holdout")
    predicted = next(i for i in images if i["has_predictions"] and i["pool"] == "adapt")
    before = counts(database)

    for image in (holdout, predicted):
        answer = client.delete(f"/projects/{pid}/images/{image['id']}")
        assert answer.status_code == 204, answer.text
        assert client.get(f"/projects/{pid}/images/{image['id']}").status_code == 404

    gone = [holdout["id"], predicted["id"]]
    with database.connect() as connection:
        for table in ("annotations", "predictions", "image_uncertainties", "evaluation_images"):
            left = connection.scalar(
                sa.text(f"SELECT count(*) FROM {table} WHERE image_id IN ({gone[0]}, {gone[1]})")
            )
            assert left == 0, table
    after = counts(database)
    assert after["images"] == before["images"] - 2
    assert after["evaluation_images"] < before["evaluation_images"]
    assert after["image_uncertainties"] < before["image_uncertainties"]
    assert {t: after[t] for t in ("jobs", "models", "metrics")} == {
        t: before[t] for t in ("jobs", "models", "metrics")
    }
    # the project can then be deleted as a whole
    assert client.delete(f"/projects/{pid}").status_code == 204
    assert rows_of_project(database, pid) == dict.fromkeys(PROJECT_ROWS, 0)


def test_ids_of_deleted_rows_are_never_handed_out_again(client):
    """The newest image, annotation, class and project are deleted, then one more of each is
    made: each gets a new id (SQLite without AUTOINCREMENT would hand out the deleted one)."""
    first = create_project(client)
    newest = create_project(client)
    assert client.delete(f"/projects/{newest['id']}").status_code == 204
    project = create_project(client)
    assert project["id"] > newest["id"] > first["id"]
    pid, cat = project["id"], project["classes"][0]["id"]

    last_class = project["classes"][-1]
    assert client.delete(f"/projects/{pid}/classes/{last_class['id']}").status_code == 204
    again = client.post(f"/projects/{pid}/classes", json={"name": "bird"})
    assert again.json()["id"] > last_class["id"]

    image = add_images(client, pid, 1)[0]
    assert client.delete(f"/projects/{pid}/images/{image['id']}").status_code == 204
    new_image = add_images(client, pid, 1)[0]
    assert new_image["id"] > image["id"]

    annotation = annotate(client, pid, new_image["id"], cat)
    assert client.delete(f"/projects/{pid}/annotations/{annotation['id']}").status_code == 204
    new_annotation = annotate(client, pid, new_image["id"], cat)
    assert new_annotation["id"] > annotation["id"]
    url = f"/projects/{pid}/images/{new_image['id']}/annotations"
    replaced = client.put(url, json={"annotations": [{"class_id": cat, "box": [1, 1, 4, 4]}]})
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()[0]["id"] > new_annotation["id"]
