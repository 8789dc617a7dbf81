"""The Alembic migrations are the only source of tables, and they match the models."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from backend.db import Base
from backend.migrate import alembic_config, upgrade_head


def diff(url: str) -> list:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()


def test_autogenerate_finds_no_difference_between_models_and_migrations(database_url):
    assert diff(database_url) == []


def test_migrations_go_down_to_nothing_and_back_up(database_url):
    command.downgrade(alembic_config(database_url), "base")
    engine = create_engine(database_url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    upgrade_head(database_url)
    assert diff(database_url) == []


def test_0003_keeps_existing_images_and_stops_id_reuse(database_url):
    """An image stored before image states keeps its bytes as its rendition and, if it had a
    box, becomes complete (what "annotated" meant); afterwards a deleted id is not reused."""
    command.downgrade(alembic_config(database_url), "0002")
    engine = create_engine(database_url)
    now = "2026-01-01 00:00:00+00:00"
    with engine.begin() as db:
        db.execute(
            text(
                "INSERT INTO users (username, password_hash, is_admin, is_active, created_at) "
                "VALUES ('u', 'x', true, true, :now)"
            ),  # fmt: skip
            {"now": now},
        )
        db.execute(
            text(
                "INSERT INTO projects (name, description, task_type, created_at) "
                "VALUES ('p', '', 'detection', :now)"
            ),  # fmt: skip
            {"now": now},
        )
        pid = db.execute(text("SELECT max(id) FROM projects")).scalar()
        db.execute(
            text(
                "INSERT INTO label_classes (project_id, name, color, created_at) "
                "VALUES (:p, 'A', '#000000', :now)"
            ),  # fmt: skip
            {"p": pid, "now": now},
        )
        cid = db.execute(text("SELECT max(id) FROM label_classes")).scalar()
        for sha in ("a" * 64, "b" * 64):
            db.execute(
                text(
                    "INSERT INTO images (project_id, sha256, thumbnail_sha256, file_name, format, "
                    "size_bytes, width, height, pool, created_at) "
                    "VALUES (:p, :sha, :sha, 'x.png', 'PNG', 1, 8, 8, 'adapt', :now)"
                ),  # fmt: skip
                {"p": pid, "sha": sha, "now": now},
            )
        boxed = db.execute(text("SELECT min(id) FROM images")).scalar()
        db.execute(
            text(
                "INSERT INTO annotations (image_id, class_id, x, y, w, h, source, "
                "time_spent_ms, created_at, updated_at) "
                "VALUES (:i, :c, 1, 1, 4, 4, 'human', 0, :now, :now)"
            ),  # fmt: skip
            {"i": boxed, "c": cid, "now": now},
        )
    upgrade_head(database_url)
    with engine.begin() as db:
        rows = db.execute(
            text("SELECT id, sha256, rendition_sha256, state FROM images ORDER BY id")
        ).all()
        assert [(r.sha256 == r.rendition_sha256, r.state) for r in rows] == [
            (True, "complete"),
            (True, "unlabelled"),
        ]
        newest = rows[-1].id
        db.execute(text("DELETE FROM images WHERE id = :i"), {"i": newest})
        db.execute(
            text(
                "INSERT INTO images (project_id, sha256, rendition_sha256, thumbnail_sha256, "
                "file_name, format, size_bytes, width, height, pool, state, "
                "annotations_version, created_at) VALUES (:p, :sha, :sha, :sha, 'y.png', 'PNG', "
                "1, 8, 8, 'adapt', 'unlabelled', 1, :now)"
            ),  # fmt: skip
            {"p": pid, "sha": "c" * 64, "now": now},
        )
        assert db.execute(text("SELECT max(id) FROM images")).scalar() == newest + 1
    engine.dispose()
    assert diff(database_url) == []
