"""Run every family × task × method: adapt with checkpoints scored, then time the loop.

For each task and method, two adaptations from the same start:

1. The curve: the method's preset (learning rate, optimizer, layers, batch) for ``steps`` steps
   without early stopping, scored on the task's query images at each checkpoint (step 0: before
   the first step) with COCO AP, AP50 and AR at the family's max-detections value.
2. The loop, timed: the preset exactly as the card gives it (its own steps and early stopping),
   then detection on the query images and their evaluation, as one Iterate runs them. Building
   the model is not timed (a worker keeps it loaded), nor are the curve's evaluations.

The results file is rewritten after every run, so a stopped run keeps what it measured.
"""

from __future__ import annotations

import json
import os
import platform
import time
from collections.abc import Sequence
from pathlib import Path

import torch
from tqdm import tqdm

from bench.fewshot.grid import summarize
from worker.engine.inference import detect
from worker.engine.metrics import coco_metrics
from worker.engine.routine import UpdateRoutine, adapt

from .methods import AnyMethod, Starts
from .tasks import Family, RealTask

METRICS = ("AP", "AP50", "AR100")


def score(model, task: RealTask, max_detections: int) -> dict:
    """COCO metrics of ``model`` on the task's query images (AR100 is the recall at
    ``max_detections``); with ``score_each``, also each image's AP50."""
    detections = detect(model, [s.image for s in task.query], max_detections=max_detections)
    classes = len(task.classes)
    metrics = coco_metrics(
        task.query, detections, classes, pr_curves=False, max_detections=max_detections
    )["metrics"]
    out = {k: round(metrics[k], 5) for k in METRICS}
    if task.score_each:
        out["by_image"] = {
            name: round(
                coco_metrics([s], [d], classes, pr_curves=False, max_detections=max_detections)[
                    "metrics"
                ]["AP50"],
                5,
            )
            for name, s, d in zip(task.query_names, task.query, detections, strict=True)
        }
    return out


def run_task(
    method: AnyMethod,
    task: RealTask,
    starts: Starts,
    steps: int,
    checkpoints: Sequence[int],
    max_detections: int,
    seed: int = 0,
    loop_steps_cap: int | None = None,
) -> dict:
    """One method on one task: the scored curve and the timed loop (see the module docstring)."""
    started = time.perf_counter()
    model, preset, lrs = starts.start(method, task.classes, seed)
    routine = UpdateRoutine.from_dict(
        {
            **preset,
            "steps": steps,
            "early_stopping": False,
            "checkpoints": [c for c in checkpoints if c <= steps],
            "seed": seed,
        }
    )
    outcome = adapt(
        model,
        task.support,
        routine,
        lrs=lrs,
        evaluate=lambda current: score(current, task, max_detections),
    )
    curve = [{"step": c["step"], **c["metrics"]} for c in outcome.checkpoints]
    working_scale = getattr(model, "working_scale", None)

    model, preset, lrs = starts.start(method, task.classes, seed)
    own = UpdateRoutine.from_dict({**preset, "seed": seed})
    if loop_steps_cap is not None and own.steps > loop_steps_cap:
        own = UpdateRoutine.from_dict({**own.to_dict(), "steps": loop_steps_cap, "checkpoints": []})
    clock = time.perf_counter()
    result = adapt(model, task.support, own, lrs=lrs)
    adapted = time.perf_counter()
    detections = detect(model, [s.image for s in task.query], max_detections=max_detections)
    detected = time.perf_counter()
    metrics = coco_metrics(
        task.query, detections, len(task.classes), pr_curves=False, max_detections=max_detections
    )["metrics"]
    done = time.perf_counter()
    loop = {
        "seconds": round(done - clock, 3),
        "adapt_seconds": round(adapted - clock, 3),
        "detect_seconds": round(detected - adapted, 3),
        "evaluate_seconds": round(done - detected, 3),
        "preset_steps": own.steps,
        "steps_run": result.steps_run,
        "stopped_early": result.stopped_early,
        "early_stopping": own.early_stopping,
        "AP50": round(metrics["AP50"], 5),
        "AP": round(metrics["AP"], 5),
    }
    return {
        "curve": curve,
        "loop": loop,
        "routine": routine.to_dict(),
        "working_scale": None if working_scale is None else round(float(working_scale), 4),
        "seconds": round(time.perf_counter() - started, 2),
    }


def machine() -> dict:
    """What the timings depend on beyond the code."""
    return {
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "python": platform.python_version(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def run_benchmark(
    families: Sequence[Family],
    methods: Sequence[AnyMethod],
    starts: Starts,
    results_path: str | Path,
    steps: int = 100,
    checkpoints: Sequence[int] = (0, 10, 100),
    seed: int = 0,
    loop_steps_cap: int | None = None,
    command: str = "",
    config: dict | None = None,
) -> dict:
    """Every family × task × method (:func:`run_task`), written to ``results_path`` after each
    run; returns the results with their summary."""
    path = Path(results_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    results: dict = {
        "command": command,
        "machine": machine(),
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "config": {
            **(config or {}),
            "steps": steps,
            "checkpoints": [c for c in checkpoints if c <= steps],
            "seed": seed,
            "loop_steps_cap": loop_steps_cap,
        },
        "methods": {m.name: starts.describe(m) for m in methods},
        "families": {f.key: f.describe() for f in families},
        "runs": {},
    }
    total = sum(len(f.tasks) for f in families) * len(methods)
    with tqdm(total=total, desc="real-data benchmark", unit="run") as bar:
        for family in families:
            for task in family.tasks:
                for method in methods:
                    bar.set_postfix_str(f"{family.key} / {task.name} / {method.name}")
                    run = run_task(
                        method,
                        task,
                        starts,
                        steps,
                        checkpoints,
                        family.max_detections,
                        seed,
                        loop_steps_cap,
                    )
                    results["runs"][f"{family.key}/{method.name}/{task.name}"] = run
                    _write(path, results)
                    bar.update()
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["summary"] = summarize_runs(results["runs"])
    _write(path, results)
    return results


def summarize_runs(runs: dict) -> dict:
    """``summary[family][method] = {"steps": {step: {AP50, AP: {mean, ci95, n}}}, "loop_seconds",
    "loop_AP50"}``: mean and 95% t-interval over tasks."""
    grouped: dict = {}
    for key, run in runs.items():
        family, method, _ = key.split("/", 2)
        cell = grouped.setdefault(family, {}).setdefault(
            method, {"steps": {}, "loop_seconds": [], "loop_AP50": []}
        )
        for point in run["curve"]:
            at = cell["steps"].setdefault(str(point["step"]), {"AP50": [], "AP": []})
            at["AP50"].append(point["AP50"])
            at["AP"].append(point["AP"])
        cell["loop_seconds"].append(run["loop"]["seconds"])
        cell["loop_AP50"].append(run["loop"]["AP50"])
    return {
        family: {
            method: {
                "steps": {
                    s: {k: summarize(v) for k, v in at.items()} for s, at in cell["steps"].items()
                },
                "loop_seconds": summarize(cell["loop_seconds"]),
                "loop_AP50": summarize(cell["loop_AP50"]),
            }
            for method, cell in by_method.items()
        }
        for family, by_method in grouped.items()
    }


def _write(path: Path, results: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(results, indent=1) + "\n")
    tmp.replace(path)
