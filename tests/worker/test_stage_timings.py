"""Detect and evaluate tasks time their stages (fetch, decode, forward, reports, scoring) and
batch images as the worker's setting says."""

import hashlib
import time
from pathlib import Path

import numpy as np
import pytest
import torch

from worker import runner
from worker.engine.detector import DenseDetector, DetectorConfig
from worker.engine.model_io import make_card, save_model

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


class SlowReporter:
    """A progress report that takes ``seconds`` (as an HTTP round trip does)."""

    def __init__(self, seconds: float):
        self.seconds, self.calls = seconds, 0

    def __call__(self, progress, stage="", points=None):
        self.calls += 1
        time.sleep(self.seconds)


@pytest.fixture
def spec(tmp_path):
    blobs = FolderBlobs(tmp_path)
    generated = runner.run_generate(
        {
            "params": {
                "seed": 2,
                "classes": ["A", "B"],
                "image_size": 96,
                "pools": [{"pool": "holdout", "count": 6, "annotated": True}],
            }
        },
        lambda *a, **k: None,
        blobs.upload,
    )
    torch.manual_seed(0)
    model = DenseDetector(TINY, 2)
    card = make_card("tiny", model, ["A", "B"], "standard", preset={"steps": 1})
    weights, _ = save_model(model, card, tmp_path / "m", "tiny")
    return blobs, {
        "classes": [{"id": 1, "name": "A"}, {"id": 2, "name": "B"}],
        "model": {"id": 1, "weights_sha256": blobs.upload(weights.read_bytes()), "card": card},
        "images": [dict(im, id=i + 1) for i, im in enumerate(generated["images"])],
        "params": {"score_threshold": 0.0, "max_detections": 5},
    }


def test_detect_times_its_stages_and_counts_reports_apart_from_the_forward_pass(spec):
    blobs, task = spec
    reporter = SlowReporter(0.2)
    result = runner.run_detect(task, blobs, reporter, batch_size=2)
    stages = result["stage_seconds"]
    assert set(stages) == {"model", "fetch", "decode", "prepare", "forward", "pack", "report"}
    assert all(v >= 0 for v in stages.values())
    # one report before loading and one per batch of 2 of the 6 images, each 0.2 s
    assert reporter.calls == 4
    assert stages["report"] >= 0.8
    # the reports are not counted in the forward pass (nor in any other stage)
    assert stages["forward"] <= result["seconds"] - stages["report"]
    assert sum(stages.values()) <= result["seconds"] + 0.01


def test_detect_finds_the_same_predictions_whatever_its_batch_size(spec):
    blobs, task = spec
    one = runner.run_detect(task, blobs, SlowReporter(0), batch_size=1)["predictions"]
    four = runner.run_detect(task, blobs, SlowReporter(0), batch_size=4)["predictions"]
    assert [p["image_id"] for p in one] == [p["image_id"] for p in four]
    for a, b in zip(one, four, strict=True):
        assert len(a["detections"]) == len(b["detections"]) > 0
        for da, db in zip(a["detections"], b["detections"], strict=True):
            assert da["class_index"] == db["class_index"]
            np.testing.assert_allclose(da["box"], db["box"], atol=0.02)
            assert da["score"] == pytest.approx(db["score"], abs=2e-5)


def test_evaluate_times_scoring_apart(spec):
    blobs, task = spec
    result = runner.run_evaluate(task, blobs, SlowReporter(0), batch_size=3)
    assert set(result["stage_seconds"]) == {
        "model",
        "fetch",
        "decode",
        "prepare",
        "forward",
        "scoring",
        "report",
    }
    assert result["metrics"]["AP50"] is not None
