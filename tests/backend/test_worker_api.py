"""The worker API (docs/contracts.md §2) and the sweeper, with a short lease: attempts and their
tokens, leases renewed by progress, results stored once, re-enqueue on the real Redis queue,
failure after MAX_ATTEMPTS with the reason."""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import create_engine, text
from support.factories import add_images, annotate, create_project, setup_admin
from support.processes import free_port, wait_until
from support.server import api_with_fresh_database
from support.services import queued_messages
from support.worker_standin import WorkerStandIn, adapt_result, detect_result

from backend.embedded_redis import EmbeddedRedis

LEASE = 1.0


@pytest.fixture(scope="module")
def server(tmp_path_factory, redis_url):
    with api_with_fresh_database(
        tmp_path_factory.mktemp("leases"),
        redis_url,
        lease_seconds=str(LEASE),
        sweep_interval_seconds="0.2",
        max_attempts="2",
        worker_online_seconds="1",
    ) as server:
        yield server


@pytest.fixture(scope="module")
def owner(server):
    return setup_admin(server)


@pytest.fixture
def standin(server):
    worker = WorkerStandIn(server, name=f"standin-{uuid.uuid4().hex[:6]}")
    worker.register()
    return worker


def listed(owner, standin):
    return next(w for w in owner.client.get("/workers").json() if w["name"] == standin.name)


def new_job(owner, kind="detect", images=2):
    project = create_project(owner.client)
    rows = add_images(owner.client, project["id"], images)
    if kind in ("adapt", "iterate"):
        annotate(owner.client, project["id"], rows[0]["id"], project["classes"][0]["id"])
    job = owner.client.post(f"/projects/{project['id']}/jobs", json={"kind": kind}).json()
    return project, job, job["tasks"][0]["id"]


def messages_for(server, task_id):
    return [m for m in queued_messages(server.redis_url, server.queue) if m["args"] == [task_id]]


def task_row(owner, project, job, task_id):
    detail = owner.client.get(f"/projects/{project['id']}/jobs/{job['id']}").json()
    return next(t for t in detail["tasks"] if t["id"] == task_id), detail


def test_the_worker_api_needs_the_worker_token(server, owner):
    anon = server.client()
    assert anon.post("/worker/workers", json={"name": "x"}).status_code == 401
    wrong = anon.post(
        "/worker/workers", json={"name": "x"}, headers={"Authorization": "Bearer nope"}
    )
    assert wrong.status_code == 401
    user_token = anon.post(
        "/worker/tasks/1/start",
        json={"worker": "x"},
        headers={"Authorization": f"Bearer {owner.token}"},
    )
    assert user_token.status_code == 401


def test_register_heartbeat_and_online_flag(server, owner, standin):
    first = listed(owner, standin)
    assert (first["online"], first["device"], first["host"], first["state"]) == (
        True,
        "cpu",
        "testhost",
        "online",
    )
    beat = standin.http.post(f"/workers/{standin.name}/heartbeat", json={"busy_task_id": 5})
    assert beat.json() == {"ok": True}
    assert (listed(owner, standin)["state"], listed(owner, standin)["busy_task_id"]) == ("busy", 5)
    unknown = standin.http.post("/workers/ghost/heartbeat", json={})
    assert unknown.status_code == 404
    wait_until(
        lambda: listed(owner, standin)["state"] == "offline",
        timeout=5,
        message="the sweeper to mark the silent worker offline",
    )
    assert listed(owner, standin)["online"] is False
    again = standin.register()
    assert again["id"] == first["id"]  # upsert by name
    assert listed(owner, standin)["online"] is True


def test_blobs_are_verified_by_hash_and_idempotent(standin):
    sha = standin.put_blob(b"some bytes")
    assert standin.put_blob(b"some bytes") == sha
    assert standin.http.get(f"/blobs/{sha}").content == b"some bytes"
    wrong = standin.http.put(f"/blobs/{'0' * 64}", content=b"other bytes")
    assert wrong.status_code == 422
    assert "hash to" in wrong.json()["detail"]
    assert standin.http.get(f"/blobs/{'0' * 64}").status_code == 404
    assert standin.http.get("/blobs/not-a-hash").status_code == 422


def test_start_opens_an_attempt_and_refuses_a_task_running_under_a_live_lease(
    server, owner, standin
):
    project, job, task_id = new_job(owner)
    spec = standin.start_ok(task_id)
    assert (spec["attempt"], spec["lease_seconds"], spec["kind"]) == (1, LEASE, "detect")
    assert len(spec["images"]) == 2 and spec["images"][0]["annotations"] == []
    # max detections unset: the project's setting, else derived by the worker
    assert spec["params"] == {"score_threshold": 0.05, "max_detections": None}
    busy = standin.start(task_id)
    assert busy.status_code == 409
    assert "live lease" in busy.json()["detail"]
    assert standin.start(999999).status_code == 404


def test_a_projects_detection_settings_reach_its_tasks_and_are_validated(server, owner, standin):
    project = create_project(owner.client)
    pid = project["id"]
    assert project["settings"] == {
        "working_scale": None,
        "max_detections": None,
        "base_model_id": None,
    }
    for bad in (
        {"working_scale": 100},
        {"working_scale": 0},
        {"max_detections": 0},
        {"workingscale": 2},
    ):
        answer = owner.client.patch(f"/projects/{pid}", json={"settings": bad})
        assert answer.status_code == 422, answer.text
    settings = {"working_scale": 1.5, "max_detections": 600, "base_model_id": None}
    answer = owner.client.patch(f"/projects/{pid}", json={"settings": settings})
    assert answer.status_code == 200 and answer.json()["settings"] == settings
    assert owner.client.get(f"/projects/{pid}").json()["settings"] == settings
    # a PATCH changes what it sends and keeps the rest; null is automatic again
    answer = owner.client.patch(f"/projects/{pid}", json={"settings": {"working_scale": None}})
    assert answer.json()["settings"] == {
        "working_scale": None,
        "max_detections": 600,
        "base_model_id": None,
    }
    owner.client.patch(f"/projects/{pid}", json={"settings": {"working_scale": 1.5}})
    add_images(owner.client, pid, 1)
    job = owner.client.post(f"/projects/{pid}/jobs", json={"kind": "detect"}).json()
    spec = standin.start_ok(job["tasks"][0]["id"])
    assert spec["params"]["working_scale"] == 1.5 and spec["params"]["max_detections"] == 600
    # a project may start from another shipped model than the server's default
    shipped = owner.client.get("/models").json()[-1]
    refused = owner.client.patch(f"/projects/{pid}", json={"settings": {"base_model_id": 999999}})
    assert refused.status_code == 422 and "not a shipped model" in refused.text
    owner.client.patch(f"/projects/{pid}", json={"settings": {"base_model_id": shipped["id"]}})
    listed = owner.client.get(f"/projects/{pid}/models").json()
    assert [m["id"] for m in listed if m["is_default"]] == [shipped["id"]]
    # a job's own max_detections wins over the project's
    job = owner.client.post(
        f"/projects/{pid}/jobs", json={"kind": "detect", "params": {"max_detections": 50}}
    ).json()
    assert standin.start_ok(job["tasks"][0]["id"])["params"]["max_detections"] == 50


def test_progress_renews_the_lease(server, owner, standin):
    project, job, task_id = new_job(owner)
    spec = standin.start_ok(task_id)
    expiries = []
    for step in range(8):  # 2.4 s: more than two leases
        answer = standin.progress(task_id, spec["attempt_token"], step / 10, "detecting")
        assert answer.status_code == 200, answer.text
        assert answer.json()["cancelled"] is False
        expiries.append(answer.json()["lease_expires_at"])
        time.sleep(0.3)
    assert expiries == sorted(expiries) and len(set(expiries)) == len(expiries)
    task, detail = task_row(owner, project, job, task_id)
    assert (task["state"], task["attempt"], task["stage"]) == ("running", 1, "detecting")
    assert detail["state"] == "running"
    assert len(messages_for(server, task_id)) == 1  # never re-enqueued


def test_expired_lease_is_re_enqueued_on_the_real_queue_and_stale_token_is_refused(
    server, owner, standin
):
    project, job, task_id = new_job(owner)
    assert len(messages_for(server, task_id)) == 1
    first = standin.start_ok(task_id)
    wait_until(
        lambda: task_row(owner, project, job, task_id)[0]["state"] == "queued",
        timeout=10,
        message="the sweeper to re-enqueue the task",
    )
    task, _ = task_row(owner, project, job, task_id)
    assert "lease expired on attempt 1" in task["error"]
    assert messages_for(server, task_id) == [{"task": "metaloop.detect", "args": [task_id]}] * 2

    second = standin.start_ok(task_id)
    assert second["attempt"] == 2 and second["attempt_token"] != first["attempt_token"]
    stale = standin.progress(task_id, first["attempt_token"])
    assert stale.status_code == 409
    assert "stale attempt token" in stale.json()["detail"]
    assert standin.result(task_id, first["attempt_token"], detect_result(first)).status_code == 409
    assert standin.fail(task_id, first["attempt_token"], "late").status_code == 409

    assert (
        standin.result(task_id, second["attempt_token"], detect_result(second)).status_code == 200
    )
    again = standin.result(task_id, second["attempt_token"], detect_result(second))
    assert again.status_code == 409
    predictions = owner.client.get(
        f"/projects/{project['id']}/predictions", params={"job_id": job["id"]}
    ).json()
    assert predictions["total"] == 2  # one per image, stored once
    task, detail = task_row(owner, project, job, task_id)
    assert (task["state"], detail["state"]) == ("succeeded", "succeeded")
    assert standin.start(task_id).status_code == 409


def test_task_fails_after_max_attempts_keeping_the_reason(server, owner, standin):
    project, job, task_id = new_job(owner)
    standin.start_ok(task_id)
    wait_until(
        lambda: task_row(owner, project, job, task_id)[0]["state"] == "queued",
        timeout=10,
        message="the first re-enqueue",
    )
    standin.start_ok(task_id)
    wait_until(
        lambda: task_row(owner, project, job, task_id)[0]["state"] == "failed",
        timeout=10,
        message="the task to fail",
    )
    task, detail = task_row(owner, project, job, task_id)
    assert "lease expired on attempt 2" in task["error"]
    assert "gave up after 2 attempts" in task["error"]
    assert detail["state"] == "failed"
    assert "gave up after 2 attempts" in detail["error"]
    assert len(messages_for(server, task_id)) == 2  # no third message
    assert standin.start(task_id).status_code == 409


def test_fail_with_retry_re_enqueues_then_fails_when_attempts_run_out(server, owner, standin):
    project, job, task_id = new_job(owner)
    spec = standin.start_ok(task_id)
    answer = standin.fail(task_id, spec["attempt_token"], "CUDA out of memory", retry=True)
    assert answer.json() == {"state": "queued"}
    assert len(messages_for(server, task_id)) == 2
    spec = standin.start_ok(task_id)
    answer = standin.fail(task_id, spec["attempt_token"], "CUDA out of memory again", retry=True)
    assert answer.json() == {"state": "failed"}
    task, detail = task_row(owner, project, job, task_id)
    assert task["error"] == "CUDA out of memory again"
    assert detail["state"] == "failed" and "CUDA out of memory again" in detail["error"]


def test_a_malformed_result_is_refused_and_leaves_the_task_running(server, owner, standin):
    project, job, task_id = new_job(owner)
    spec = standin.start_ok(task_id)
    bad = detect_result(spec)
    bad["predictions"][0]["detections"][0]["class_index"] = 7
    answer = standin.result(task_id, spec["attempt_token"], bad)
    assert answer.status_code == 422
    assert "class_index 7" in answer.json()["detail"]
    assert task_row(owner, project, job, task_id)[0]["state"] == "running"
    assert owner.client.get(f"/projects/{project['id']}/predictions").json()["total"] == 0


def test_adapt_result_is_written_once_in_one_transaction(server, owner, standin):
    project, job, task_id = new_job(owner, kind="adapt")
    spec = standin.start_ok(task_id)
    no_weights = adapt_result(standin)
    no_weights["weights_sha256"] = "e" * 64
    refused = standin.result(task_id, spec["attempt_token"], no_weights)
    assert refused.status_code == 422 and "not in the blob store" in refused.json()["detail"]
    assert standin.result(task_id, spec["attempt_token"], adapt_result(standin)).status_code == 200
    assert standin.result(task_id, spec["attempt_token"], adapt_result(standin)).status_code == 409
    engine = create_engine(server.env["DATABASE_URL"])
    with engine.connect() as connection:
        models = connection.execute(
            text("SELECT count(*) FROM models WHERE project_id = :p"), {"p": project["id"]}
        ).scalar()
        checkpoints = connection.execute(
            text("SELECT count(*) FROM metrics WHERE job_id = :j"), {"j": job["id"]}
        ).scalar()
    engine.dispose()
    assert (models, checkpoints) == (1, 4)


def test_sibling_tasks_finishing_together_settle_the_job(start_api_server):
    server = start_api_server(detect_chunk_size="1")
    owner = setup_admin(server)
    standins = [WorkerStandIn(server, f"w{i}") for i in range(4)]
    project = create_project(owner.client)
    add_images(owner.client, project["id"], 4)
    for _ in range(3):
        job = owner.client.post(f"/projects/{project['id']}/jobs", json={"kind": "detect"}).json()
        specs = [w.start_ok(t["id"]) for w, t in zip(standins, job["tasks"], strict=True)]
        barrier = threading.Barrier(len(specs))

        def finish(worker, spec, barrier=barrier):
            barrier.wait()
            return worker.result(
                spec["task_id"], spec["attempt_token"], detect_result(spec)
            ).status_code

        with ThreadPoolExecutor(len(specs)) as pool:
            codes = list(pool.map(finish, standins, specs))
        assert codes == [200] * 4
        detail = owner.client.get(f"/projects/{project['id']}/jobs/{job['id']}").json()
        assert (detail["state"], detail["progress"]) == ("succeeded", 1.0)
        assert detail["result"]["predictions"] == 4


def test_a_message_that_could_not_be_sent_is_sent_by_the_sweeper_once_redis_is_back(
    start_api_server, tmp_path
):
    port = free_port()
    server = start_api_server(redis_url=f"redis://127.0.0.1:{port}/0", sweep_interval_seconds="0.3")
    owner = setup_admin(server)
    project = create_project(owner.client)
    add_images(owner.client, project["id"], 1)
    created = owner.client.post(f"/projects/{project['id']}/jobs", json={"kind": "detect"})
    assert created.status_code == 201, created.text  # the job is kept although Redis is down
    task_id = created.json()["tasks"][0]["id"]
    with EmbeddedRedis(tmp_path / "late-redis", port=port):
        wait_until(lambda: messages_for(server, task_id), timeout=20, message="the re-sent message")
        assert messages_for(server, task_id) == [{"task": "metaloop.detect", "args": [task_id]}]


def test_a_worker_shows_busy_while_it_runs_a_task(api_server, client) -> None:
    """Tasks run in the worker's child processes, which its heartbeat cannot see: the server
    marks the worker busy when it starts a task and while that task's lease is live."""
    from support.factories import add_images, annotate, create_project

    # a name of its own: other tests' stand-ins may still hold live leases
    worker = WorkerStandIn(api_server, "busy-standin")

    project = create_project(client)
    image = add_images(client, project["id"], 1)[0]
    annotate(client, project["id"], image["id"], project["classes"][0]["id"])
    worker.register()
    job = client.post(f"/projects/{project['id']}/jobs", json={"kind": "adapt"}).json()
    task_id = job["tasks"][0]["id"]
    worker.start_ok(task_id)

    def mine() -> dict:
        return next(w for w in client.get("/workers").json() if w["name"] == worker.name)

    assert (mine()["state"], mine()["busy_task_id"]) == ("busy", task_id)
    beat = worker.http.post(f"/workers/{worker.name}/heartbeat", json={"device": "cpu"})
    assert beat.status_code == 200
    assert (mine()["state"], mine()["busy_task_id"]) == ("busy", task_id)  # still running
    client.post(f"/projects/{project['id']}/jobs/{job['id']}/cancel")
    worker.http.post(f"/workers/{worker.name}/heartbeat", json={"device": "cpu"})
    assert (mine()["state"], mine()["busy_task_id"]) == ("online", None)
