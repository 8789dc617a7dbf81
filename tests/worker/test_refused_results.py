"""A result the server refuses (a 4xx other than 409) fails the task with the server's reason
and is not run again; a server out of reach still re-queues it. The worker's task code runs
against a real HTTP server that plays the worker API."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from worker import tasks
from worker.client import ServerRefused, WorkerApi
from worker.config import WorkerSettings

TOKEN = "attempt-1"
SPEC = {
    "task_id": 5,
    "job_id": 2,
    "kind": "generate",
    "attempt": 1,
    "attempt_token": TOKEN,
    "lease_seconds": 600,
    "model": None,
    "classes": [],
    "images": [],
    "params": {"seed": 0, "classes": ["A"], "pools": [], "image_size": 64},
}
REFUSAL = "result.images.0.sha256: String should match pattern '^[0-9a-f]{64}$'"


class WorkerApiServer(ThreadingHTTPServer):
    """The worker API's task routes: start answers SPEC, result answers ``result_status``
    (with ``result_detail``), fail and progress answer 200; every request is recorded."""

    def __init__(self, result_status: int, result_detail: object) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.result_status, self.result_detail = result_status, result_detail
        self.requests: list[tuple[str, dict]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]

    def bodies(self, path: str) -> list[dict]:
        return [body for p, body in self.requests if p == path]


class Handler(BaseHTTPRequestHandler):
    server: WorkerApiServer

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = json.loads(raw) if raw else {}
        path = self.path.removeprefix("/api/worker")
        self.server.requests.append((path, body))
        status, answer = 404, {"detail": f"no route {path}"}
        if path == "/tasks/5/start":
            status, answer = 200, SPEC
        elif path == "/tasks/5/result":
            status = self.server.result_status
            answer = {"ok": True} if status == 200 else {"detail": self.server.result_detail}
        elif path == "/tasks/5/fail":
            status, answer = 200, {"state": "queued" if body["retry"] else "failed"}
        elif path == "/tasks/5/progress":
            status, answer = 200, {"cancelled": False, "lease_expires_at": "2030-01-01T00:00:00Z"}
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def serve() -> Iterator[Callable[..., WorkerApiServer]]:
    servers: list[WorkerApiServer] = []

    def start(result_status: int, result_detail: object = REFUSAL) -> WorkerApiServer:
        server = WorkerApiServer(result_status, result_detail)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _run(server: WorkerApiServer, tmp_path, retries: int = 2) -> str:
    config = WorkerSettings(
        server_url=server.url, name="w-test", cache_dir=tmp_path / "cache", http_timeout=5
    )
    api = WorkerApi(config, retries=retries)
    try:
        return tasks.execute("generate", 5, api=api, config=config)
    finally:
        api.close()


def test_a_refused_result_fails_the_task_with_the_servers_reason_and_no_retry(serve, tmp_path):
    server = serve(422)
    assert _run(server, tmp_path) == "failed"
    # the result was sent once (a 4xx is not retried), then the task failed for good
    assert server.paths() == ["/tasks/5/start", "/tasks/5/result", "/tasks/5/fail"]
    assert server.bodies("/tasks/5/result") == [{"attempt_token": TOKEN, "result": {"images": []}}]
    (fail,) = server.bodies("/tasks/5/fail")
    assert fail == {
        "attempt_token": TOKEN,
        "reason": "the server refused the worker's request: POST /api/worker/tasks/5/result "
        f"answered 422: {REFUSAL}",
        "retry": False,
    }


def test_validation_errors_are_reported_as_field_and_message(serve, tmp_path):
    errors = [
        {"loc": ["body", "result", "images"], "msg": "Field required", "type": "missing"},
        {"loc": ["body", "attempt_token"], "msg": "Input should be a string", "type": "x"},
    ]
    server = serve(400, errors)
    assert _run(server, tmp_path) == "failed"
    (fail,) = server.bodies("/tasks/5/fail")
    assert fail["retry"] is False and fail["reason"].endswith(
        "answered 400: body.result.images: Field required; "
        "body.attempt_token: Input should be a string"
    )


def test_a_server_out_of_order_still_requeues_the_task(serve, tmp_path):
    """503 to every try: the server may come back, so the task is failed with retry=True."""
    server = serve(503, "restarting")
    assert _run(server, tmp_path, retries=1) == "failed"
    assert server.paths().count("/tasks/5/result") == 2  # one try and one retry
    (fail,) = server.bodies("/tasks/5/fail")
    assert fail["retry"] is True
    assert (
        fail["reason"].startswith("worker could not reach the server:")
        and "503" in (fail["reason"])
    )


def test_a_stale_attempt_is_dropped_without_failing_the_task(serve, tmp_path):
    server = serve(409, "attempt superseded")
    assert _run(server, tmp_path) == "stale"
    assert server.paths() == ["/tasks/5/start", "/tasks/5/result"]


def test_the_client_raises_a_4xx_at_once_with_the_servers_reason(serve):
    server = serve(422)
    api = WorkerApi(WorkerSettings(server_url=server.url, http_timeout=5), retries=3)
    with pytest.raises(ServerRefused) as refused:
        api.result(5, TOKEN, {"images": []})
    assert refused.value.status_code == 422 and refused.value.detail == REFUSAL
    assert server.paths() == ["/tasks/5/result"]
    api.close()


def test_the_real_server_refusing_a_result_fails_the_job_for_good(
    api_server, admin, monkeypatch, tmp_path
):
    """Through the real API: a generate result it refuses (a blob that is not a sha256) ends
    the job failed, after one attempt, with the server's reason as its error."""
    created = admin.client.post(
        "/projects/demo",
        json={"adapt_annotated": 1, "adapt_unannotated": 0, "holdout": 0, "image_size": 32},
    )
    assert created.status_code == 201, created.text
    project_id, job_id = created.json()["project"]["id"], created.json()["job_id"]
    job = admin.client.get(f"/projects/{project_id}/jobs/{job_id}").json()
    (task,) = job["tasks"]
    bad = {"images": [{"sha256": "not-a-sha", "pool": "adapt", "width": 32, "height": 32}]}
    monkeypatch.setattr(tasks.runner, "run_generate", lambda spec, report, upload: bad)
    config = WorkerSettings(
        server_url=api_server.url,
        worker_token=api_server.worker_token,
        name="w-refused",
        cache_dir=tmp_path / "cache",
        http_timeout=10,
    )
    api = WorkerApi(config, retries=0)
    try:
        assert tasks.execute("generate", task["id"], api=api, config=config) == "failed"
    finally:
        api.close()
    job = admin.client.get(f"/projects/{project_id}/jobs/{job_id}").json()
    (task,) = job["tasks"]
    assert (task["state"], task["attempt"]) == ("failed", 1)
    # e.g. "... answered 422: malformed generate result: images.0.sha256: String should match
    # pattern '^[0-9a-f]{64}$'"
    assert task["error"].startswith(
        f"the server refused the worker's request: POST /api/worker/tasks/{task['id']}/result "
        "answered 422: "
    )
    assert "images.0.sha256" in task["error"]
    assert job["state"] == "failed" and job["error"].endswith(task["error"])
