"""The API as a real uvicorn subprocess on a free port, and HTTP clients for it."""

from __future__ import annotations

import contextlib
import os
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import redis

from support.models import write_model
from support.processes import ManagedProcess, free_port
from support.services import fresh_database_url

REPO_ROOT = Path(__file__).resolve().parents[2]
TEST_WORKER_TOKEN = "test-worker-token"
TEST_BASE_MODEL = "test-base"


@dataclass
class ApiServer:
    url: str
    env: dict[str, str]
    process: ManagedProcess
    clients: list[httpx.Client] = field(default_factory=list)

    @property
    def queue(self) -> str:
        return self.env["TASK_QUEUE"]

    @property
    def redis_url(self) -> str:
        return self.env["REDIS_URL"]

    @property
    def worker_token(self) -> str:
        return self.env["WORKER_TOKEN"]

    def client(self, token: str | None = None, timeout: float = 30.0) -> httpx.Client:
        """An httpx client on the server's /api (bearer token if given); closed with the server."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        client = httpx.Client(base_url=f"{self.url}/api", headers=headers, timeout=timeout)
        self.clients.append(client)
        return client

    def worker_client(self) -> httpx.Client:
        """A client on /api/worker with the worker token (a worker stand-in uses it)."""
        client = httpx.Client(
            base_url=f"{self.url}/api/worker",
            timeout=30.0,
            headers={"Authorization": f"Bearer {self.worker_token}"},
        )
        self.clients.append(client)
        return client

    def logs(self) -> str:
        return self.process.logs()

    def kill(self) -> None:
        """SIGKILL the API process, as a crash would."""
        self.process.kill()

    def start_again(self, timeout: float = 30.0) -> None:
        """Start the API again with the same database, port and settings (after kill()), and
        wait until it answers; its log goes on in the same file."""
        old = self.process
        self.process = ManagedProcess(old.command, env=old.env, log_path=old.log_path, cwd=old.cwd)
        self.process.start().wait_for_http(f"{self.url}/api/health", timeout=timeout)

    def stop(self) -> None:
        for client in self.clients:
            client.close()
        self.process.stop()


def api_env(database_url: str, redis_url: str, data_dir: Path, **overrides: str) -> dict[str, str]:
    """Environment of a test API: its own data dir and task queue, sweeper on, no frontend."""
    env = {
        **os.environ,
        "ENVIRONMENT": "development",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DATA_DIR": str(data_dir),
        "WORKER_TOKEN": TEST_WORKER_TOKEN,
        "TASK_QUEUE": f"test-{uuid.uuid4().hex[:8]}",
        # its own event channel too, so servers sharing one Redis do not see each other's events
        "EVENTS_CHANNEL": f"metaloop:events:test-{uuid.uuid4().hex[:8]}",
        "MODELS_DIR": str(data_dir / "models"),
        "FRONTEND_DIST": str(data_dir / "no-frontend"),
        "PYTHONUNBUFFERED": "1",
    }
    env.update({key.upper(): str(value) for key, value in overrides.items()})
    return env


def start_api(
    database_url: str, redis_url: str, data_dir: Path, port: int | None = None, **overrides: str
) -> ApiServer:
    """Start `uvicorn backend.main:app` (the database must be migrated) and wait until it answers.

    Keyword overrides become environment variables (`lease_seconds="2"` → LEASE_SECONDS=2).
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    env = api_env(database_url, redis_url, data_dir, **overrides)
    port = port or free_port()
    process = ManagedProcess(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "backend.main:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        log_path=data_dir / "api.log",
        cwd=REPO_ROOT,
    ).start()
    url = f"http://127.0.0.1:{port}"
    try:
        process.wait_for_http(f"{url}/api/health")
    except Exception:
        process.stop()
        raise
    return ApiServer(url=url, env=env, process=process)


@contextmanager
def api_with_fresh_database(
    directory: Path, redis_url: str, with_model: bool = True, **overrides: str
) -> Iterator[ApiServer]:
    """A fresh (migrated) database and an API on it; with_model ships the default model
    `test-base` in its MODELS_DIR. Everything is stopped, dropped and its queue deleted after."""
    if with_model:
        write_model(directory / "models", TEST_BASE_MODEL, default=True)
    with fresh_database_url(directory / "db") as url:
        server = start_api(url, redis_url, directory, **overrides)
        try:
            yield server
        finally:
            server.stop()
            client = redis.Redis.from_url(redis_url, socket_connect_timeout=2)
            with contextlib.suppress(redis.RedisError):  # a test may have stopped its Redis
                client.delete(server.queue)
            client.close()


@contextmanager
def running_api(
    database_url: str, redis_url: str, data_dir: Path, **overrides: str
) -> Iterator[ApiServer]:
    server = start_api(database_url, redis_url, data_dir, **overrides)
    try:
        yield server
    finally:
        server.stop()
