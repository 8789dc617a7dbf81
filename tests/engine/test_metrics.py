import numpy as np
import pytest
from PIL import Image

from worker.engine.inference import ImageDetections, binary_entropy
from worker.engine.metrics import coco_metrics
from worker.engine.samples import Sample


def _gt():
    image = Image.new("RGB", (100, 100))
    return [
        Sample(image, [[10, 10, 30, 30], [60, 60, 20, 20]], [0, 1]),
        Sample(image, [[5, 50, 40, 40]], [0]),
    ]


def test_perfect_detections_score_one():
    gt = _gt()
    dets = [ImageDetections(s.boxes, np.full(len(s.boxes), 0.9), s.labels) for s in gt]
    result = coco_metrics(gt, dets, num_classes=2)
    assert result["metrics"]["AP"] == pytest.approx(1.0) and result["metrics"][
        "AP50"
    ] == pytest.approx(1.0)
    assert [c["AP50"] for c in result["per_class"]] == pytest.approx([1.0, 1.0])
    assert result["pr_curves"][0]["precision"][0] == pytest.approx(1.0)


def test_wrong_class_and_no_detections_score_zero():
    gt = _gt()
    wrong = [ImageDetections(s.boxes, np.full(len(s.boxes), 0.9), 1 - s.labels) for s in gt]
    assert coco_metrics(gt, wrong, 2)["metrics"]["AP50"] == pytest.approx(0.0)
    empty = [ImageDetections(np.zeros((0, 4)), np.zeros(0), np.zeros(0, int)) for _ in gt]
    assert coco_metrics(gt, empty, 2)["metrics"]["AP50"] == 0.0


def test_half_the_objects_found_gives_ap50_one_half_for_that_class():
    gt = _gt()
    dets = [
        ImageDetections(gt[0].boxes, np.array([0.9, 0.9]), gt[0].labels),
        ImageDetections(np.zeros((0, 4)), np.zeros(0), np.zeros(0, int)),
    ]
    per_class = coco_metrics(gt, dets, 2)["per_class"]
    assert per_class[0]["AP50"] == pytest.approx(0.5, abs=0.01) and per_class[1][
        "AP50"
    ] == pytest.approx(1.0)


def test_uncertainty_is_highest_at_half_and_zero_at_the_ends():
    u = binary_entropy(np.array([0.0, 0.5, 1.0, 0.9]))
    assert u[1] == pytest.approx(1.0) and u[0] < 1e-6 and u[2] < 1e-6 and 0 < u[3] < 1
