"""The event stream keeps every event and ends with access (issue 23): events carry ids and a
reconnect with `Last-Event-ID` gets the missed ones from the event log; a stream open across a
restart of Redis receives every event of a job that runs through it, none missing and none
duplicated; a stream ends within seconds of logout, and a member removed from a project stops
getting its events."""

from __future__ import annotations

import json
import queue
import threading
import time

import httpx
from support.factories import add_images, annotate, create_project
from support.worker_standin import WorkerStandIn, adapt_result

from backend.embedded_redis import EmbeddedRedis


class Listener:
    """An SSE client in a thread: (id, event type, data) per event, and whether it ended."""

    def __init__(self, base_url: str, token: str, last_event_id: int | None = None) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        if last_event_id is not None:
            headers["Last-Event-ID"] = str(last_event_id)
        self.client = httpx.Client(base_url=base_url, headers=headers, timeout=httpx.Timeout(30))
        self.events: queue.Queue[tuple[int, str, dict]] = queue.Queue()
        self.connected = threading.Event()
        self.ended = threading.Event()
        self.comments: list[str] = []
        threading.Thread(target=self._run, daemon=True).start()
        assert self.connected.wait(15), "the stream did not connect"

    def _run(self) -> None:
        try:
            with self.client.stream("GET", "/api/events") as response:
                assert response.status_code == 200, response.read()
                current: dict = {}
                for line in response.iter_lines():
                    if line.startswith(":"):
                        self.comments.append(line)
                        if line.startswith(": connected"):
                            self.connected.set()
                    elif line.startswith("id:"):
                        current["id"] = int(line[3:].strip())
                    elif line.startswith("event:"):
                        current["event"] = line[6:].strip()
                    elif line.startswith("data:"):
                        current["data"] = json.loads(line[5:])
                    elif line == "" and "data" in current:
                        self.events.put((current["id"], current["event"], current["data"]))
                        current = {}
        except httpx.HTTPError:
            pass
        finally:
            self.ended.set()

    def take_until(self, done, timeout: float = 30.0) -> list[tuple[int, str, dict]]:
        got: list[tuple[int, str, dict]] = []
        deadline = time.monotonic() + timeout
        while not done(got):
            left = deadline - time.monotonic()
            assert left > 0, f"events so far: {got}"
            try:
                got.append(self.events.get(timeout=left))
            except queue.Empty:
                continue
        return got

    def close(self) -> None:
        self.client.close()


def job_finished(job_id: int):
    return lambda got: any(
        kind == "job" and data["id"] == job_id and data["state"] == "succeeded"
        for _, kind, data in got
    )


def of_job(got: list, job_id: int) -> list[tuple[int, str, dict]]:
    return [
        (seq, kind, data)
        for seq, kind, data in got
        if (kind == "job" and data["id"] == job_id)
        or (kind == "task" and data["data"]["job_id"] == job_id)
    ]


def adapt_job(client: httpx.Client, project_id: int) -> tuple[dict, int]:
    job = client.post(f"/projects/{project_id}/jobs", json={"kind": "adapt"}).json()
    return job, job["tasks"][0]["id"]


def annotated_project(client: httpx.Client) -> dict:
    project = create_project(client)
    image = add_images(client, project["id"], 1)[0]
    annotate(client, project["id"], image["id"], project["classes"][0]["id"])
    return project


def test_a_reconnect_with_last_event_id_gets_the_missed_events(api_server, user) -> None:
    project = annotated_project(user.client)
    worker = WorkerStandIn(api_server, "replay-worker")
    first = Listener(api_server.url, user.token)
    job, task_id = adapt_job(user.client, project["id"])
    seen = first.take_until(lambda got: any(k == "job" for _, k, _ in of_job(got, job["id"])))
    first.close()
    last_seen = seen[-1][0]
    # meanwhile, with no stream open: the task starts, reports and finishes
    spec = worker.start_ok(task_id)
    worker.progress(task_id, spec["attempt_token"], 0.5, "adapting")
    assert worker.result(task_id, spec["attempt_token"], adapt_result(worker)).status_code == 200
    again = Listener(api_server.url, user.token, last_event_id=last_seen)
    missed = again.take_until(job_finished(job["id"]))
    again.close()
    ids = [seq for seq, _, _ in missed]
    assert ids == sorted(set(ids)) and ids[0] > last_seen, ids
    states = [(kind, data["state"]) for _, kind, data in of_job(missed, job["id"])]
    assert ("task", "running") in states and ("job", "succeeded") in states, states
    # the whole log of the job again, from the start: what the first stream saw comes first
    everything = Listener(api_server.url, user.token, last_event_id=0)
    log = of_job(everything.take_until(job_finished(job["id"])), job["id"])
    everything.close()
    assert [e for e in log if e[0] <= last_seen] == of_job(seen, job["id"])
    assert [e for e in log if e[0] > last_seen] == of_job(missed, job["id"])


def test_a_stream_across_a_redis_restart_misses_nothing(start_api_server, tmp_path) -> None:
    from support.factories import setup_admin

    broker = EmbeddedRedis(tmp_path / "own-redis")
    broker.start()
    try:
        server = start_api_server(redis_url=broker.url)
        owner = setup_admin(server)
        client = server.client(owner.token)
        project = annotated_project(client)
        worker = WorkerStandIn(server, "restart-worker")
        earlier, _ = adapt_job(client, project["id"])  # logged before the stream opens
        listener = Listener(server.url, owner.token)
        job, task_id = adapt_job(client, project["id"])
        spec = worker.start_ok(task_id)
        token = spec["attempt_token"]
        worker.progress(task_id, token, 0.2, "adapting", points=[{"step": 1, "loss": 1.0}])
        before = listener.take_until(lambda got: any(d.get("progress") == 0.2 for _, _, d in got))
        assert broker.process is not None
        broker.process.kill()  # Redis dies, empty (no persistence) ...
        broker.process.wait(timeout=10)
        for step in range(2, 5):  # ... while the job goes on: these are only in the log
            answer = worker.progress(task_id, token, step / 10, "adapting")
            assert answer.status_code == 200, answer.text
        time.sleep(1.5)
        broker.start()  # ... and comes back on the same port
        worker.progress(task_id, token, 0.8, "adapting", points=[{"step": 8, "loss": 0.5}])
        assert worker.result(task_id, token, adapt_result(worker)).status_code == 200
        after = listener.take_until(job_finished(job["id"]), timeout=40)
        got = of_job(before + after, job["id"])
        assert any("re-subscribing" in c for c in listener.comments), listener.comments
        listener.close()
        everything = Listener(server.url, owner.token, last_event_id=0)
        log = of_job(everything.take_until(job_finished(job["id"])), job["id"])
        everything.close()
        ids = [seq for seq, _, _ in got]
        assert len(ids) == len(set(ids)), f"duplicated: {ids}"
        missing = sorted({seq for seq, _, _ in log} - set(ids))
        assert sorted(got, key=lambda e: e[0]) == log, {"missing": missing, "got": ids}
        progress = [d["progress"] for _, k, d in got if k == "task"]
        assert {0.2, 0.3, 0.4, 0.8} <= set(progress), progress
        # filling the gap after the restart sends nothing from before the stream opened
        received = [seq for seq, _, _ in before + after]
        assert min(received) == received[0], received
        assert not of_job(before + after, earlier["id"]), received
    finally:
        broker.stop()


def test_a_stream_ends_at_logout(api_server, make_user) -> None:
    someone = make_user()
    listener = Listener(api_server.url, someone.token)
    assert someone.client.post("/auth/logout").status_code == 200
    assert listener.ended.wait(8), "the stream went on after logout"
    listener.close()


def test_a_removed_member_stops_getting_the_projects_events(api_server, user, make_user) -> None:
    project = annotated_project(user.client)
    member = make_user()
    added = user.client.post(
        f"/projects/{project['id']}/members",
        json={"username": member.username, "role": "viewer"},
    )
    assert added.status_code == 201, added.text
    listener = Listener(api_server.url, member.token)
    job, _ = adapt_job(user.client, project["id"])
    listener.take_until(lambda got: any(k == "job" for _, k, _ in of_job(got, job["id"])))
    removed = user.client.delete(f"/projects/{project['id']}/members/{member.id}")
    assert removed.status_code == 204, removed.text
    time.sleep(3)  # SSE_ACCESS_CHECK_SECONDS (2 s) and a margin
    while not listener.events.empty():  # what was sent before the removal
        listener.events.get_nowait()
    user.client.post(f"/projects/{project['id']}/jobs/{job['id']}/cancel")
    later, _ = adapt_job(user.client, project["id"])
    marker = WorkerStandIn(api_server, f"marker-{member.username}")
    marker.register()  # a worker event: everyone gets it, so it marks "later" on the stream
    got = listener.take_until(
        lambda got: any(k == "worker" and d["data"]["name"] == marker.name for _, k, d in got)
    )
    listener.close()
    leaked = [(k, d) for _, k, d in got if k != "worker" and d["project_id"] == project["id"]]
    assert leaked == [], leaked
    assert all(d["data"]["host"] == "" for _, k, d in got if k == "worker")  # not an admin


def test_an_open_stream_gets_the_first_events_of_a_project_made_after_it_opened(
    api_server, user
) -> None:
    listener = Listener(api_server.url, user.token)
    small = {"adapt_annotated": 1, "adapt_unannotated": 0, "holdout": 0, "image_size": 32}
    jobs = []
    for _ in range(3):  # right after the stream opened, then one after another
        made = user.client.post("/projects/demo", json=small)
        assert made.status_code == 201, made.text
        jobs.append(made.json()["job_id"])

    def queued_of_each(got) -> bool:
        queued = {d["id"] for _, kind, d in got if kind == "job" and d["state"] == "queued"}
        return set(jobs) <= queued

    got = listener.take_until(queued_of_each, timeout=15)
    listener.close()
    ids = [seq for seq, _, _ in got]
    assert ids == sorted(ids), ids  # in order, nothing held back and sent late
