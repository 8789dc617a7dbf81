"""The whole system for integration tests: a real Redis, a database, the API as a uvicorn process
with the shipped models of models/, and real Celery worker processes (`python -m worker`)."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from support.factories import TestUser, setup_admin
from support.models import SHIPPED_BASE_MODEL
from support.processes import ManagedProcess, wait_until
from support.server import REPO_ROOT, ApiServer, api_with_fresh_database

from backend.embedded_redis import EmbeddedRedis

MODELS_DIR = REPO_ROOT / "models"
BASE_MODEL = SHIPPED_BASE_MODEL


@dataclass
class WorkerProcess:
    name: str
    process: ManagedProcess

    def pause(self) -> None:
        """SIGSTOP the worker's processes: it stays registered but takes nothing."""
        os.killpg(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.killpg(self.process.pid, signal.SIGCONT)

    def kill_all(self) -> None:
        """SIGKILL the Celery main process and its pool children, as a crash of the host would."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        assert self.process.process is not None
        self.process.process.wait(timeout=10)

    def stop(self) -> None:
        self.process.stop(timeout=20)


@dataclass
class Stack:
    server: ApiServer
    directory: Path
    admin: TestUser
    workers: list[WorkerProcess] = field(default_factory=list)

    @property
    def api(self) -> httpx.Client:
        return self.admin.client

    def start_worker(self, name: str, **overrides: str) -> WorkerProcess:
        """A `python -m worker` process, online; ``overrides`` are environment variables
        (e.g. WORKER_TOKEN)."""
        env = {
            **self.server.env,
            "SERVER_URL": self.server.url,
            "WORKER_NAME": name,
            # interactive work first, then batch work, as a worker's default queues are
            "WORKER_QUEUES": f"{self.server.queue},{self.server.queue}.batch",
            "WORKER_CACHE_DIR": str(self.directory / f"cache-{name}"),
            "WORKER_HEARTBEAT_SECONDS": "1",
            "WORKER_DEVICE": "cpu",
            "PYTHONUNBUFFERED": "1",
            **overrides,
        }
        process = ManagedProcess(
            [sys.executable, "-m", "worker", "--name", name, "--loglevel", "INFO"],
            env=env,
            log_path=self.directory / f"worker-{name}.log",
            cwd=REPO_ROOT,
        ).start()
        worker = WorkerProcess(name, process)
        self.workers.append(worker)

        def online() -> bool:
            if not process.alive():
                raise RuntimeError(f"worker {name} exited:\n{process.logs()[-3000:]}")
            rows = self.api.get("/workers").json()
            return any(w["name"] == name and w["online"] for w in rows)

        wait_until(online, timeout=90, interval=0.5, message=f"worker {name} online")
        return worker

    def wait_for_job(self, project_id: int, job_id: int, timeout: float = 600) -> dict:
        def finished() -> dict | None:
            job = self.api.get(f"/projects/{project_id}/jobs/{job_id}").json()
            return job if job["state"] in ("succeeded", "failed", "cancelled") else None

        try:
            return wait_until(  # type: ignore[return-value]
                finished, timeout=timeout, interval=0.5, message=f"job {job_id}"
            )
        except TimeoutError:
            print(self.logs())
            raise

    def logs(self) -> str:
        parts = [f"--- api ---\n{self.server.logs()[-4000:]}"]
        parts += [f"--- {w.name} ---\n{w.process.logs()[-4000:]}" for w in self.workers]
        return "\n".join(parts)


def open_stack(
    exit_stack: contextlib.ExitStack, directory: Path, redis_url: str, **overrides: str
) -> Stack:
    """The API (with models/ shipped) on a fresh database, and an admin; stopped, with its
    workers, when `exit_stack` closes."""
    if not (MODELS_DIR / f"{BASE_MODEL}.safetensors").exists():
        pytest.fail(f"models/{BASE_MODEL}.safetensors is missing: run `make base-model`")
    server = exit_stack.enter_context(
        api_with_fresh_database(
            directory, redis_url, with_model=False, models_dir=str(MODELS_DIR), **overrides
        )
    )
    stack = Stack(server, directory, setup_admin(server))

    def stop_workers() -> None:
        for worker in stack.workers:
            if worker.process.alive():
                worker.resume()
            worker.stop()

    exit_stack.callback(stop_workers)
    return stack


@pytest.fixture
def start_stack(tmp_path: Path, redis_url: str) -> Iterator[Callable[..., Stack]]:
    """`start_stack(**env_overrides)` → the API (with models/ shipped) and an admin; workers are
    started with `stack.start_worker(name)`. `redis_url=...` points it at another Redis.
    Everything stops after the test."""
    stacks: list[Stack] = []
    default_redis = redis_url
    with contextlib.ExitStack() as exit_stack:

        def start(redis_url: str = default_redis, **overrides: str) -> Stack:
            stack = open_stack(
                exit_stack, tmp_path / f"stack-{len(stacks)}", redis_url, **overrides
            )
            stacks.append(stack)
            return stack

        yield start


@dataclass
class OwnRedis:
    """A Redis of a stack's own (no persistence, like the embedded default and
    docker-compose.yml), so a test can kill it."""

    server: EmbeddedRedis

    @property
    def url(self) -> str:
        return self.server.url

    def restart_empty(self, down_seconds: float = 1.0) -> None:
        """SIGKILL it, wait, and start it again on the same port, empty."""
        assert self.server.process is not None
        self.server.process.kill()
        self.server.process.wait(timeout=10)
        time.sleep(down_seconds)
        self.server.start()


@pytest.fixture(scope="module")
def chaos_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Stack, OwnRedis]]:
    """A stack for a module of fault tests: its own Redis, short leases (4 s) and sweeps
    (0.5 s), detect chunks of 4 images and detect jobs of more than 8 images as batch work.
    Workers are started by the tests."""
    directory = tmp_path_factory.mktemp("chaos")
    broker = EmbeddedRedis(directory / "redis")
    broker.start()
    with contextlib.ExitStack() as exit_stack:
        exit_stack.callback(broker.stop)
        stack = open_stack(
            exit_stack,
            directory / "stack",
            broker.url,
            lease_seconds="4",
            sweep_interval_seconds="0.5",
            max_attempts="3",
            detect_chunk_size="4",
            interactive_detect_images="8",
        )
        yield stack, OwnRedis(broker)
