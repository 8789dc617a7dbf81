"""Variants of the within-site adaptation that were tried against the default and not kept:
``python -m bench.realdata.variants`` (docs/real-images.md, "Tried and not kept").

On the benchmark's 3×3 grid of the large YELL crop, the default (``models/scenes-fomaml.json``,
its preset for 100 steps, no early stopping, seed 0) adapts on one tile and is scored on the
other eight (AP50 and AP at IoU 0.4, at the family's max detections), as is and with:

* ``dihedral``: the adapt tile in its eight flips and transposes (aerial images have no up),
  so every training crop is seen in each orientation (adapt tiles 2, 4 and 6);
* ``scale ×0.75`` / ``scale ×1.5``: the automatic working scale times that factor (tile 2);
* ``nms 0.3`` / ``0.4`` / ``0.6``: the detector's NMS IoU instead of 0.5 (tile 2).

Writes ``bench/results/realdata-variants.json``.
"""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path

from PIL import Image

from bench.realdata import data
from bench.realdata.ceiling import ap_at
from bench.realdata.methods import Starts, parse, reference_card
from worker.engine.inference import detect
from worker.engine.metrics import max_detections_for
from worker.engine.routine import UpdateRoutine, adapt
from worker.engine.samples import Sample, working_scale

DEFAULT = "new-default=models/scenes-fomaml.json"
STEPS = 100


def dihedral(sample: Sample) -> list[Sample]:
    """The sample in its eight flips and transposes, boxes moved with it."""
    out = []
    for transpose in (False, True):
        for flip_x in (False, True):
            for flip_y in (False, True):
                image, boxes = sample.image, sample.boxes.copy()
                if transpose:
                    image = image.transpose(Image.Transpose.TRANSPOSE)
                    boxes = boxes[:, [1, 0, 3, 2]]
                if flip_x:
                    image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
                    boxes[:, 0] = image.width - boxes[:, 0] - boxes[:, 2]
                if flip_y:
                    image = image.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
                    boxes[:, 1] = image.height - boxes[:, 1] - boxes[:, 3]
                out.append(Sample(image, boxes, sample.labels, sample.complete))
    return out


def run(starts, method, tiles, adapt_index, variant: str, value=None) -> dict:
    support = [tiles[adapt_index].sample()]
    scored = [t.sample() for i, t in enumerate(tiles) if i != adapt_index]
    max_detections = max_detections_for(len(s.boxes) for s in scored)
    model, preset, lrs = starts.start(method, ["tree"], 0)
    routine = UpdateRoutine.from_dict(
        {**preset, "steps": STEPS, "early_stopping": False, "checkpoints": [], "seed": 0}
    )
    scale = working_scale(support, model.config)
    if variant == "scale":
        scale *= value
    if variant == "dihedral":
        support = [copy for s in support for copy in dihedral(s)]
    began = time.perf_counter()
    adapt(model, support, routine, lrs=lrs, scale=scale)
    seconds = time.perf_counter() - began
    if variant == "nms":
        model.config = dataclasses.replace(model.config, nms_iou=value)
    found = detect(model, [s.image for s in scored], max_detections=max_detections)
    return {
        "adapt_tile": adapt_index,
        "variant": variant if value is None else f"{variant} {value}",
        "AP50": ap_at(scored, found, 0.5, max_detections)[0],
        "AP40": ap_at(scored, found, 0.4, max_detections)[0],
        "adapt_seconds": round(seconds, 1),
    }


def main() -> None:
    method = parse(DEFAULT)[0]
    starts = Starts(reference_card("models/scenes-base.json", [method]), "cpu")
    tiles = data.grid_tiles(data.load(data.YELL_LARGE), 3, 3)
    plan = [(t, "default", None) for t in (2, 4, 6)] + [(t, "dihedral", None) for t in (2, 4, 6)]
    plan += [(2, "scale", f) for f in (0.75, 1.5)] + [(2, "nms", v) for v in (0.3, 0.4, 0.6)]
    rows = []
    for adapt_index, variant, value in plan:
        rows.append(run(starts, method, tiles, adapt_index, variant, value))
        print(rows[-1], flush=True)
    path = Path("bench/results/realdata-variants.json")
    command = "python -m bench.realdata.variants"
    path.write_text(json.dumps({"command": command, "steps": STEPS, "runs": rows}, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
