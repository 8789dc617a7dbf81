"""Issue 22, item 3: a model adapted by a real worker is exported to ONNX through the REST API,
downloaded, and run with onnxruntime; its detections on a few images are the ones the engine's
detect job stored for the same model and images (boxes within 1 px, scores within 1e-3), with
the file's own decoding (worker/engine/onnx_export.py, detect_onnx)."""

from __future__ import annotations

import io

import numpy as np
import onnxruntime
import pytest
from PIL import Image

from worker.engine.data.letters import DEMO_CLASSES, SceneConfig, iter_scenes, k_shot_scenes
from worker.engine.onnx_export import detect_onnx, read_onnx_card

# what it checks is the model's behaviour, not the database's: CI runs it on SQLite only
pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.model_behaviour]

COMPARED_FROM = 0.1  # scores compared from here: clear of the 0.05 threshold on either side


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _upload(api, project_id: int, scenes, pool: str) -> list[dict]:
    files = [
        ("files", (f"{pool}-{i}.png", _png(s.image), "image/png")) for i, s in enumerate(scenes)
    ]
    answer = api.post(f"/projects/{project_id}/images", files=files, data={"pool": pool})
    assert answer.status_code == 201, answer.text
    return answer.json()


def _matched(stored: list[dict], exported, class_ids: list[int]) -> int:
    """Asserts each stored detection (score ≥ COMPARED_FROM) has one exported detection of its
    class with a box within 1 px and a score within 1e-3, and the other way round; returns how
    many were compared."""
    boxes, scores, labels = exported
    keep = scores >= COMPARED_FROM
    boxes, scores, labels = boxes[keep], scores[keep], labels[keep]
    mine = [p for p in stored if p["score"] >= COMPARED_FROM]
    assert len(mine) == len(boxes), (len(mine), len(boxes))
    used = np.zeros(len(boxes), bool)
    for p in mine:
        label = class_ids.index(p["class_id"])
        box = np.asarray(p["box"], np.float32)
        gaps = np.abs(boxes - box).max(axis=1)
        gaps[(labels != label) | used] = np.inf
        best = int(gaps.argmin())
        assert gaps[best] <= 1.0, (p, boxes[best])
        assert abs(float(scores[best]) - p["score"]) <= 1e-3, (p, scores[best])
        used[best] = True
    return len(mine)


def test_an_adapted_model_exported_over_rest_detects_as_the_engine_does(start_stack):
    stack = start_stack()
    stack.start_worker("onnx-1")
    api = stack.api
    classes = list(DEMO_CLASSES)
    project = api.post(
        "/projects", json={"name": "onnx export", "classes": [{"name": c} for c in classes]}
    ).json()
    pid = project["id"]
    class_ids = [c["id"] for c in api.get(f"/projects/{pid}/classes").json()]

    cfg = SceneConfig(image_size=256)
    adapt_scenes = k_shot_scenes(21, classes, shots=2, cfg=cfg)
    for image, scene in zip(_upload(api, pid, adapt_scenes, "adapt"), adapt_scenes, strict=True):
        body = {
            "annotations": [
                {"class_id": class_ids[classes.index(o.letter)], "box": list(o.box)}
                for o in scene.objects
            ],
            "state": "complete",
        }
        answer = api.put(f"/projects/{pid}/images/{image['id']}/annotations", json=body)
        assert answer.status_code == 200, answer.text
    new = _upload(api, pid, list(iter_scenes(22, classes, 4, cfg)), "adapt")

    adapt = api.post(
        f"/projects/{pid}/jobs",
        json={"kind": "adapt", "params": {"routine": {"steps": 12, "batch_size": 4}}},
    )
    assert adapt.status_code == 201, adapt.text
    adapted = stack.wait_for_job(pid, adapt.json()["id"])
    assert adapted["state"] == "succeeded", adapted["error"]
    model_id = adapted["result"]["model_id"]

    detect = api.post(
        f"/projects/{pid}/jobs",
        json={
            "kind": "detect",
            "params": {"model_id": model_id, "image_ids": [i["id"] for i in new]},
        },
    )
    assert detect.status_code == 201, detect.text
    assert stack.wait_for_job(pid, detect.json()["id"])["state"] == "succeeded"

    path = f"/projects/{pid}/models/{model_id}/onnx"
    assert api.get(path).status_code == 404
    started = api.post(path)
    assert started.status_code == 202, started.text
    export = stack.wait_for_job(pid, started.json()["id"])
    assert export["state"] == "succeeded", export["error"]
    assert export["result"]["onnx"]["classes"] == classes
    assert api.post(path).json()["id"] == export["id"]  # exported already: the same job

    download = api.get(path)
    assert download.status_code == 200
    model_name = api.get(f"/projects/{pid}/models/{model_id}").json()["name"]
    assert download.headers["content-disposition"] == f'attachment; filename="{model_name}.onnx"'
    assert len(download.content) == export["result"]["size"]
    onnx_file = stack.directory / "model.onnx"
    onnx_file.write_bytes(download.content)
    info = read_onnx_card(onnx_file)
    assert info == export["result"]["onnx"]
    session = onnxruntime.InferenceSession(str(onnx_file), providers=["CPUExecutionProvider"])

    max_detections = (
        api.get(f"/projects/{pid}/models/{model_id}").json()["card"].get("max_detections")
    )
    compared = 0
    for image in new:
        picture = Image.open(
            io.BytesIO(api.get(f"/projects/{pid}/images/{image['id']}/file").content)
        )
        stored = api.get(
            f"/projects/{pid}/predictions",
            params={"job_id": detect.json()["id"], "image_id": image["id"], "limit": 5000},
        ).json()["items"]
        exported = detect_onnx(session, picture, info, max_detections=max_detections)
        compared += _matched(stored, exported, class_ids)
    assert compared >= 4, "too few detections to compare: the test would prove little"
