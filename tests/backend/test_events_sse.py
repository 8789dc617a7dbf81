"""GET /api/events: server-sent events of the user's projects (and of workers)."""

from __future__ import annotations

import json
import threading
import time

import httpx
from support.factories import add_images, annotate, create_project
from support.worker_standin import WorkerStandIn


def read_events(lines, until, timeout: float = 10.0) -> list[dict]:
    """Parse SSE frames until `until(events)` holds; comments are ignored."""
    events, current, deadline = [], {}, time.monotonic() + timeout
    for line in lines:
        if line.startswith("event:"):
            current["event"] = line.split(":", 1)[1].strip()
        elif line.startswith("data:"):
            current["data"] = json.loads(line.split(":", 1)[1])
        elif line == "" and current:
            events.append(current)
            current = {}
            if until(events):
                return events
        if time.monotonic() > deadline:
            break
    raise AssertionError(f"events so far: {events}")


def open_stream(api_server, token, **kwargs):
    client = httpx.Client(base_url=api_server.url, timeout=httpx.Timeout(10.0))
    return client, client.stream("GET", "/api/events", **kwargs)


def connected_lines(stream: httpx.Response):
    """The stream's lines, once the server has said it is subscribed."""
    lines = stream.iter_lines()
    for line in lines:
        if line.startswith(": connected"):
            return lines
    raise AssertionError("the stream ended before ': connected'")


def test_sse_delivers_job_events_of_my_projects_only(api_server, user, make_user):
    project = create_project(user.client)
    image = add_images(user.client, project["id"], 1)[0]
    annotate(user.client, project["id"], image["id"], project["classes"][0]["id"])
    other = make_user()
    theirs = create_project(other.client)
    their_image = add_images(other.client, theirs["id"], 1)[0]
    annotate(other.client, theirs["id"], their_image["id"], theirs["classes"][0]["id"])

    client, request = open_stream(
        api_server, user.token, headers={"Authorization": f"Bearer {user.token}"}
    )
    with client, request as stream:
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        lines = connected_lines(stream)
        other.client.post(f"/projects/{theirs['id']}/jobs", json={"kind": "adapt"})
        job = user.client.post(f"/projects/{project['id']}/jobs", json={"kind": "adapt"}).json()
        events = read_events(lines, lambda evs: any(e["event"] == "job" for e in evs))
    job_event = next(e for e in events if e["event"] == "job")
    assert (
        job_event["data"]
        | {"type": "job", "id": job["id"], "project_id": project["id"], "state": "queued"}
        == job_event["data"]
    )
    assert all(e["data"].get("project_id") in (None, project["id"]) for e in events)


def test_sse_reports_task_progress_with_loss_points(api_server, user, worker):
    project = create_project(user.client)
    image = add_images(user.client, project["id"], 1)[0]
    annotate(user.client, project["id"], image["id"], project["classes"][0]["id"])
    job = user.client.post(f"/projects/{project['id']}/jobs", json={"kind": "adapt"}).json()
    task_id = job["tasks"][0]["id"]

    client, request = open_stream(
        api_server, user.token, headers={"Authorization": f"Bearer {user.token}"}
    )
    with client, request as stream:
        lines = connected_lines(stream)
        spec = worker.start_ok(task_id)
        worker.progress(
            task_id, spec["attempt_token"], 0.4, "adapting", points=[{"step": 3, "loss": 0.9}]
        )
        events = read_events(
            lines, lambda evs: any(e["data"].get("data", {}).get("points") for e in evs)
        )
    states = [(e["event"], e["data"]["state"]) for e in events]
    assert ("task", "running") in states and ("job", "running") in states
    progress = next(e for e in events if e["data"].get("data", {}).get("points"))
    assert progress["data"]["data"]["points"] == [[3, 0.9]]
    assert progress["data"]["progress"] == 0.4


def test_sse_delivers_worker_events_to_everyone(api_server, user):
    client, request = open_stream(
        api_server, user.token, headers={"Authorization": f"Bearer {user.token}"}
    )
    with client, request as stream:
        lines = connected_lines(stream)
        threading.Thread(target=WorkerStandIn(api_server, "sse-worker").register).start()
        events = read_events(lines, lambda evs: any(e["event"] == "worker" for e in evs))
    worker_event = next(e for e in events if e["event"] == "worker")
    assert worker_event["data"]["data"]["name"] == "sse-worker"


def test_sse_without_a_token_is_401(api_server):
    assert httpx.get(f"{api_server.url}/api/events", timeout=5).status_code == 401
    bad = httpx.get(f"{api_server.url}/api/events", params={"ticket": "nope"}, timeout=5)
    assert bad.status_code == 401
