"""COCO detection metrics through faster-coco-eval (same numbers as pycocotools, faster).

Description:
    :func:`coco_metrics` turns ground truth and detections (``[x, y, w, h]`` pixels, class
    indices) into COCO's dictionaries and runs ``COCOeval_faster``; it returns the twelve summary
    numbers, AP and AP50 per class, precision–recall curves at IoU 0.5 and, on request, every
    image's detections marked true or false positive with the ground truth they missed.

    A number COCO reports as -1 (no ground truth in that area range, or of that class) has no
    value: it is None here, never 0 or -1.
"""

from __future__ import annotations

import contextlib
import io
import math
from collections.abc import Iterable, Sequence

import numpy as np
from faster_coco_eval import COCO, COCOeval_faster

from .inference import ImageDetections
from .samples import Sample

SUMMARY_KEYS = (
    "AP",
    "AP50",
    "AP75",
    "APs",
    "APm",
    "APl",
    "AR1",
    "AR10",
    "AR100",
    "ARs",
    "ARm",
    "ARl",
)


def max_detections_for(objects_per_image: Iterable[int], at_least: int = 100) -> int:
    """Detections per image (and COCO's max-detections) that images with these numbers of
    objects need: twice the most on one image, rounded up to a hundred, at least ``at_least``
    (COCO's 100), at most 3000."""
    most = max(objects_per_image, default=0)
    return int(min(3000, max(at_least, math.ceil(2 * most / 100) * 100)))


# COCO's area ranges (pixels²; a box is in a range when lo <= area <= hi), by metric suffix
AREA_RANGES = {"s": (0.0, 32.0**2), "m": (32.0**2, 96.0**2), "l": (96.0**2, 1e5**2)}


def _metric(value: float) -> float | None:
    """COCO's -1 ("no ground truth here") as None."""
    value = float(value)
    return value if value >= 0 else None


def _quiet(*_args, **_kwargs) -> None:
    """faster-coco-eval prints its summary table through this; the numbers are returned instead."""


def coco_dicts(
    ground_truth: Sequence[Sample], detections: Sequence[ImageDetections], num_classes: int
) -> tuple[dict, list[dict]]:
    """Ground truth and detections in COCO's JSON form, for ``pycocotools``-style evaluators:
    the ground-truth dict (``images``, ``annotations``, ``categories``; image ids from 1 in the
    order given, boxes ``[x, y, w, h]`` in image pixels, category id = class index + 1) and the
    detection results list (``image_id``, ``category_id``, ``bbox``, ``score``)."""
    images, annotations, results = [], [], []
    for image_id, (sample, det) in enumerate(zip(ground_truth, detections, strict=True), start=1):
        images.append({"id": image_id, "width": sample.image.width, "height": sample.image.height})
        for box, label in zip(sample.boxes, sample.labels, strict=True):
            annotations.append(
                {
                    "id": len(annotations) + 1,
                    "image_id": image_id,
                    "category_id": int(label) + 1,
                    "bbox": [float(v) for v in box],
                    "area": float(box[2] * box[3]),
                    "iscrowd": 0,
                }
            )
        for box, score, label in zip(det.boxes, det.scores, det.labels, strict=True):
            results.append(
                {
                    "image_id": image_id,
                    "category_id": int(label) + 1,
                    "bbox": [float(v) for v in box],
                    "score": float(score),
                }
            )
    categories = [{"id": i + 1, "name": str(i)} for i in range(num_classes)]
    return {"images": images, "annotations": annotations, "categories": categories}, results


def coco_metrics(
    ground_truth: Sequence[Sample],
    detections: Sequence[ImageDetections],
    num_classes: int,
    pr_curves: bool = True,
    max_detections: int = 100,
    per_image: bool = False,
) -> dict:
    """COCO box metrics of ``detections`` against ``ground_truth`` (same order, same images).

    Arguments:
        max_detections: COCO's largest max-detections setting (100 in COCO): AP and the last
            recall (reported as ``AR100``) count at most this many detections per image. Dense
            scenes (hundreds of tree crowns or cells per image) need more; the result says which
            value was used.
        per_image: also mark each image's detections (:func:`image_matches`).

    Returns ``{"metrics": {AP, AP50, ...}, "per_class": [{class_index, AP, AP50}],
    "pr_curves": [{class_index, iou, recall, precision}], "num_images", "max_detections"}``,
    and with ``per_image`` ``"images"`` (one entry per ground-truth image, in order). A metric
    without ground truth to score against (APs with no small box, a class with no box) is None;
    with no detections at all every other number is 0.

    Raises: ValueError when ``ground_truth`` holds no box.
    """
    gt_dict, results = coco_dicts(ground_truth, detections, num_classes)
    if not gt_dict["annotations"]:
        raise ValueError("evaluation needs at least one annotated box")
    if not results:
        return _without_detections(ground_truth, num_classes, max_detections, per_image)
    with contextlib.redirect_stdout(io.StringIO()):
        coco_gt = COCO(gt_dict, print_function=_quiet)
        coco_dt = coco_gt.loadRes(results)
        evaluator = COCOeval_faster(coco_gt, coco_dt, iouType="bbox", print_function=_quiet)
        evaluator.params.maxDets = [1, 10, int(max_detections)]
        evaluator.evaluate()
        evaluator.accumulate()
        evaluator.summarize()
    stats = [float(v) for v in evaluator.stats[: len(SUMMARY_KEYS)]]
    metrics = {key: _metric(value) for key, value in zip(SUMMARY_KEYS, stats, strict=True)}
    # precision: [T iou thresholds, R recall points, K classes, A areas, M max-dets]
    precision = np.asarray(evaluator.eval["precision"])
    recall_points = np.linspace(0, 1, precision.shape[1])
    per_class, curves = [], []
    for c in range(num_classes):
        all_iou = precision[:, :, c, 0, -1]
        at_50 = precision[0, :, c, 0, -1]
        valid_all, valid_50 = all_iou[all_iou > -1], at_50[at_50 > -1]
        per_class.append(
            {
                "class_index": c,
                "AP": float(valid_all.mean()) if valid_all.size else None,
                "AP50": float(valid_50.mean()) if valid_50.size else None,
            }
        )
        if pr_curves and valid_50.size:
            step = 5  # 101 COCO recall points → 21 on the curve
            curves.append(
                {
                    "class_index": c,
                    "iou": 0.5,
                    "recall": [round(float(r), 3) for r in recall_points[::step]],
                    "precision": [round(max(float(p), 0.0), 4) for p in at_50[::step]],
                }
            )
    out = {
        "metrics": metrics,
        "per_class": per_class,
        "pr_curves": curves,
        "num_images": len(ground_truth),
        "max_detections": max_detections,
    }
    if per_image:
        out["images"] = image_matches(ground_truth, detections, coco_gt, coco_dt, max_detections)
    return out


def _without_detections(
    ground_truth: Sequence[Sample], num_classes: int, max_detections: int, per_image: bool
) -> dict:
    """:func:`coco_metrics`' answer when nothing was detected: 0 wherever there is ground truth
    (None where there is none), every box missed."""
    areas = np.concatenate([s.boxes[:, 2] * s.boxes[:, 3] for s in ground_truth])
    labels = np.concatenate([s.labels for s in ground_truth])

    def value(key: str) -> float | None:
        low, high = AREA_RANGES.get(key[-1], (-np.inf, np.inf))
        return 0.0 if ((areas >= low) & (areas <= high)).any() else None

    out = {
        "metrics": {key: value(key) for key in SUMMARY_KEYS},
        "per_class": [
            {"class_index": c, "AP": v, "AP50": v}
            for c in range(num_classes)
            for v in [0.0 if (labels == c).any() else None]
        ],
        "pr_curves": [],
        "num_images": len(ground_truth),
        "max_detections": max_detections,
    }
    if per_image:
        out["images"] = [
            {"detections": [], "missed": list(range(len(s.boxes)))} for s in ground_truth
        ]
    return out


def image_matches(
    ground_truth: Sequence[Sample],
    detections: Sequence[ImageDetections],
    coco_gt: COCO,
    coco_dt: COCO,
    max_detections: int,
) -> list[dict]:
    """Each image's detections marked ``tp`` or ``fp``, and the ground truth no detection found.

    COCO's own matching, not a copy of it: ``COCOeval_faster`` runs again at the one IoU
    threshold 0.5, area range "all" and ``max_detections``, and its ``extra_calc`` pass marks
    every detection matched to a box (tp) or not (fp) and every box matched or not. Per image and
    class, detections are taken highest score first, each matching the unmatched box of its class
    it overlaps most at IoU >= 0.5. A detection past ``max_detections`` for its image and class
    is not scored by COCO and is reported as fp.

    Arguments:
        coco_gt, coco_dt: the ``COCO`` objects :func:`coco_metrics` built from ``ground_truth``
            and ``detections`` (image ``i`` is id ``i + 1``, boxes numbered from 1 in order).

    Returns: per image, in order, ``{"detections": [{class_index, box, score, match}],
    "missed": [indices into the image's boxes]}``; ``box`` is ``[x, y, w, h]`` pixels.
    """
    with contextlib.redirect_stdout(io.StringIO()):
        evaluator = COCOeval_faster(
            coco_gt, coco_dt, iouType="bbox", print_function=_quiet, extra_calc=True
        )
        evaluator.params.iouThrs = np.array([0.5])
        evaluator.params.areaRng = [[0.0, 1e5**2]]
        evaluator.params.areaRngLbl = ["all"]
        evaluator.params.maxDets = [int(max_detections)]
        evaluator.evaluate()
        evaluator.accumulate()
    if not evaluator.matched:
        raise RuntimeError("faster-coco-eval did not mark the matches (its extra_calc pass)")
    images: list[dict] = []
    dt_id = gt_id = 0  # loadRes numbers detections from 1 in the order they were given
    for sample, det in zip(ground_truth, detections, strict=True):
        marked = []
        for box, score, label in zip(det.boxes, det.scores, det.labels, strict=True):
            dt_id += 1
            ann = coco_dt.anns[dt_id]
            if ann["bbox"] != [float(v) for v in box] or ann["score"] != float(score):
                raise RuntimeError("faster-coco-eval numbered the detections differently")
            marked.append(
                {
                    "class_index": int(label),
                    "box": [float(v) for v in box],
                    "score": float(score),
                    "match": "tp" if ann.get("tp") else "fp",
                }
            )
        missed = []
        for index in range(len(sample.boxes)):
            gt_id += 1
            if coco_gt.anns[gt_id].get("fn"):
                missed.append(index)
        images.append({"detections": marked, "missed": missed})
    return images
