"""Engine and session factory.

SQLite runs in WAL mode with foreign keys on, and every transaction that may write starts with
BEGIN IMMEDIATE: SQLite then serialises writers up front instead of failing a read-then-write
transaction with "database is locked" when another connection wrote in between (the sweeper
thread, workers). Sessions of GET and HEAD requests, which never write, start with a deferred
BEGIN instead: in WAL mode they read a snapshot while a writer (a large import) holds the write
lock, instead of queueing behind it.

Each process keeps a pool of DB_POOL_SIZE connections and opens up to DB_MAX_OVERFLOW more at a
peak; several API processes (``uvicorn --workers``) each have theirs. An API process admits at
most that many requests at once, less API_ADMISSION_RESERVE (``backend/api/admission.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import Request
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from backend.settings import get_settings

_factories: dict[str, sessionmaker[Session]] = {}
_read_factories: dict[str, sessionmaker[Session]] = {}
READ_ONLY_OPTION = "metaloop_read_only"


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        if "poolclass" not in kwargs and ":memory:" not in url and url != "sqlite://":
            # sized as on PostgreSQL: the API's admission limit is derived from it
            kwargs.setdefault("pool_size", get_settings().db_pool_size)
            kwargs.setdefault("max_overflow", get_settings().db_max_overflow)
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
            read_only = conn.get_execution_options().get(READ_ONLY_OPTION)
            conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

        return engine
    if "poolclass" not in kwargs:  # a pool per process, sized for the API's threads
        settings = get_settings()
        kwargs.setdefault("pool_size", settings.db_pool_size)
        kwargs.setdefault("max_overflow", settings.db_max_overflow)
    return create_engine(url, pool_pre_ping=True, **kwargs)


def session_factory(url: str | None = None) -> sessionmaker[Session]:
    """The session factory for `url` (default: the configured database), created once."""
    url = url or get_settings().resolved_database_url
    if url not in _factories:
        _factories[url] = sessionmaker(make_engine(url), expire_on_commit=False)
    return _factories[url]


def read_session_factory(url: str | None = None) -> sessionmaker[Session]:
    """Sessions for reading only (same pool; on SQLite a deferred BEGIN, see the module
    docstring). A write in one may fail with "database is locked"."""
    url = url or get_settings().resolved_database_url
    if url not in _read_factories:
        engine = session_factory(url).kw["bind"]
        _read_factories[url] = sessionmaker(
            engine.execution_options(**{READ_ONLY_OPTION: True}), expire_on_commit=False
        )
    return _read_factories[url]


def is_read_only(session: Session) -> bool:
    """Whether the session came from :func:`read_session_factory`."""
    bind = session.get_bind()
    return bool(bind.get_execution_options().get(READ_ONLY_OPTION))


def new_session() -> Session:
    return session_factory()()


def get_session(request: Request) -> Iterator[Session]:
    """The request's session: read-only for GET and HEAD."""
    factory = read_session_factory() if request.method in ("GET", "HEAD") else session_factory()
    with factory() as session:
        yield session
