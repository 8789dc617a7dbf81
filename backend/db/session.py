"""Engine and session factory.

SQLite runs in WAL mode with foreign keys on, and every transaction starts with BEGIN IMMEDIATE:
SQLite then serialises writers up front instead of failing a read-then-write transaction with
"database is locked" when another connection wrote in between (the sweeper thread, workers).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from backend.settings import get_settings

_factories: dict[str, sessionmaker[Session]] = {}


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs
        )

        @event.listens_for(engine, "connect")
        def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def session_factory(url: str | None = None) -> sessionmaker[Session]:
    """The session factory for `url` (default: the configured database), created once."""
    url = url or get_settings().resolved_database_url
    if url not in _factories:
        _factories[url] = sessionmaker(make_engine(url), expire_on_commit=False)
    return _factories[url]


def new_session() -> Session:
    return session_factory()()


def get_session() -> Iterator[Session]:
    with new_session() as session:
        yield session
