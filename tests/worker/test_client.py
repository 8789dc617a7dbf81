"""The worker's settings and its worker-API client, against a real HTTP server."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from backend.settings import Settings
from worker.client import WorkerApi
from worker.config import WorkerSettings


class FlakyServer(ThreadingHTTPServer):
    """Answers 503 to the first ``failures`` requests, then 200 ``{"ok": true}``."""

    def __init__(self, failures: int) -> None:
        super().__init__(("127.0.0.1", 0), FlakyHandler)
        self.failures, self.requests = failures, 0


class FlakyHandler(BaseHTTPRequestHandler):
    server: FlakyServer

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.requests += 1
        failing = self.server.requests <= self.server.failures
        body = json.dumps({"detail": "restarting"} if failing else {"ok": True}).encode()
        self.send_response(503 if failing else 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def flaky() -> Iterator[Callable[[int], FlakyServer]]:
    servers: list[FlakyServer] = []

    def start(failures: int) -> FlakyServer:
        server = FlakyServer(failures)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _api(url: str, retries: int) -> WorkerApi:
    return WorkerApi(WorkerSettings(server_url=url, http_timeout=5), retries=retries)


def test_server_errors_are_retried_until_the_server_answers(flaky):
    server = flaky(failures=2)
    api = _api(f"http://127.0.0.1:{server.server_port}", retries=2)
    assert api.heartbeat("w-1", {}) == {"ok": True}
    assert server.requests == 3


def test_the_last_server_error_is_raised_when_the_tries_run_out(flaky):
    server = flaky(failures=5)
    api = _api(f"http://127.0.0.1:{server.server_port}", retries=1)
    with pytest.raises(httpx.HTTPStatusError, match="503"):
        api.heartbeat("w-1", {})
    assert server.requests == 2


def test_an_unreachable_server_raises_the_network_error_after_the_retries():
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(httpx.ConnectError):
        _api(f"http://127.0.0.1:{port}", retries=1).heartbeat("w-1", {})


def test_the_worker_shares_the_servers_names_and_defaults(monkeypatch, tmp_path):
    for name in ("REDIS_URL", "WORKER_QUEUES", "WORKER_CACHE_DIR", "WORKER_DEVICE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("TASK_QUEUE", "gpu")
    monkeypatch.setenv("SERVER_URL", "http://api:8000/")
    monkeypatch.setenv("WORKER_HEARTBEAT_SECONDS", "")  # empty: the default
    worker, server = WorkerSettings(), Settings()
    for name in ("data_dir", "worker_token", "server_url", "task_queue", "visibility_timeout"):
        assert getattr(worker, name) == getattr(server, name), name
    assert worker.server_url == "http://api:8000"
    # interactive work first, then batch work (docs/architecture.md, "Queues and fairness")
    assert worker.queues == ("gpu", "gpu.batch") and worker.cache_dir == tmp_path / "worker-cache"
    assert worker.redis_url and worker.heartbeat_seconds == 5.0
    monkeypatch.setenv("WORKER_QUEUES", "gpu, cpu")
    assert WorkerSettings().queues == ("gpu", "cpu")
