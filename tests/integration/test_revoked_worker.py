"""A worker whose own token an admin revokes stops taking work (issue 23): the message it took
goes back to the queue for another worker, and the worker process exits, whether it learns of
the revocation from a task's start or from its heartbeat. Before, it kept taking messages and
dropping them ('skipped'), so jobs waited for the sweeper's re-sends while good workers idled."""

from __future__ import annotations

import pytest
from support.processes import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _issue(stack, name: str) -> tuple[int, str]:
    issued = stack.api.post("/workers/credentials", json={"name": name})
    assert issued.status_code == 201, issued.text
    return issued.json()["id"], issued.json()["token"]


def _revoke(stack, credential_id: int) -> None:
    revoked = stack.api.delete(f"/workers/credentials/{credential_id}")
    assert revoked.status_code == 200, revoked.text


def _exited(worker) -> bool:
    return not worker.process.alive()


def test_a_revoked_worker_gives_its_task_back_and_stops(start_stack):
    # no re-sends by the sweeper within the test: the task can only come back by the rejection
    stack = start_stack(requeue_after_seconds="3600")
    credential, token = _issue(stack, "own-token")
    # heartbeats far apart: the revocation is met at a task's start
    own = stack.start_worker("own-token", WORKER_TOKEN=token, WORKER_HEARTBEAT_SECONDS="600")
    _revoke(stack, credential)
    demo = stack.api.post(
        "/projects/demo",
        json={"adapt_annotated": 2, "adapt_unannotated": 0, "holdout": 1, "image_size": 64},
    )
    assert demo.status_code == 201, demo.text
    project_id, job_id = demo.json()["project"]["id"], demo.json()["job_id"]
    wait_until(lambda: _exited(own), timeout=60, message="the revoked worker stopped")
    logs = own.process.logs()
    assert "stopping this worker: the server refused this worker's token" in logs, logs[-3000:]
    assert "not started" not in logs  # the message was not dropped as 'skipped'

    stack.start_worker("shared")  # the deployment's shared token
    done = stack.wait_for_job(project_id, job_id, timeout=120)
    assert done["state"] == "succeeded", stack.logs()
    (task,) = done["tasks"]
    assert (task["attempt"], task["worker_name"]) == (1, "shared"), task


def test_a_revoked_worker_stops_at_its_next_heartbeat(start_stack):
    stack = start_stack()
    credential, token = _issue(stack, "beating")
    worker = stack.start_worker("beating", WORKER_TOKEN=token, WORKER_HEARTBEAT_SECONDS="1")
    _revoke(stack, credential)
    wait_until(lambda: _exited(worker), timeout=30, message="the revoked worker stopped")
    assert "stopping this worker: the server refused this worker's token" in (worker.process.logs())
