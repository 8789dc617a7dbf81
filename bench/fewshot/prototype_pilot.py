"""The pilot that chose ``class_init_scale`` (README, few-shot footnote 5): on the benchmark's
K=20 tasks, the AP50 right after the prototype start and after 2–20 class-layer steps, for
whole-set FOMAML and the base model's class layer, at each scale given.

    .venv/bin/python -m bench.fewshot.prototype_pilot --scales 1,3

It draws the tasks as ``python -m bench.fewshot --folds 0,1 --shots 20 --tasks 2 --test-images 30``
does (the same seeds), so the numbers are the benchmark's tasks: a scale chosen here is chosen on
benchmark tasks.
"""

from __future__ import annotations

import argparse

from worker.engine.data.letters import BASE_CLASSES, LETTER_FOLDS
from worker.engine.detector import DetectorConfig
from worker.engine.inference import detect
from worker.engine.metrics import coco_metrics
from worker.engine.routine import UpdateRoutine, adapt, prototype_class_head
from worker.engine.samples import encode_samples

from .cli import build_parser, dataset_from_args
from .grid import FewshotConfig, Method, draw_tasks, initial_model

METHODS = {
    "fomaml-full": ("models/letters-fomaml.json", {"batch_size": 100}),
    "standard-classifier-full": (
        "models/letters-base.json",
        {"batch_size": 100, "train_layers": "classifier", "lr": 0.01},
    ),
}
CHECKPOINTS = [2, 4, 6, 8, 10, 14, 20]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scales", default="1,3")
    args = parser.parse_args(argv)
    dataset = dataset_from_args(build_parser().parse_args(["--device", "cpu"]))
    cfg = FewshotConfig(
        folds=[list(f) for f in LETTER_FOLDS],
        train_classes=list(BASE_CLASSES),
        methods=[],
        ways=5,
        shots=[20],
        steps=[20],
        checkpoints=CHECKPOINTS,
        tasks=2,
        test_images=30,
        seed=0,
    )
    print(
        "| method | scale | task | after the prototypes | "
        + " | ".join(map(str, CHECKPOINTS))
        + " |"
    )
    print("|---|---|---|---|" + "---|" * len(CHECKPOINTS))
    for name, (card, overrides) in METHODS.items():
        for scale in [float(s) for s in args.scales.split(",")]:
            for cell in draw_tasks(cfg, dataset)[20]:
                model, preset, lrs = initial_model(
                    Method(name, card, None, overrides),
                    cell.episode.classes,
                    DetectorConfig(),
                    "cpu",
                    cfg.seed + cell.task,
                )

                def ap50(current, cell=cell) -> float:  # used within this iteration only
                    found = detect(current, [s.image for s in cell.scoring], batch_size=32)
                    return coco_metrics(
                        cell.scoring, found, len(cell.episode.classes), pr_curves=False
                    )["metrics"]["AP50"]

                prototype_class_head(
                    model,
                    encode_samples(cell.episode.support, model.num_classes, model.config),
                    scale,
                )
                start = ap50(
                    model
                )  # then adapt from here, as class_init=prototype does inside adapt()
                routine = UpdateRoutine.from_dict(
                    {
                        **preset,
                        "steps": max(CHECKPOINTS),
                        "early_stopping": False,
                        "checkpoints": CHECKPOINTS,
                        "seed": cfg.seed + cell.task,
                    }
                )
                result = adapt(
                    model,
                    cell.episode.support,
                    routine,
                    evaluate=lambda m: {"AP50": ap50(m)},
                    lrs=lrs,
                )
                print(
                    f"| {name} | {scale:g} | fold{cell.fold}/task{cell.task} | {start:.3f} | "
                    + " | ".join(f"{c['metrics']['AP50']:.3f}" for c in result.checkpoints)
                    + " |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
