"""Issue 23: the queue recovers from a broker that lost its messages, leases survive an API
outage, duplicate deliveries are no-ops, cancelled jobs' partial predictions stay out of review,
and batch work is shared between projects. A real API process, a real Redis (a dedicated one
where it is killed), real HTTP; the worker's side is played over HTTP by the stand-in."""

from __future__ import annotations

import base64
import json
import time

import redis
from support.factories import add_images, create_project, setup_admin
from support.processes import free_port, wait_until
from support.services import queued_messages
from support.worker_standin import WorkerStandIn, detect_result

from backend.db import utcnow
from backend.embedded_redis import EmbeddedRedis


def _task_ids_in(server, queue: str | None = None) -> list[int]:
    queue = queue or server.queue
    return [m["args"][0] for m in queued_messages(server.redis_url, queue)]


def _take(server, queue: str, task_id: int) -> None:
    """Remove the task's message from the queue, as the worker that receives it does."""
    client = redis.Redis.from_url(server.redis_url)
    try:
        for raw in client.lrange(queue, 0, -1):
            if _message_task(raw) == task_id:
                client.lrem(queue, 1, raw)
                return
    finally:
        client.close()
    raise AssertionError(f"no message for task {task_id} in {queue}")


def _message_task(raw: bytes) -> int:
    envelope = json.loads(raw)
    body = envelope["body"]
    if envelope.get("properties", {}).get("body_encoding") == "base64":
        body = base64.b64decode(body)
    return json.loads(body)[0][0]


def _detect_job(owner, images: int) -> tuple[dict, dict]:
    project = create_project(owner.client)
    add_images(owner.client, project["id"], images, width=32, height=32)
    created = owner.client.post(f"/projects/{project['id']}/jobs", json={"kind": "detect"})
    assert created.status_code == 201, created.text
    return project, created.json()


def test_a_queued_task_whose_message_was_lost_is_sent_again_after_the_bound(start_api_server):
    server = start_api_server(requeue_after_seconds="1", sweep_interval_seconds="0.2")
    owner = setup_admin(server)
    _, job = _detect_job(owner, 2)
    (task_id,) = [t["id"] for t in job["tasks"]]
    assert _task_ids_in(server) == [task_id]
    redis.Redis.from_url(server.redis_url).delete(server.queue)  # the broker lost it
    lost_at = time.monotonic()
    wait_until(lambda: _task_ids_in(server), timeout=10, message="the message sent again")
    assert _task_ids_in(server)[0] == task_id
    assert time.monotonic() - lost_at < 5


def test_every_queued_task_is_sent_again_when_the_broker_restarts_empty(start_api_server, tmp_path):
    port = free_port()
    broker = EmbeddedRedis(tmp_path / "redis", port=port)
    broker.start()
    try:
        # a bound far away: only the broker's return can explain the messages coming back
        server = start_api_server(
            redis_url=broker.url,
            requeue_after_seconds="3600",
            sweep_interval_seconds="0.3",
            detect_chunk_size="1",
        )
        owner = setup_admin(server)
        _, job = _detect_job(owner, 3)
        task_ids = sorted(t["id"] for t in job["tasks"])
        assert sorted(_task_ids_in(server)) == task_ids
        broker.stop()  # no persistence: it comes back empty
        time.sleep(1.0)  # the sweeper sees it down
        broker.start()
        wait_until(
            lambda: sorted(_task_ids_in(server)) == task_ids,
            timeout=10,
            message="every queued task's message sent again",
        )
        assert "reachable again" in server.logs() or "restarted" in server.logs()
    finally:
        broker.stop()


def test_a_second_delivery_of_a_started_or_finished_task_is_a_no_op(start_api_server):
    server = start_api_server()
    owner = setup_admin(server)
    project, job = _detect_job(owner, 2)
    (task_id,) = [t["id"] for t in job["tasks"]]
    first, second = WorkerStandIn(server, "first"), WorkerStandIn(server, "second")
    first.register(), second.register()
    spec = first.start_ok(task_id)
    assert second.start(task_id).status_code == 409  # running under a live lease
    assert first.result(task_id, spec["attempt_token"], detect_result(spec)).status_code == 200
    again = second.start(task_id)
    assert again.status_code == 409 and "succeeded" in again.json()["detail"]
    items = owner.client.get(f"/projects/{project['id']}/predictions").json()["items"]
    assert len(items) == 2
    detail = owner.client.get(f"/projects/{project['id']}/jobs/{job['id']}").json()
    assert (detail["state"], detail["tasks"][0]["attempt"]) == ("succeeded", 1)


def test_an_api_restart_renews_running_leases_before_the_first_sweep(start_api_server):
    lease = 2.0
    server = start_api_server(lease_seconds=str(lease), sweep_interval_seconds="0.2")
    owner = setup_admin(server)
    _, job = _detect_job(owner, 1)
    (task_id,) = [t["id"] for t in job["tasks"]]
    standin = WorkerStandIn(server, "busy")
    standin.register()
    token = standin.start_ok(task_id)["attempt_token"]
    server.kill()
    time.sleep(lease + 1.0)  # the lease ran out while nobody could renew it
    server.start_again()
    time.sleep(0.6)  # a few sweeps
    standin.http = server.worker_client()
    renewed = standin.progress(task_id, token)
    assert renewed.status_code == 200, renewed.text
    assert "renewed the leases of 1 running task" in server.logs()


def test_a_cancelled_jobs_partial_predictions_stay_out_of_the_review_queue(start_api_server):
    server = start_api_server(detect_chunk_size="1")
    owner = setup_admin(server)
    api = owner.client
    project = create_project(api)
    pid = project["id"]
    add_images(api, pid, 3, width=32, height=32)
    standin = WorkerStandIn(server, "detector")
    standin.register()

    def run(job: dict, how_many: int) -> None:
        for task in job["tasks"][:how_many]:
            spec = standin.start_ok(task["id"])
            done = standin.result(task["id"], spec["attempt_token"], detect_result(spec))
            assert done.status_code == 200, done.text

    whole = api.post(f"/projects/{pid}/jobs", json={"kind": "detect"}).json()
    run(whole, 3)
    partial = api.post(f"/projects/{pid}/jobs", json={"kind": "detect"}).json()
    run(partial, 2)  # 2 of 3 images detected, then cancelled
    assert api.post(f"/projects/{pid}/jobs/{partial['id']}/cancel").status_code == 200

    listed = api.get(f"/projects/{pid}/predictions", params={"limit": 100}).json()
    assert {p["job_id"] for p in listed["items"]} == {whole["id"]} and listed["total"] == 3
    review = api.get(f"/projects/{pid}/predictions/images").json()
    assert {i["job_id"] for i in review["items"]} == {whole["id"]}
    image_id = listed["items"][0]["image_id"]
    for_image = api.get(f"/projects/{pid}/images/{image_id}/predictions").json()
    assert {p["job_id"] for p in for_image} == {whole["id"]}
    # asked for by its job, the partial set is there: kept, not dropped
    asked = api.get(f"/projects/{pid}/predictions", params={"job_id": partial["id"]}).json()
    assert asked["total"] == 2
    asked_review = api.get(f"/projects/{pid}/predictions/images", params={"job_id": partial["id"]})
    assert asked_review.json()["total"] == 2


def test_batch_work_is_shared_between_projects_and_kept_apart_from_interactive_work(
    start_api_server,
):
    server = start_api_server(
        detect_chunk_size="1", interactive_detect_images="2", batch_waiting_per_project="2"
    )
    owner = setup_admin(server)
    batch_queue = f"{server.queue}.batch"
    _, big = _detect_job(owner, 6)  # 6 images > 2: batch, 6 tasks
    _, other = _detect_job(owner, 3)  # batch too, another project
    _, small = _detect_job(owner, 2)  # interactive
    big_ids = [t["id"] for t in big["tasks"]]
    other_ids = [t["id"] for t in other["tasks"]]
    # each project has its share (2) waiting in the batch queue, in the order sent
    wait_until(lambda: len(_task_ids_in(server, batch_queue)) == 4, timeout=10)
    waiting = _task_ids_in(server, batch_queue)
    assert sorted(waiting) == sorted(big_ids[:2] + other_ids[:2])
    assert sorted(_task_ids_in(server)) == [t["id"] for t in small["tasks"]]
    # a worker takes one of the big job's: its project's next chunk is sent, and no more
    standin = WorkerStandIn(server, "batcher")
    standin.register()
    _take(server, batch_queue, big_ids[0])
    standin.start_ok(big_ids[0])
    wait_until(lambda: big_ids[2] in _task_ids_in(server, batch_queue), timeout=10)
    time.sleep(0.5)
    waiting = _task_ids_in(server, batch_queue)
    assert sorted(waiting) == sorted([big_ids[1], big_ids[2]] + other_ids[:2])


def test_a_lease_expired_batch_task_goes_back_through_its_projects_share(start_api_server):
    server = start_api_server(
        detect_chunk_size="1",
        interactive_detect_images="2",
        batch_waiting_per_project="1",
        lease_seconds="1",
        sweep_interval_seconds="0.2",
    )
    owner = setup_admin(server)
    batch_queue = f"{server.queue}.batch"
    project, big = _detect_job(owner, 3)
    ids = [t["id"] for t in big["tasks"]]
    wait_until(lambda: _task_ids_in(server, batch_queue) == [ids[0]], timeout=10)
    standin = WorkerStandIn(server, "dies")
    standin.register()
    _take(server, batch_queue, ids[0])
    standin.start_ok(ids[0])  # then its worker dies: the lease runs out
    wait_until(lambda: _task_ids_in(server, batch_queue) == [ids[1]], timeout=10)

    def first_state() -> str:
        detail = owner.client.get(f"/projects/{project['id']}/jobs/{big['id']}").json()
        return detail["tasks"][0]["state"]

    wait_until(lambda: first_state() == "queued", timeout=10, message="the lease to expire")
    time.sleep(0.5)
    assert _task_ids_in(server, batch_queue) == [ids[1]]  # the share is full: held back
    _take(server, batch_queue, ids[1])
    standin.start_ok(ids[1])
    # room again: the project's oldest unsent task, the expired one, is sent before ids[2]
    wait_until(lambda: _task_ids_in(server, batch_queue) == [ids[0]], timeout=10)


def test_the_broker_watch_resends_only_what_was_sent_before_the_broker_came_back(tmp_path, caplog):
    """A message sent between the check that found the broker down and the check that finds it
    back went to the broker as it is now: it must not be sent twice (a race the sweeper hit
    when Redis came up between its check and its resend)."""
    from backend.services.sweeper import BrokerWatch

    port = free_port()
    watch = BrokerWatch(f"redis://127.0.0.1:{port}/0")
    broker = EmbeddedRedis(tmp_path / "redis", port=port)
    try:
        broker.start()
        # first contact: only what was queued before this process (its watch) began is re-sent,
        # not the tasks it queued itself before its first sweep
        first = BrokerWatch(broker.url)
        time.sleep(0.05)
        assert first.check() == first.created_at
        assert first.check() is None
        first.close()
        broker.stop()
        assert watch.check() is None  # unreachable
        down_seen = watch.down_seen_at
        assert down_seen is not None
        broker.start()
        with caplog.at_level("WARNING", logger="backend.services.sweeper"):
            back = watch.check()
        assert back == down_seen  # messages sent before the failed check may be lost
        # said even though the broker was down from the first check on (never seen up before)
        assert "reachable again" in caplog.text
        assert watch.check() is None  # reachable, unchanged: nothing to resend
        broker.stop()
        broker.start()  # restarted between two checks, never seen down: a new run_id
        before = utcnow()
        restarted = watch.check()
        assert restarted is not None and restarted >= before
    finally:
        watch.close()
        broker.stop()
