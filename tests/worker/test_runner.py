"""The runner turns task specs into engine calls; here it runs without Celery or HTTP."""

import hashlib
import json
from pathlib import Path

import pytest
import torch

from contracts.results import AdaptResult, EvaluateResult
from worker import runner
from worker.engine.detector import DenseDetector, DetectorConfig
from worker.engine.model_io import make_card, save_model
from worker.engine.routine import Cancelled

TINY = DetectorConfig(trunk="resnet10", input_size=96, fpn_channels=32, head_convs=1, groups=8)


class FolderBlobs:
    """Content-addressed files in a folder: the same contract as the worker's blob cache."""

    def __init__(self, root: Path):
        self.root = root

    def upload(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        (self.root / sha).write_bytes(data)
        return sha

    def path(self, sha: str) -> Path:
        return self.root / sha


class Recorder:
    def __init__(self, cancel_at: float | None = None):
        self.calls: list[tuple[float, str]] = []
        self.points: list[dict] = []
        self.cancel_at = cancel_at

    def __call__(self, progress, stage="", points=None):
        self.calls.append((progress, stage))
        self.points += points or []
        if self.cancel_at is not None and progress >= self.cancel_at:
            raise Cancelled("cancelled")


@pytest.fixture
def blobs(tmp_path):
    return FolderBlobs(tmp_path)


@pytest.fixture
def project(blobs):
    """A generated letters project and a tiny base model, as the server would describe them."""
    classes = ["A", "B"]
    generated = runner.run_generate(
        {
            "params": {
                "seed": 1,
                "classes": classes,
                "image_size": 96,
                "pools": [
                    {"pool": "adapt", "count": 4, "annotated": True},
                    {"pool": "holdout", "count": 3, "annotated": True},
                    {"pool": "adapt", "count": 3, "annotated": False},
                ],
            }
        },
        Recorder(),
        blobs.upload,
    )
    torch.manual_seed(0)
    model = DenseDetector(TINY, 2)
    card = make_card(
        "tiny",
        model,
        ["Q", "R"],
        "standard",
        preset={"optimizer": "adam", "lr": 2e-3, "steps": 5, "batch_size": 4},
    )
    weights, _ = save_model(model, card, blobs.root / "m", "tiny")
    images = [dict(im, id=i + 1) for i, im in enumerate(generated["images"])]
    return {
        "classes": [{"id": 10 + i, "name": c} for i, c in enumerate(classes)],
        "model": {"id": 1, "weights_sha256": blobs.upload(weights.read_bytes()), "card": card},
        "adapt": [im for im in images if im["pool"] == "adapt" and im["annotated"]],
        "holdout": [im for im in images if im["pool"] == "holdout"],
        "unannotated": [im for im in images if not im["annotated"]],
    }


def test_generate_uploads_images_with_annotations_only_where_asked(project, blobs):
    assert (
        len(project["adapt"]) == 4
        and len(project["holdout"]) == 3
        and len(project["unannotated"]) == 3
    )
    assert all(im["annotations"] for im in project["adapt"] + project["holdout"])
    assert all(not im["annotations"] for im in project["unannotated"])
    # each class of the annotated adapt set is present in its share of images (K-shot)
    for index in (0, 1):
        assert (
            sum(
                any(a["class_index"] == index for a in im["annotations"]) for im in project["adapt"]
            )
            >= 2
        )
    assert all(blobs.path(im["sha256"]).exists() for im in project["adapt"])


def test_adapt_uploads_a_new_model_whose_card_names_its_parent_and_routine(project, blobs):
    spec = {
        "classes": project["classes"],
        "model": project["model"],
        "images": project["adapt"],
        "eval_images": project["holdout"],
        "routine": {"steps": 6, "lr": 2e-3, "batch_size": 4, "checkpoints": [0, 3, 6]},
    }
    recorder = Recorder()
    result = runner.run_adapt(spec, blobs, recorder, blobs.upload)
    assert blobs.path(result["weights_sha256"]).exists()
    assert result["card"]["parent"] == "tiny" and result["card"]["classes"] == ["A", "B"]
    assert result["card"]["routine"]["steps"] == 6 and result["steps_run"] == 6
    assert [c["step"] for c in result["checkpoints"]] == [0, 3, 6]  # 0: before the first step
    assert set(result["checkpoints"][0]["metrics"]) == {"AP", "AP50", "AP75"}
    assert [p["step"] for p in recorder.points] == list(range(1, 7))
    json.dumps(result)  # the result must travel as JSON


def test_detect_returns_predictions_with_uncertainty_for_every_image(project, blobs):
    spec = {
        "classes": project["classes"],
        "model": project["model"],
        "images": project["unannotated"],
        "params": {"score_threshold": 0.0, "max_detections": 5},
    }
    result = runner.run_detect(spec, blobs, Recorder())
    assert [p["image_id"] for p in result["predictions"]] == [
        im["id"] for im in project["unannotated"]
    ]
    for prediction in result["predictions"]:
        assert 0 <= prediction["uncertainty"] <= 1 and len(prediction["detections"]) <= 5
        for det in prediction["detections"]:
            x, y, w, h = det["box"]
            assert x >= 0 and y >= 0 and w > 0 and h > 0 and det["class_index"] in (0, 1)


def test_evaluate_returns_coco_metrics_per_class_and_curves(project, blobs):
    spec = {"classes": project["classes"], "model": project["model"], "images": project["holdout"]}
    result = runner.run_evaluate(spec, blobs, Recorder())
    assert {"AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10", "AR100"} <= set(
        result["metrics"]
    )
    assert [c["class_index"] for c in result["per_class"]] == [0, 1]
    json.dumps(result, allow_nan=False)
    # the max-detections setting that COCO used is reported: the data's, at least COCO's 100
    most = max(len(e["annotations"]) for e in project["holdout"])
    assert result["max_detections"] == max(100, -(-2 * most // 100) * 100)
    dense = {**spec, "params": {"max_detections": 7}}
    assert runner.run_evaluate(dense, blobs, Recorder())["max_detections"] == 7


def test_cancel_during_adapt_stops_before_any_upload(project, blobs):
    spec = {
        "classes": project["classes"],
        "model": project["model"],
        "images": project["adapt"],
        "routine": {"steps": 50, "batch_size": 2},
    }
    uploads = []
    with pytest.raises(Cancelled):
        runner.run_adapt(spec, blobs, Recorder(cancel_at=0.0), lambda data: uploads.append(data))
    assert uploads == []


def test_a_metasgd_model_adapted_once_adapts_again_with_its_learned_rates(project, blobs):
    """The adapted model keeps the metasgd preset, so its file must carry the rates too."""
    torch.manual_seed(0)
    model = DenseDetector(TINY, 1)
    card = make_card(
        "msgd",
        model,
        [],
        "metasgd",
        class_head="shared",
        learned_rates="classifier",
        preset={
            "optimizer": "metasgd",
            "lr": 0.1,
            "steps": 3,
            "batch_size": 4,
            "train_layers": "classifier",
        },
    )
    rates = {
        f"metasgd_lr.{k}": torch.full_like(v, 0.05)
        for k, v in model.named_parameters()
        if k.startswith("head.cls_logits.")
    }
    weights, _ = save_model(model, card, blobs.root / "m", "msgd", extra=rates)
    base = {"id": 2, "weights_sha256": blobs.upload(weights.read_bytes()), "card": card}
    spec = {
        "classes": project["classes"],
        "images": project["adapt"],
        "eval_images": [],
        "routine": {**card["preset"], "early_stopping": False},
    }
    first = runner.run_adapt({**spec, "model": base}, blobs, Recorder(), blobs.upload)
    assert first["card"]["preset"]["optimizer"] == "metasgd"
    assert (
        first["card"]["learned_rates"] == "classifier"
    )  # what the backend checks a routine against
    adapted = {"id": 3, "weights_sha256": first["weights_sha256"], "card": first["card"]}
    second = runner.run_adapt({**spec, "model": adapted}, blobs, Recorder(), blobs.upload)
    assert second["steps_run"] == 3 and second["weights_sha256"] != first["weights_sha256"]


def test_in_progress_images_train_without_background_and_a_set_without_complete_ones_warns(
    project, blobs
):
    in_progress = [dict(im, complete=False) for im in project["adapt"]]
    samples = runner._samples(blobs, [project["adapt"][0], in_progress[1]])
    assert [s.complete for s in samples] == [True, False]  # absent: complete
    spec = {
        "task_id": 7,
        "classes": project["classes"],
        "model": project["model"],
        "images": in_progress,
        "routine": {"steps": 2, "batch_size": 4},
    }
    result = runner.run_adapt(spec, blobs, Recorder(), blobs.upload)
    assert result["steps_run"] == 2  # it still runs
    (warning,) = result["card"]["warnings"]
    assert warning.startswith("none of the 4 training images is marked complete")
    assert result["warnings"] == [warning] and result["card"]["training"]["complete_images"] == 0
    mixed = {**spec, "images": [project["adapt"][0], *in_progress[1:]]}
    result = runner.run_adapt(mixed, blobs, Recorder(), blobs.upload)
    assert "warnings" not in result["card"] and result["warnings"] == []
    assert result["card"]["training"]["complete_images"] == 1


def test_a_diverged_adaptation_reports_it_in_the_result(project, blobs):
    spec = {
        "classes": project["classes"],
        "model": project["model"],
        "images": project["adapt"],
        "routine": {
            "optimizer": "sgd",
            "lr": 1e4,
            "steps": 10,
            "batch_size": 4,
            "early_stopping": False,
        },
    }
    recorder = Recorder()
    result = runner.run_adapt(spec, blobs, recorder, blobs.upload)
    posted = AdaptResult.model_validate(result)
    assert posted.diverged and posted.best_step == 0 and posted.steps_run < 10
    assert posted.stop_reason is not None and "(SGD lr 10000)" in posted.stop_reason
    assert posted.stop_reason.endswith("are kept") and "the initial weights" in posted.stop_reason
    assert result["card"]["training"]["diverged"] is True
    # every finite loss reached the live curve, though the run ended before its last step
    assert [p["step"] for p in recorder.points] == [s for s, _ in result["loss_curve"]][:-1]
    json.dumps(result, allow_nan=False)
    calm = runner.run_adapt(
        {**spec, "routine": {"steps": 3, "batch_size": 4}}, blobs, Recorder(), blobs.upload
    )
    assert calm["diverged"] is False and calm["stop_reason"] is None


def test_evaluate_marks_each_images_detections_and_misses(project, blobs):
    spec = {
        "classes": project["classes"],
        "model": project["model"],
        "images": project["holdout"],
        "params": {"max_detections": 20},
    }
    result = runner.run_evaluate(spec, blobs, Recorder())
    posted = EvaluateResult.model_validate(result, context={"num_classes": 2})
    assert [im.image_id for im in posted.images] == [e["id"] for e in project["holdout"]]
    for image, entry in zip(posted.images, project["holdout"], strict=True):
        assert all(0 <= i < len(entry["annotations"]) for i in image.missed)
        tp = sum(d.match == "tp" for d in image.detections)
        # each box is found by at most one detection: found + missed = all
        assert tp + len(image.missed) == len(entry["annotations"])
        assert len(image.detections) <= 20
    assert sum(len(im.detections) for im in posted.images) > 0


def test_export_onnx_uploads_a_file_that_detects_as_the_detect_task(project, blobs):
    """The export task's file (the spec's classes, the detect path's model) finds, through
    detect_onnx, what run_detect finds on the same images; its result is a valid contract."""
    import numpy as np
    import onnxruntime
    from PIL import Image

    from contracts.results import ExportOnnxResult
    from worker.engine.onnx_export import detect_onnx, read_onnx_card

    spec = {"classes": project["classes"], "model": project["model"], "params": {}}
    recorder = Recorder()
    result = runner.run_export_onnx(spec, blobs, recorder, blobs.upload)
    ExportOnnxResult.model_validate(result)
    path = blobs.path(result["onnx_sha256"])
    assert path.stat().st_size == result["size"]
    assert read_onnx_card(path) == result["onnx"] and result["onnx"]["classes"] == ["A", "B"]
    assert [stage for _, stage in recorder.calls] == ["loading", "exporting", "uploading", "done"]
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    detected = runner.run_detect(
        {**spec, "images": project["unannotated"], "params": {"score_threshold": 0.05}},
        blobs,
        Recorder(),
    )
    compared = 0
    for entry, predicted in zip(project["unannotated"], detected["predictions"], strict=True):
        image = Image.open(blobs.path(entry["sha256"])).convert("RGB")
        boxes, scores, labels = detect_onnx(session, image, result["onnx"])
        stored = predicted["detections"]
        assert len(stored) == len(boxes)
        used = np.zeros(len(boxes), bool)
        for det in stored:  # matched by class and box: equal scores may come in either order
            gaps = np.abs(boxes - np.asarray(det["box"], np.float32)).max(axis=1)
            gaps[(labels != det["class_index"]) | used] = np.inf
            best = int(gaps.argmin())
            assert gaps[best] <= 0.02 and abs(det["score"] - float(scores[best])) <= 1e-4
            used[best] = True
            compared += 1
    assert compared > 0


def test_export_onnx_refuses_a_project_without_classes(project, blobs):
    spec = {"classes": [], "model": project["model"], "params": {}}
    with pytest.raises(ValueError, match="no classes"):
        runner.run_export_onnx(spec, blobs, Recorder(), blobs.upload)
