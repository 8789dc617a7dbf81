"""Why a job waits (GET /jobs/{id}/queue): its position in its lane's queue and an estimated
start from the online workers and recent task run times; and each worker's current task, which
ends as the task does (not at the next heartbeat)."""

from __future__ import annotations

import pytest
from support.factories import add_images, annotate, create_project, create_user, setup_admin
from support.server import api_with_fresh_database
from support.worker_standin import WorkerStandIn, detect_result

from backend.services.queue_position import DEFAULT_SECONDS


@pytest.fixture(scope="module")
def server(tmp_path_factory, redis_url):
    # a database of its own: the queue and the workers are everyone's
    with api_with_fresh_database(tmp_path_factory.mktemp("job-queue"), redis_url) as server:
        yield server


def queue_of(client, project_id: int, job_id: int) -> dict:
    answer = client.get(f"/projects/{project_id}/jobs/{job_id}/queue")
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_queued_job_shows_its_position_and_an_estimated_start(server) -> None:
    owner = setup_admin(server)
    client = owner.client
    project = create_project(client)
    pid = project["id"]
    images = add_images(client, pid, 2)
    annotate(client, pid, images[0]["id"], project["classes"][0]["id"])

    # no worker yet: a position, but no estimate
    first = client.post(f"/projects/{pid}/jobs", json={"kind": "detect"}).json()
    alone = queue_of(client, pid, first["id"])
    assert (alone["queued"], alone["lane"], alone["position"], alone["tasks_ahead"]) == (
        True,
        "interactive",
        1,
        0,
    )
    assert alone["workers_online"] == 0 and alone["estimated_wait_seconds"] is None
    assert "median run time" in alone["rule"]

    worker = WorkerStandIn(server, "queue-standin")
    worker.register()
    second = client.post(f"/projects/{pid}/jobs", json={"kind": "adapt"}).json()
    third = client.post(f"/projects/{pid}/jobs", json={"kind": "detect"}).json()
    now = queue_of(client, pid, third["id"])
    assert (now["position"], now["tasks_ahead"], now["workers_online"], now["workers_free"]) == (
        3,
        2,
        1,
        1,
    )
    # one free worker, no run times yet: each task ahead is expected to take the default
    assert now["estimated_wait_seconds"] == pytest.approx(2 * DEFAULT_SECONDS)
    assert now["estimated_start_at"] is not None

    # the worker takes the first job: it is no longer queued, the others move up
    spec = worker.start_ok(first["tasks"][0]["id"])
    assert queue_of(client, pid, first["id"])["queued"] is False
    busy = queue_of(client, pid, second["id"])
    assert (busy["position"], busy["workers_free"]) == (1, 0)
    assert busy["estimated_wait_seconds"] == pytest.approx(DEFAULT_SECONDS)
    # half done: the running task is expected to end in half its time
    assert worker.progress(first["tasks"][0]["id"], spec["attempt_token"], 0.5).status_code == 200
    assert queue_of(client, pid, second["id"])["estimated_wait_seconds"] == pytest.approx(
        DEFAULT_SECONDS / 2
    )
    assert queue_of(client, pid, third["id"])["position"] == 2

    # it finished in well under a minute: detect tasks are now expected to take that long
    done = worker.result(first["tasks"][0]["id"], spec["attempt_token"], detect_result(spec))
    assert done.status_code == 200, done.text
    later = queue_of(client, pid, third["id"])
    assert later["workers_free"] == 1 and later["position"] == 2
    assert later["estimated_wait_seconds"] == pytest.approx(DEFAULT_SECONDS)  # the adapt ahead

    missing = client.get(f"/projects/{pid}/jobs/999999/queue")
    assert missing.status_code == 404
    other = create_project(client)
    assert client.get(f"/projects/{other['id']}/jobs/{third['id']}/queue").status_code == 404


def test_a_workers_current_task_is_listed_and_ends_with_the_task(server) -> None:
    owner = setup_admin(server)
    outsider = create_user(server, owner)
    project = create_project(owner.client)
    pid = project["id"]
    add_images(owner.client, pid, 1)
    worker = WorkerStandIn(server, "current-task-standin")
    worker.register()
    job = owner.client.post(f"/projects/{pid}/jobs", json={"kind": "detect"}).json()
    task_id = job["tasks"][0]["id"]
    spec = worker.start_ok(task_id)

    def mine(client) -> dict:
        return next(w for w in client.get("/workers").json() if w["name"] == worker.name)

    listed = mine(owner.client)
    assert (listed["state"], listed["busy_task_id"], listed["busy_task_kind"]) == (
        "busy",
        task_id,
        "detect",
    )
    assert (listed["busy_job_id"], listed["busy_job_kind"], listed["busy_project_id"]) == (
        job["id"],
        "detect",
        pid,
    )
    # someone outside the project sees that the worker is busy, not with which project's job
    seen = mine(outsider.client)
    assert (seen["state"], seen["busy_task_kind"]) == ("busy", "detect")
    assert seen["busy_job_id"] is None and seen["busy_project_id"] is None

    # the result frees the worker at once, without waiting for its next heartbeat
    assert worker.result(task_id, spec["attempt_token"], detect_result(spec)).status_code == 200
    freed = mine(owner.client)
    assert (freed["state"], freed["busy_task_id"], freed["busy_job_id"]) == ("online", None, None)
