"""ONNX export through the REST API (issue 22, item 3): POST starts an ``export_onnx`` job (or
answers the one already made), a worker's result names the file, GET downloads it; the refusals
(403 for viewers, 404 for another project's model or before an export, 422 for bad input).

The worker here is the HTTP stand-in (the ONNX bytes are not a real graph);
tests/integration/test_onnx_export_over_rest.py runs a real worker and checks the file's
detections."""

from __future__ import annotations

import hashlib

import pytest
from support.factories import create_project

FAKE_ONNX = b"not really onnx, only bytes to store " + bytes(range(256))


def shipped_model(client, project_id: int) -> dict:
    return next(m for m in client.get(f"/projects/{project_id}/models").json() if m["is_default"])


def onnx_path(project_id: int, model_id: int) -> str:
    return f"/projects/{project_id}/models/{model_id}/onnx"


def finish(worker, job: dict, data: bytes = FAKE_ONNX) -> dict:
    """Run the job's task as a worker would: the spec, the blob, the result."""
    spec = worker.start_ok(job["tasks"][0]["id"])
    sha = worker.put_blob(data)
    onnx = {"opset": 17, "classes": [c["name"] for c in spec["classes"]], "input_size": 224}
    answer = worker.result(
        spec["task_id"],
        spec["attempt_token"],
        {"onnx_sha256": sha, "size": len(data), "onnx": onnx},
    )
    assert answer.status_code == 200, answer.text
    return spec


def test_export_runs_as_a_job_and_the_file_downloads(client, project, worker, anon):
    model = shipped_model(client, project["id"])
    path = onnx_path(project["id"], model["id"])
    missing = client.get(path)
    assert missing.status_code == 404
    assert (
        f"POST /api/projects/{project['id']}/models/{model['id']}/onnx" in missing.json()["detail"]
    )

    started = client.post(path)
    assert started.status_code == 202, started.text
    job = started.json()
    assert (job["kind"], job["state"], job["model_id"]) == ("export_onnx", "queued", model["id"])
    assert [t["kind"] for t in job["tasks"]] == ["export_onnx"]
    assert job["params"]["classes"] == ["cat", "dog"]
    # while it is queued, asking again answers the same job
    assert client.post(path).json()["id"] == job["id"]
    assert client.get(path).status_code == 404

    spec = finish(worker, job)
    assert spec["kind"] == "export_onnx"
    assert spec["model"]["id"] == model["id"]
    assert spec["model"]["weights_sha256"] == model["weights_sha256"]
    assert [c["name"] for c in spec["classes"]] == ["cat", "dog"]
    assert spec["params"] == {"working_scale": None}  # the model's own, as detect uses

    done = client.get(f"/projects/{project['id']}/jobs/{job['id']}").json()
    assert done["state"] == "succeeded"
    assert done["result"]["onnx_sha256"] == hashlib.sha256(FAKE_ONNX).hexdigest()
    assert done["result"]["size"] == len(FAKE_ONNX)
    assert done["result"]["onnx"]["classes"] == ["cat", "dog"]
    assert isinstance(done["timings"]["export_onnx"], float)  # the stage's span

    download = client.get(path)
    assert download.status_code == 200
    assert download.content == FAKE_ONNX
    assert download.headers["content-type"] == "application/octet-stream"
    assert download.headers["content-disposition"] == f'attachment; filename="{model["name"]}.onnx"'
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["x-metaloop-job"] == str(job["id"])

    # a browser link carries a files ticket, never the bearer token
    assert anon.get(path).status_code == 401
    ticket = client.post("/tickets", json={"purpose": "files", "project_id": project["id"]})
    by_ticket = anon.get(path, params={"ticket": ticket.json()["ticket"]})
    assert by_ticket.status_code == 200 and by_ticket.content == FAKE_ONNX

    # exported already: POST answers the succeeded job instead of queuing another
    again = client.post(path)
    assert again.status_code == 202 and again.json()["id"] == job["id"]
    # a class added since: the old file lacks it, so a new export is queued
    assert client.post(f"/projects/{project['id']}/classes", json={"name": "bird"}).is_success
    fresh = client.post(path).json()
    assert fresh["id"] != job["id"] and fresh["params"]["classes"] == ["cat", "dog", "bird"]
    # until it succeeds, the download is still the newest finished export
    assert client.get(path).headers["x-metaloop-job"] == str(job["id"])


def test_a_result_without_its_file_is_refused(client, project, worker):
    model = shipped_model(client, project["id"])
    job = client.post(onnx_path(project["id"], model["id"])).json()
    spec = worker.start_ok(job["tasks"][0]["id"])
    absent = hashlib.sha256(b"never uploaded").hexdigest()
    answer = worker.result(
        spec["task_id"], spec["attempt_token"], {"onnx_sha256": absent, "size": 14, "onnx": {}}
    )
    assert answer.status_code == 422
    assert "not in the blob store" in answer.json()["detail"]
    sha = worker.put_blob(FAKE_ONNX)
    wrong = worker.result(
        spec["task_id"], spec["attempt_token"], {"onnx_sha256": sha, "size": 3, "onnx": {}}
    )
    assert wrong.status_code == 422 and "size 3" in wrong.json()["detail"]


def test_viewers_download_but_do_not_export(client, project, make_user, worker):
    viewer = make_user()
    added = client.post(
        f"/projects/{project['id']}/members", json={"username": viewer.username, "role": "viewer"}
    )
    assert added.is_success, added.text
    model = shipped_model(client, project["id"])
    path = onnx_path(project["id"], model["id"])
    refused = viewer.client.post(path)
    assert refused.status_code == 403
    assert "viewer" in refused.json()["detail"] and "annotator" in refused.json()["detail"]
    finish(worker, client.post(path).json())
    assert viewer.client.get(path).status_code == 200


def test_another_projects_model_and_strangers_are_404(client, project, make_user):
    other = create_project(client)
    stranger = make_user()
    model = shipped_model(client, project["id"])
    assert stranger.client.post(onnx_path(project["id"], model["id"])).status_code == 404
    assert stranger.client.get(onnx_path(project["id"], model["id"])).status_code == 404
    assert client.post(onnx_path(project["id"], 987654)).status_code == 404
    assert client.get(onnx_path(other["id"], 987654)).status_code == 404


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"working_scale": 0.5}, "applies only to a tiles model"),
        ({"working_scale": 0}, "greater than 0"),
        ({"working_scale": "big"}, "number"),
        ({"scale": 2}, "Extra inputs"),
    ],
)
def test_bad_requests_are_422(client, project, body, words):
    model = shipped_model(client, project["id"])
    answer = client.post(onnx_path(project["id"], model["id"]), json=body)
    assert answer.status_code == 422
    assert words in str(answer.json()["detail"])


def test_a_project_without_classes_cannot_export(client):
    empty = create_project(client, classes=[])
    model = shipped_model(client, empty["id"])
    answer = client.post(onnx_path(empty["id"], model["id"]))
    assert answer.status_code == 422
    assert "no classes" in answer.json()["detail"]


def test_the_model_card_says_how_to_use_the_newest_export(client, project, worker):
    """Issue 22: "The model card says how to use it": GET of the model carries the newest
    succeeded export's `onnx` section and where the file downloads, per project."""
    pid = project["id"]
    model = shipped_model(client, pid)
    card_path = f"/projects/{pid}/models/{model['id']}"
    before = client.get(card_path)
    assert before.status_code == 200, before.text
    assert "onnx" not in before.json()["card"]
    assert before.json()["card"]["name"] == model["name"]  # the stored card is still there

    job = client.post(onnx_path(pid, model["id"])).json()
    assert "onnx" not in client.get(card_path).json()["card"]  # queued: nothing to use yet
    finish(worker, job)
    onnx = client.get(card_path).json()["card"]["onnx"]
    assert onnx["classes"] == ["cat", "dog"]
    assert (onnx["opset"], onnx["input_size"]) == (17, 224)  # the worker's section, as is
    assert onnx["download"] == f"/api{onnx_path(pid, model['id'])}"
    assert onnx["job_id"] == job["id"]
    assert onnx["onnx_sha256"] == hashlib.sha256(FAKE_ONNX).hexdigest()
    assert onnx["size"] == len(FAKE_ONNX)
    assert onnx["exported_at"].endswith("+00:00")  # when the job finished, in UTC
    assert client.get(onnx["download"].removeprefix("/api")).content == FAKE_ONNX

    # a newer export (a class added) replaces it once it has succeeded, not before
    assert client.post(f"/projects/{pid}/classes", json={"name": "bird"}).is_success
    newer = client.post(onnx_path(pid, model["id"])).json()
    assert client.get(card_path).json()["card"]["onnx"]["job_id"] == job["id"]
    finish(worker, newer, FAKE_ONNX + b"v2")
    onnx = client.get(card_path).json()["card"]["onnx"]
    assert (onnx["job_id"], onnx["classes"]) == (newer["id"], ["cat", "dog", "bird"])
    assert onnx["size"] == len(FAKE_ONNX) + 2

    # the shipped model's card is shared: another project sees no export of its own
    other = create_project(client)
    shared = client.get(f"/projects/{other['id']}/models/{model['id']}")
    assert shared.status_code == 200 and "onnx" not in shared.json()["card"]
