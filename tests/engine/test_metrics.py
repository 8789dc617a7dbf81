import json

import numpy as np
import pytest
from PIL import Image

from contracts.results import EvaluateResult
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


def _no_detections(count: int):
    return [ImageDetections(np.zeros((0, 4)), np.zeros(0), np.zeros(0, int)) for _ in range(count)]


def test_area_ranges_without_ground_truth_have_no_value_not_zero():
    """A holdout of large boxes only (areas above 96²): COCO's -1 for the small and medium
    ranges, and for a class with no box, comes back as None; with detections or without."""
    image = Image.new("RGB", (300, 300))
    gt = [
        Sample(image, [[10, 10, 120, 110], [150, 140, 100, 130]], [0, 0]),
        Sample(image, [[40, 30, 200, 180]], [0]),
    ]
    found = [ImageDetections(s.boxes, np.full(len(s.boxes), 0.9), s.labels) for s in gt]
    for dets, value in ((found, 1.0), (_no_detections(2), 0.0)):
        result = coco_metrics(gt, dets, num_classes=2)
        metrics = result["metrics"]
        for key in ("APs", "APm", "ARs", "ARm"):
            assert metrics[key] is None, key
        for key in ("AP", "AP50", "AP75", "APl", "AR10", "AR100", "ARl"):
            assert metrics[key] == pytest.approx(value), key
        assert metrics["AR1"] == pytest.approx(value * 2 / 3)  # one of the first image's two
        assert result["per_class"] == [
            {"class_index": 0, "AP": pytest.approx(value), "AP50": pytest.approx(value)},
            {"class_index": 1, "AP": None, "AP50": None},
        ]
    # the contract posts them as null
    posted = EvaluateResult.model_validate(coco_metrics(gt, found, 2)).model_dump(mode="json")
    assert posted["metrics"]["APs"] is None and posted["metrics"]["APl"] == pytest.approx(1.0)
    assert json.loads(json.dumps(posted))["per_class"][1]["AP"] is None


def test_per_image_matches_mark_true_and_false_positives_and_the_missed_boxes():
    image = Image.new("RGB", (200, 200))
    gt = [Sample(image, [[10, 10, 50, 50], [120, 120, 40, 40]], [0, 1])]
    # the first at IoU 0.8 with the first box (2000 px² of 2500), the right class; the second
    # far from either box
    boxes = np.array([[10, 10, 50, 40], [60, 150, 30, 30]], np.float32)
    dets = [ImageDetections(boxes, np.array([0.9, 0.7]), np.array([0, 1]))]
    result = coco_metrics(gt, dets, 2, per_image=True)
    assert result["images"] == [
        {
            "detections": [
                {
                    "class_index": 0,
                    "box": [10.0, 10.0, 50.0, 40.0],
                    "score": pytest.approx(0.9),
                    "match": "tp",
                },
                {
                    "class_index": 1,
                    "box": [60.0, 150.0, 30.0, 30.0],
                    "score": pytest.approx(0.7),
                    "match": "fp",
                },
            ],
            "missed": [1],
        }
    ]
    assert "images" not in coco_metrics(gt, dets, 2)  # only on request


def test_per_image_matches_follow_cocos_greedy_matching():
    """Per class, highest score first; a duplicate is a false positive, a box found only by a
    detection of another class is missed, and IoU 0.5 is the threshold (IoU 0.55 matches,
    0.45 does not)."""
    image = Image.new("RGB", (200, 200))
    gt = [
        Sample(image, [[10, 10, 40, 40], [100, 100, 40, 40]], [0, 0]),
        Sample(image, [[20, 20, 40, 40], [120, 20, 40, 40]], [1, 0]),
    ]
    dets = [
        ImageDetections(
            # on box 0: a lower score at IoU 1, a higher one at IoU 0.55; box 1: the wrong class
            np.array([[10, 10, 40, 40], [10, 10, 40, 22], [100, 100, 40, 40]], np.float32),
            np.array([0.6, 0.8, 0.9]),
            np.array([0, 0, 1]),
        ),
        ImageDetections(
            # box 0 at IoU 0.45 (40 × 18 inside 40 × 40); box 1 exactly
            np.array([[20, 20, 40, 18], [120, 20, 40, 40]], np.float32),
            np.array([0.5, 0.4]),
            np.array([1, 0]),
        ),
    ]
    images = coco_metrics(gt, dets, 2, per_image=True)["images"]
    assert [[d["match"] for d in im["detections"]] for im in images] == [
        ["fp", "tp", "fp"],
        ["fp", "tp"],
    ]
    assert [im["missed"] for im in images] == [[1], [0]]


def test_no_detections_miss_every_box():
    image = Image.new("RGB", (100, 100))
    gt = [Sample(image, [[10, 10, 20, 20], [50, 50, 20, 20]], [0, 1]), Sample(image, [], [])]
    result = coco_metrics(gt, _no_detections(2), 2, per_image=True)
    assert result["images"] == [
        {"detections": [], "missed": [0, 1]},
        {"detections": [], "missed": []},
    ]
    assert result["metrics"]["APs"] == 0.0 and result["metrics"]["APl"] is None
