"""How far the detector goes with more in-site data, and how the score moves with the IoU
threshold: a diagnostic for the real-image benchmark's within-site family (docs/real-images.md,
"What limits it").

``python -m bench.realdata.ceiling TEST_TILE STEPS METHODS [SUPPORTS]`` cuts the large YELL crop
into the benchmark's 3×3 grid, and for each method (``bench.realdata``'s ``name=card.json`` or
``name=finetune-head|finetune-all``) adapts for STEPS steps (the method's preset otherwise, no
early stopping, seed 0) on each support set, then scores the test tile: AP and recall (at the
family's max detections) at IoU 0.3, 0.4 (DeepForest's threshold) and 0.5, and how well the
boxes fit (:func:`box_fit`). Support sets:
``one tile (2)`` (the benchmark's setting), ``eight tiles`` (every tile but the test tile) and
``the test tile itself`` (how well the detector can fit it); SUPPORTS (``;``-separated) picks
some. Writes ``bench/results/realdata-ceiling-<tile>-<steps>.json``.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
from faster_coco_eval import COCO, COCOeval_faster
from torchvision.ops import box_area, box_iou

from bench.realdata import data
from bench.realdata.methods import Starts, parse, reference_card
from worker.engine.inference import detect
from worker.engine.metrics import coco_dicts, max_detections_for
from worker.engine.routine import UpdateRoutine, adapt
from worker.engine.samples import xywh_to_xyxy

SUPPORTS = ("one tile (2)", "eight tiles", "the test tile itself")


def ap_at(gt, dets, iou: float, max_detections: int) -> tuple[float, float]:
    """(AP, recall) of one class at one IoU threshold, COCO's 101-point interpolation."""
    truth, results = coco_dicts(gt, dets, 1)
    with contextlib.redirect_stdout(io.StringIO()):
        coco_gt = COCO(truth)
        evaluator = COCOeval_faster(coco_gt, coco_gt.loadRes(results), iouType="bbox")
        evaluator.params.maxDets = [1, 10, max_detections]
        evaluator.params.iouThrs = np.array([iou])
        evaluator.evaluate()
        evaluator.accumulate()
    precision = np.asarray(evaluator.eval["precision"])[0, :, 0, 0, -1]
    recall = np.asarray(evaluator.eval["recall"])[0, 0, 0, -1]
    return round(float(precision[precision > -1].mean()), 4), round(float(recall), 4)


def box_fit(gt, dets) -> dict:
    """How the detections' boxes fit the annotated ones, whatever their scores: over all
    annotated boxes, the median of each one's best IoU with any detection and the share whose
    best IoU reaches 0.5; and, over those whose best match reaches IoU 0.3, the median area of
    that match over the annotated box's area (1: same size; below 1: boxes drawn too small)."""
    best, ratio = [], []
    for sample, found in zip(gt, dets, strict=True):
        truth = torch.from_numpy(xywh_to_xyxy(sample.boxes))
        boxes = torch.from_numpy(xywh_to_xyxy(found.boxes))
        if not len(truth) or not len(boxes):
            best.append(torch.zeros(len(truth)))
            continue
        iou = box_iou(truth, boxes)
        value, match = iou.max(1)
        best.append(value)
        kept = value >= 0.3
        ratio.append(box_area(boxes[match[kept]]) / box_area(truth[kept]).clamp(min=1e-6))
    best_iou = torch.cat(best)
    ratios = torch.cat(ratio) if ratio else torch.zeros(0)
    return {
        "median_best_IoU": round(float(best_iou.median()), 3) if len(best_iou) else None,
        "share_IoU_0.5": round(float((best_iou >= 0.5).float().mean()), 3)
        if len(best_iou)
        else None,
        "median_area_ratio": round(float(ratios.median()), 3) if len(ratios) else None,
    }


def main(argv: list[str]) -> None:
    test_index = int(argv[0]) if argv else 4
    steps = int(argv[1]) if len(argv) > 1 else 300
    methods = parse(argv[2] if len(argv) > 2 else "new-default=models/scenes-fomaml.json")
    chosen = argv[3].split(";") if len(argv) > 3 else list(SUPPORTS)
    tiles = data.grid_tiles(data.load(data.YELL_LARGE), 3, 3)
    test = [tiles[test_index].sample()]
    max_detections = max_detections_for(len(s.boxes) for s in test)
    starts = Starts(reference_card("models/scenes-base.json", methods), "cpu")
    supports = {
        "one tile (2)": [tiles[2].sample()],
        "eight tiles": [t.sample() for i, t in enumerate(tiles) if i != test_index],
        "the test tile itself": test,
    }
    out = {}
    for label in (s for s in SUPPORTS if s in chosen):
        for method in methods:
            began = time.time()
            model, preset, lrs = starts.start(method, ["tree"], 0)
            routine = UpdateRoutine.from_dict(
                {**preset, "steps": steps, "early_stopping": False, "checkpoints": [], "seed": 0}
            )
            adapt(model, supports[label], routine, lrs=lrs)
            found = detect(model, [s.image for s in test], max_detections=max_detections)
            scores = {
                f"AP@{iou}": ap_at(test, found, iou, max_detections) for iou in (0.3, 0.4, 0.5)
            }
            out[f"{method.name} | {label}"] = {
                **scores,
                "box_fit": box_fit(test, found),
                "seconds": round(time.time() - began, 1),
            }
            print(method.name, label, out[f"{method.name} | {label}"], flush=True)
    path = Path("bench/results") / f"realdata-ceiling-{test_index}-{steps}.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
