"""Imports run as jobs (issue 22, item 1): progress arrives as job events, a cancel stores
nothing, and an import survives or fails cleanly when its processes die."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import psutil
from support.factories import create_project, image_bytes
from test_events_sse import connected_lines, open_stream, read_events
from test_import_export import counts, do_import, make_zip, wait_for_import


def many_images_zip(n: int, size: int = 64) -> bytes:
    """`n` distinct images with one `cat` box each, as COCO."""
    images, annotations, files = [], [], {}
    for i in range(n):
        name = f"img{i:05d}.png"
        files[name] = image_bytes(size, size, color=(i % 256, i // 256 % 256, 7))
        images.append({"id": i + 1, "file_name": name, "width": size, "height": size})
        annotations.append({"id": i + 1, "image_id": i + 1, "category_id": 1, "bbox": [1, 2, 9, 9]})
    categories = [{"id": 1, "name": "cat"}]
    coco = {"images": images, "annotations": annotations, "categories": categories}
    files["annotations.json"] = json.dumps(coco).encode()
    return make_zip(files)


def post_import(client: httpx.Client, project_id: int, data: bytes) -> dict:
    answer = client.post(
        f"/projects/{project_id}/imports",
        data={"format": "coco"},
        files={"file": ("data.zip", data, "application/zip")},
    )
    assert answer.status_code == 202, answer.text
    return answer.json()


def wait_until_running(client: httpx.Client, project_id: int, job_id: int) -> dict:
    deadline = time.monotonic() + 30
    while True:
        job = client.get(f"/projects/{project_id}/jobs/{job_id}").json()
        if job["state"] == "running" and job["stage"].startswith("import: checking images"):
            return job
        assert job["state"] in ("queued", "running") and time.monotonic() < deadline, (
            job["state"],
            job["error"],
        )
        time.sleep(0.02)


def test_an_import_reports_progress_as_job_events(api_server, user) -> None:
    project = create_project(user.client)
    client, request = open_stream(
        api_server, user.token, headers={"Authorization": f"Bearer {user.token}"}
    )
    with client, request as stream:
        lines = connected_lines(stream)
        job = post_import(user.client, project["id"], many_images_zip(30))

        def finished(events: list[dict]) -> bool:
            return any(
                e["event"] == "job" and e["data"]["id"] == job["id"] and e["data"]["state"]
                in ("succeeded", "failed") for e in events
            )  # fmt: skip

        events = read_events(lines, finished, timeout=60)
    mine = [e["data"] for e in events if e["event"] == "job" and e["data"]["id"] == job["id"]]
    assert mine[-1]["state"] == "succeeded" and mine[-1]["progress"] == 1.0, mine
    stages = [e["stage"] for e in mine]
    assert any(s.startswith("import: checking images") for s in stages), stages
    assert any(s == "import: storing" for s in stages), stages
    progress = [e["progress"] for e in mine]
    assert progress == sorted(progress) and 0 < progress[-2] < 1, progress
    assert all(e["data"]["kind"] == "import" for e in mine)
    report = wait_for_import(user.client, project["id"], job["id"])["report"]
    assert report["images_added"] == 30 and report["annotations"] == 30


def blob_files(server) -> int:
    return sum(1 for p in (Path(server.env["DATA_DIR"]) / "blobs").rglob("*") if p.is_file())


def test_a_cancelled_import_stores_nothing(api_server, user) -> None:
    project = create_project(user.client, classes=[{"name": "cat", "color": "#ff0000"}])
    data = many_images_zip(400, size=72)  # bytes no other test stores
    blobs_before = blob_files(api_server)
    job = post_import(user.client, project["id"], data)
    wait_until_running(user.client, project["id"], job["id"])
    cancelled = user.client.post(f"/projects/{project['id']}/jobs/{job['id']}/cancel")
    assert cancelled.status_code == 200, cancelled.text
    outcome = wait_for_import(user.client, project["id"], job["id"])
    assert outcome["state"] == "cancelled" and outcome["report"] is None, outcome
    time.sleep(0.5)  # the import thread sees the cancel at its next report and stops
    assert counts(user.client, project["id"]) == (0, 0)
    assert blob_files(api_server) == blobs_before  # no file of it is left in the store
    assert outcome["stage"] == "cancelled"
    again = do_import(user.client, project["id"], many_images_zip(3), format="coco")
    assert again.state == "succeeded", again


def import_processes(server) -> list[psutil.Process]:
    """The API's import processes: the fork server's children (grandchildren of the API)."""
    api = psutil.Process(server.process.pid)
    return [p for p in api.children(recursive=True) if p.ppid() != api.pid]


def test_imports_when_processes_die(start_api_server) -> None:
    """An import runs in a child process: it outlives its API process; its own death fails its
    job at once; and when both die, the restarted API's sweeper fails the job once its
    heartbeat is stale. Nothing is stored twice or in part."""
    from support.factories import setup_admin

    server = start_api_server(
        with_model=False, import_stale_seconds="3", sweep_interval_seconds="0.5"
    )
    owner = setup_admin(server)
    uploads = Path(server.env["DATA_DIR"]) / "imports"

    def start(n: int, colour: int) -> tuple[dict, dict, httpx.Client]:
        client = server.client(owner.token)
        project = create_project(client, classes=[{"name": "cat", "color": "#ff0000"}])
        data = many_images_zip(n, size=64 + colour)  # another size: other bytes
        job = post_import(client, project["id"], data)
        wait_until_running(client, project["id"], job["id"])
        return project, job, client

    # the API dies; its import goes on and succeeds, seen by the restarted API
    project, job, _ = start(300, 0)
    assert import_processes(server)
    server.kill()
    server.start_again()
    client = server.client(owner.token)
    outcome = wait_for_import(client, project["id"], job["id"], seconds=60)
    assert outcome["state"] == "succeeded", outcome
    assert counts(client, project["id"]) == (300, 300)

    # the import process dies (say, out of memory): its job fails at once, nothing stored
    project, job, client = start(300, 1)
    for process in import_processes(server):
        process.kill()
    outcome = wait_for_import(client, project["id"], job["id"], seconds=10)
    assert outcome["state"] == "failed" and "exit code -9" in outcome["error"], outcome
    assert counts(client, project["id"]) == (0, 0)

    # both die: the restarted API's sweeper fails the job once its heartbeat is stale
    project, job, _ = start(300, 2)
    children = import_processes(server)
    server.kill()
    for process in children:
        process.kill()
    server.start_again()
    client = server.client(owner.token)
    outcome = wait_for_import(client, project["id"], job["id"], seconds=30)
    assert outcome["state"] == "failed", outcome
    assert "cut off" in outcome["error"] and outcome["report"] is None
    assert counts(client, project["id"]) == (0, 0)
    deadline = time.monotonic() + 10  # saved uploads go at the next sweep
    while list(uploads.glob("*.upload")):
        assert time.monotonic() < deadline, "a finished import's upload was not removed"
        time.sleep(0.2)
