"""Progress within a stage is sent at most every WORKER_PROGRESS_SECONDS, against a real HTTP
server; new stages, loss points and cancellation still get through."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from worker.client import WorkerApi
from worker.config import WorkerSettings
from worker.engine.routine import Cancelled
from worker.tasks import Attempt


class ProgressServer(ThreadingHTTPServer):
    """Records the progress reports it gets; answers ``cancelled`` once told to."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), ProgressHandler)
        self.reports: list[dict] = []
        self.cancel = False


class ProgressHandler(BaseHTTPRequestHandler):
    server: ProgressServer

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        self.server.reports.append(
            json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        )
        body = json.dumps({"cancelled": self.server.cancel}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[ProgressServer]:
    server = ProgressServer()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def _attempt(server: ProgressServer, interval: float) -> Attempt:
    url = f"http://127.0.0.1:{server.server_address[1]}"
    api = WorkerApi(WorkerSettings(server_url=url, http_timeout=5), retries=0)
    # a long lease: the keeper sends nothing during the test
    return Attempt(api, 7, "token", lease_seconds=600, interval=interval)


def test_progress_within_a_stage_is_sent_at_most_once_per_interval(server):
    attempt = _attempt(server, interval=0.3)
    try:
        attempt(0.0, "loading")
        for step in range(1, 21):  # 20 batches in quick succession
            attempt(step / 25, "detecting")
        assert [r["stage"] for r in server.reports] == ["loading", "detecting"]
        time.sleep(0.35)
        attempt(0.85, "detecting")  # the interval has passed: sent
        attempt(0.86, "detecting", points=[{"step": 3, "loss": 0.5}])  # points: sent at once
        attempt(0.9, "scoring")  # a new stage: sent at once
        attempt(1.0, "scoring")  # the end: sent at once
        assert [(r["stage"], r["progress"]) for r in server.reports[2:]] == [
            ("detecting", 0.85),
            ("detecting", 0.86),
            ("scoring", 0.9),
            ("scoring", 1.0),
        ]
        assert server.reports[3]["points"] == [{"step": 3, "loss": 0.5}]
    finally:
        attempt.close()


def test_without_an_interval_every_report_is_sent_and_a_cancel_is_seen(server):
    attempt = _attempt(server, interval=0.0)
    try:
        for step in range(5):
            attempt(step / 10, "detecting")
        assert len(server.reports) == 5
        server.cancel = True
        with pytest.raises(Cancelled):
            attempt(0.6, "detecting")
    finally:
        attempt.close()
