"""COCO detection metrics through faster-coco-eval (same numbers as pycocotools, faster).

Description:
    :func:`coco_metrics` turns ground truth and detections (``[x, y, w, h]`` pixels, class
    indices) into COCO's dictionaries and runs ``COCOeval_faster``; it returns the twelve summary
    numbers, AP and AP50 per class, and precision–recall curves at IoU 0.5.
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


def _quiet(*_args, **_kwargs) -> None:
    """faster-coco-eval prints its summary table through this; the numbers are returned instead."""


def _coco_dicts(
    ground_truth: Sequence[Sample], detections: Sequence[ImageDetections], num_classes: int
) -> tuple[dict, list[dict]]:
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
) -> dict:
    """COCO box metrics of ``detections`` against ``ground_truth`` (same order, same images).

    Arguments:
        max_detections: COCO's largest max-detections setting (100 in COCO): AP and the last
            recall (reported as ``AR100``) count at most this many detections per image. Dense
            scenes (hundreds of tree crowns or cells per image) need more; the result says which
            value was used.

    Returns ``{"metrics": {AP, AP50, ...}, "per_class": [{class_index, AP, AP50}],
    "pr_curves": [{class_index, iou, recall, precision}], "num_images", "max_detections"}``.
    With no detections at all every number is 0 (COCO's -1 for "no ground truth" stays -1 per
    class).
    """
    gt_dict, results = _coco_dicts(ground_truth, detections, num_classes)
    if not gt_dict["annotations"]:
        raise ValueError("evaluation needs at least one annotated box")
    empty = {key: 0.0 for key in SUMMARY_KEYS}
    if not results:
        return {
            "metrics": empty,
            "per_class": [{"class_index": c, "AP": 0.0, "AP50": 0.0} for c in range(num_classes)],
            "pr_curves": [],
            "num_images": len(ground_truth),
            "max_detections": max_detections,
        }
    with contextlib.redirect_stdout(io.StringIO()):
        coco_gt = COCO(gt_dict, print_function=_quiet)
        coco_dt = coco_gt.loadRes(results)
        evaluator = COCOeval_faster(coco_gt, coco_dt, iouType="bbox", print_function=_quiet)
        evaluator.params.maxDets = [1, 10, int(max_detections)]
        evaluator.evaluate()
        evaluator.accumulate()
        evaluator.summarize()
    stats = [float(v) for v in evaluator.stats[: len(SUMMARY_KEYS)]]
    metrics = {key: max(value, 0.0) for key, value in zip(SUMMARY_KEYS, stats, strict=True)}
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
                "AP": float(valid_all.mean()) if valid_all.size else -1.0,
                "AP50": float(valid_50.mean()) if valid_50.size else -1.0,
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
    return {
        "metrics": metrics,
        "per_class": per_class,
        "pr_curves": curves,
        "num_images": len(ground_truth),
        "max_detections": max_detections,
    }
