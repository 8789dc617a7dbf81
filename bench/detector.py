"""The measurements behind the default detector (README, "The detector").

1. Cost on this machine: training-step time and inference time per image, by trunk depth and
   input size; and the step of a class-layer adaptation (what the meta-learned models' presets
   train) on the frozen maps computed once, at the batch and at 100 images (5-way 20-shot).
2. Scale range: the shipped base model's AP50 and recall on its own classes, for single letters
   of a given size — from smaller than 16 px to nearly the whole 256-px image.

``python -m bench.detector`` writes ``bench/results/detector.json`` and ``detector.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

import torch

from worker.engine.data.letters import BASE_CLASSES, SceneConfig, draw_scene
from worker.engine.detector import DenseDetector, DetectorConfig, total_loss
from worker.engine.inference import detect
from worker.engine.metrics import coco_metrics
from worker.engine.model_io import load_detector, read_card
from worker.engine.routine import frozen_cache, step_loss, trainable_parameters
from worker.engine.samples import Sample, encode_samples

OUT = Path(__file__).resolve().parent / "results"
CONFIGS = [("resnet18", 256), ("resnet10", 256), ("resnet10", 224), ("resnet10", 192)]
FULL_SUPPORT = 100  # a 5-way 20-shot support set


def _time(fn, repeats: int) -> list[float]:
    fn()  # warm-up
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def _scenes(count: int, classes: list[str], config: DetectorConfig):
    samples = []
    for i in range(count):
        scene = draw_scene(i, classes, SceneConfig(image_size=config.input_size))
        samples.append(
            Sample(
                scene.image,
                [o.box for o in scene.objects],
                [classes.index(o.letter) for o in scene.objects],
            )
        )
    return encode_samples(samples, len(classes), config)


def class_layer_step(model: DenseDetector, data, repeats: int) -> float:
    """Median seconds of one class-layer adaptation step over all of ``data``, on the frozen maps
    computed once beforehand (as :func:`~worker.engine.routine.adapt` does; not timed)."""
    params = trainable_parameters(model, "classifier")
    optimizer = torch.optim.Adam(params, 1e-2)
    cache = frozen_cache(model, data, "classifier")
    index = torch.arange(len(data))
    images, targets = data.batch(index)

    def step() -> None:
        loss = step_loss(model, images, targets, "classifier", cache, index)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    model.train()
    try:
        return round(statistics.median(_time(step, repeats)), 4)
    finally:
        for p in model.parameters():
            p.requires_grad_(True)


def measure(trunk: str, size: int, batch: int, repeats: int) -> dict:
    torch.manual_seed(0)
    config = DetectorConfig(trunk=trunk, input_size=size)
    classes = list(BASE_CLASSES)
    data = _scenes(batch, classes, config)
    model = DenseDetector(config, len(classes))
    optimizer = torch.optim.Adam(model.parameters(), 1e-4)

    def train_step() -> None:
        model.train()
        loss = total_loss(model(data.images, data.targets))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    def head_only_step() -> None:
        for p in model.trunk.parameters():
            p.requires_grad_(False)
        train_step()
        for p in model.trunk.parameters():
            p.requires_grad_(True)

    infer_batch = torch.cat([data.images] * 2)

    def infer() -> None:
        model.eval()
        with torch.inference_mode():
            model(infer_batch)

    train = _time(train_step, repeats)
    head = _time(head_only_step, repeats)
    inference = [t / len(infer_batch) for t in _time(infer, repeats)]
    class_step = class_layer_step(model, data, repeats)
    class_step_full = class_layer_step(model, _scenes(FULL_SUPPORT, classes, config), repeats)
    return {
        "trunk": trunk,
        "input_size": size,
        "stride": config.stride,
        "map": f"{config.map_size}x{config.map_size}",
        "parameters_M": round(sum(p.numel() for p in model.parameters()) / 1e6, 2),
        "train_step_s": round(statistics.median(train), 3),
        "head_only_step_s": round(statistics.median(head), 3),
        "class_layer_step_s": class_step,
        f"class_layer_step_{FULL_SUPPORT}_s": class_step_full,
        "inference_ms_per_image": round(1000 * statistics.median(inference), 1),
        "batch": batch,
        "repeats": repeats,
    }


SIZE_BINS = [(10, 16), (16, 24), (24, 48), (48, 96), (96, 160), (160, 230)]


def scale_range(model_card: Path, images_per_bin: int) -> list[dict]:
    """AP50 and recall of the base model on 256-px images holding one or two letters whose longer
    side lies in each size bin."""
    card = read_card(model_card)
    classes = card["classes"]
    model = load_detector(card, model_card.with_suffix(".safetensors"), classes)
    rows = []
    for low, high in SIZE_BINS:
        cfg = SceneConfig(
            image_size=256,
            min_size=low,
            max_size=high,
            min_objects=1,
            max_objects=1 if high > 120 else 2,
        )
        samples = []
        for i in range(images_per_bin):
            scene = draw_scene(50_000 + 1000 * low + i, classes, cfg)
            samples.append(
                Sample(
                    scene.image,
                    [o.box for o in scene.objects],
                    [classes.index(o.letter) for o in scene.objects],
                )
            )
        detections = detect(model, [s.image for s in samples])
        result = coco_metrics(samples, detections, len(classes), pr_curves=False)["metrics"]
        sides = [float(max(b[2], b[3])) for s in samples for b in s.boxes]
        rows.append(
            {
                "letter_px": f"{low}-{high}",
                "box_px": f"{min(sides):.0f}-{max(sides):.0f}",
                "images": len(samples),
                "objects": sum(len(s.labels) for s in samples),
                "AP50": round(result["AP50"], 3),
                "AP": round(result["AP"], 3),
                "AR100": round(result["AR100"], 3),
            }
        )
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.detector", description=__doc__)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", default=str(OUT))
    parser.add_argument(
        "--model",
        default=str(Path(__file__).resolve().parent.parent / "models" / "letters-base.json"),
    )
    parser.add_argument("--images-per-bin", type=int, default=60)
    args = parser.parse_args(argv)
    rows = [measure(trunk, size, args.batch, args.repeats) for trunk, size in CONFIGS]
    scales = scale_range(Path(args.model), args.images_per_bin)
    result = {
        "machine": {
            "cpu": platform.processor() or platform.machine(),
            "cores": os.cpu_count(),
            "threads": torch.get_num_threads(),
            "torch": torch.__version__,
        },
        "rows": rows,
        "scale_range": {"model": Path(args.model).stem, "rows": scales},
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "detector.json").write_text(json.dumps(result, indent=1) + "\n")
    lines = [
        f"# Detector cost on this machine ({result['machine']['cores']} cores, "
        f"torch {torch.__version__})",
        "",
        f"Batch {args.batch}, median of {args.repeats}; "
        f"inference per image at batch {2 * args.batch}.",
        "",
        "Class-layer step: the class layer alone trained on the frozen maps, which are computed "
        f"once per image beforehand (not timed), at batch {args.batch} and at {FULL_SUPPORT} "
        "images.",
        "",
        "| trunk | input | map | params (M) | train step (s) | head-only step (s) "
        f"| class-layer step (s) | class-layer step, {FULL_SUPPORT} images (s) "
        "| inference (ms/image) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['trunk']} | {r['input_size']} | {r['map']} | {r['parameters_M']} "
        f"| {r['train_step_s']} | {r['head_only_step_s']} | {r['class_layer_step_s']} "
        f"| {r[f'class_layer_step_{FULL_SUPPORT}_s']} | {r['inference_ms_per_image']} |"
        for r in rows
    ]
    lines += [
        "",
        f"Scale range of `{Path(args.model).stem}` on its own classes (256-px images, "
        f"{args.images_per_bin} per bin; letter size = longer side of its box):",
        "",
        "| drawn size (px) | ink box, longer side (px) | objects | AP50 | AP | AR100 |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['letter_px']} | {r['box_px']} | {r['objects']} "
        f"| {r['AP50']} | {r['AP']} | {r['AR100']} |"
        for r in scales
    ]
    (out / "detector.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
