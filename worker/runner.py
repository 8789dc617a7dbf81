"""Run one task spec (docs/contracts.md §2) with the engine and build its result.

This is the glue between the worker API's JSON and the engine's objects. It knows nothing of
Celery or HTTP: it reads blobs through ``blobs.path(sha)``, uploads through ``upload(bytes)``
and reports through a :class:`Reporter`, so tests can run it directly.
"""

from __future__ import annotations

import io
import logging
import math
import tempfile
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from PIL import Image

from contracts.results import EvaluateResult

from .engine.data.letters import SceneConfig, iter_scenes, k_shot_scenes
from .engine.detector import DenseDetector
from .engine.device import pick_device as pick_device  # re-exported: tasks, benchmarks
from .engine.inference import DEFAULT_MAX_DETECTIONS, ImageDetections, detect
from .engine.metrics import coco_metrics, max_detections_for
from .engine.model_io import (
    LR_PREFIX,
    learned_lrs,
    load_detector,
    make_card,
    read_state,
    save_model,
)
from .engine.routine import UpdateRoutine, adapt
from .engine.samples import Sample

log = logging.getLogger(__name__)


class Blobs(Protocol):
    def path(self, sha256: str) -> Path: ...


class Reporter(Protocol):
    def __call__(self, progress: float, stage: str = "", points: list[dict] | None = None) -> None:
        """Send progress; raises :class:`Cancelled` when the job was cancelled."""


Upload = Callable[[bytes], str]


class ModelCache:
    """The last few detectors, keyed by weights and classes, so detect chunks skip reloading."""

    def __init__(self, size: int = 2):
        self.size = size
        self.models: OrderedDict[tuple, DenseDetector] = OrderedDict()

    def get(self, spec_model: dict, classes: list[str], blobs: Blobs, device: str) -> DenseDetector:
        key = (spec_model["weights_sha256"], tuple(classes), device)
        if key in self.models:
            self.models.move_to_end(key)
            return self.models[key]
        model = load_detector(
            spec_model["card"], blobs.path(spec_model["weights_sha256"]), classes, device
        )
        self.models[key] = model.eval()
        while len(self.models) > self.size:
            self.models.popitem(last=False)
        return model


MODELS = ModelCache()


class Stages:
    """Seconds spent in each stage of a task, for its result's ``stage_seconds`` and the
    worker's log: ``with stages("decode"): ...``; time spent in ``stages.excluded`` inside a
    stage (progress reports) counts as ``report`` instead."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._excluded = 0.0

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        started, excluded = time.perf_counter(), self._excluded
        try:
            yield
        finally:
            spent = time.perf_counter() - started - (self._excluded - excluded)
            self.seconds[name] = self.seconds.get(name, 0.0) + spent

    def excluded(self, call: Callable[..., None]) -> Callable[..., None]:
        """``call``, its time counted as ``report`` and not in the stage it runs in."""

        def timed(*args, **kwargs) -> None:
            started = time.perf_counter()
            try:
                call(*args, **kwargs)
            finally:
                spent = time.perf_counter() - started
                self._excluded += spent
                self.seconds["report"] = self.seconds.get("report", 0.0) + spent

        return timed

    def split(self, stage: str, part: str, seconds: float) -> None:
        """Count ``seconds`` of ``stage`` as ``part`` instead."""
        self.seconds[stage] = self.seconds.get(stage, 0.0) - seconds
        self.seconds[part] = self.seconds.get(part, 0.0) + seconds

    def rounded(self) -> dict[str, float]:
        return {name: round(value, 4) for name, value in self.seconds.items()}


def _image(blobs: Blobs, entry: dict) -> Image.Image:
    with Image.open(blobs.path(entry["sha256"])) as raw:
        return raw.convert("RGB")


def _fetched(blobs: Blobs, entries: list[dict], stages: Stages) -> None:
    """Fetch the entries' blobs (a cache hit costs a stat) before they are decoded, so fetching
    and decoding are timed apart."""
    with stages("fetch"):
        for entry in entries:
            blobs.path(entry["sha256"])


def _samples(blobs: Blobs, entries: list[dict]) -> list[Sample]:
    """The engine's samples of spec images; ``complete`` as the spec says (default True): an
    image still being annotated is never trained as background."""
    return [
        Sample(
            _image(blobs, e),
            [a["box"] for a in e.get("annotations", [])],
            [a["class_index"] for a in e.get("annotations", [])],
            complete=bool(e.get("complete", True)),
        )
        for e in entries
    ]


def _training_warnings(samples: list[Sample]) -> list[str]:
    """What a person should know about the training set before trusting the model."""
    if samples and not any(s.complete for s in samples):
        return [
            f"none of the {len(samples)} training images is marked complete, so the model "
            "learned nothing about background from this adaptation (only the boxed objects "
            "counted) and may now find objects everywhere: mark images whose objects are all "
            "boxed complete"
        ]
    return []


def _predictions(entries: list[dict], detections: list[ImageDetections]) -> list[dict]:
    out = []
    for entry, det in zip(entries, detections, strict=True):
        uncertainties = det.uncertainties
        out.append(
            {
                "image_id": entry["id"],
                "uncertainty": round(det.uncertainty, 5),
                "detections": [
                    {
                        "class_index": int(label),
                        "box": [round(float(v), 2) for v in box],
                        "score": round(float(score), 5),
                        "uncertainty": round(float(u), 5),
                    }
                    for box, score, label, u in zip(
                        det.boxes, det.scores, det.labels, uncertainties, strict=True
                    )
                ],
            }
        )
    return out


def _evaluated_images(entries: list[dict], images: list[dict]) -> list[dict]:
    """Per spec image, its detections marked tp/fp and the indices of its annotations missed."""
    return [
        {
            "image_id": entry["id"],
            "detections": [
                {
                    "class_index": d["class_index"],
                    "box": [round(v, 2) for v in d["box"]],
                    "score": round(d["score"], 5),
                    "match": d["match"],
                }
                for d in image["detections"]
            ],
            "missed": image["missed"],
        }
        for entry, image in zip(entries, images, strict=True)
    ]


def _clean_metrics(evaluation: dict) -> dict:
    """The evaluate result as the contract has it (JSON-safe: a metric without a value is None)."""
    return EvaluateResult.model_validate(evaluation).model_dump(mode="json")


def _max_detections(spec: dict, card: dict, entries: list[dict]) -> int:
    """The project's setting where it has one; else the larger of what the model was adapted
    with and what ``entries`` need."""
    params = spec.get("params") or {}
    if params.get("max_detections"):
        return int(params["max_detections"])
    return max_detections_for(
        (len(e.get("annotations") or []) for e in entries),
        int(card.get("max_detections") or DEFAULT_MAX_DETECTIONS),
    )


def run_adapt(
    spec: dict, blobs: Blobs, report: Reporter, upload: Upload, device: str = "cpu"
) -> dict:
    started = time.time()
    stages = Stages()
    report = stages.excluded(report)
    classes = [c["name"] for c in spec["classes"]]
    report(0.0, "loading")
    base_card = spec["model"]["card"]
    with stages("model"):
        state = read_state(blobs.path(spec["model"]["weights_sha256"]), base_card)
        model = load_detector(base_card, state, classes, device)
    _fetched(blobs, spec["images"] + (spec.get("eval_images") or []), stages)
    with stages("decode"):
        samples = _samples(blobs, spec["images"])
        eval_samples = _samples(blobs, spec.get("eval_images") or [])
    routine = UpdateRoutine.from_dict(spec.get("routine") or {})
    lrs = learned_lrs(state, base_card, classes, device) if routine.optimizer == "metasgd" else None
    # the project's working scale, where it sets one (else derived from the boxes), and the
    # detections per image its images need
    scale = (spec.get("params") or {}).get("working_scale")
    max_dets = _max_detections(spec, base_card, spec["images"] + (spec.get("eval_images") or []))

    def evaluate(current: DenseDetector) -> dict:
        detections = detect(current, [s.image for s in eval_samples], max_detections=max_dets)
        metrics = coco_metrics(
            eval_samples, detections, len(classes), pr_curves=False, max_detections=max_dets
        )["metrics"]
        return {
            k: None if metrics[k] is None else round(metrics[k], 5) for k in ("AP", "AP50", "AP75")
        }

    pending: list[dict] = []
    last_report = [0.0]

    def on_step(step: int, steps: int, loss: float) -> None:
        pending.append({"step": step, "loss": round(loss, 5)})
        now = time.time()
        if now - last_report[0] >= 0.5 or step == steps:
            report(0.05 + 0.85 * step / max(1, steps), "adapting", list(pending))
            pending.clear()
            last_report[0] = now

    with stages("train"):
        outcome = adapt(
            model,
            samples,
            routine,
            evaluate=evaluate if eval_samples else None,
            progress=on_step,
            lrs=lrs,
            scale=scale,
        )
    # the points since the last report (an early stop or a divergence ends the run between)
    report(0.92, "saving", list(pending) or None)
    warnings = _training_warnings(samples)
    for warning in warnings:
        log.warning("adapt task %s: %s", spec.get("task_id"), warning)
    name = f"{base_card.get('name', 'model')}-adapted"
    card = make_card(
        name,
        model,
        classes,
        "adapt",
        parent=base_card.get("name"),
        preset=base_card.get("preset", routine.to_dict()),
        routine=routine.to_dict(),
        training={
            "images": len(samples),
            "steps_run": outcome.steps_run,
            "best_step": outcome.best_step,
            "stopped_early": outcome.stopped_early,
            "diverged": outcome.diverged,
            "stop_reason": outcome.stop_reason,
            "complete_images": sum(s.complete for s in samples),
            "device": device,
        },
        max_detections=max_dets,
        **({"warnings": warnings} if warnings else {}),
        **({"learned_rates": base_card.get("learned_rates")} if lrs is not None else {}),
        **({"backbone": base_card["backbone"]} if "backbone" in base_card else {}),
    )
    # a Meta-SGD model's learned rates (fitted to the project's classes) stay with the adapted
    # model, whose card keeps the metasgd preset: the next iteration adapts from it the same way
    rates = {LR_PREFIX + k: v for k, v in lrs.items()} if lrs is not None else None
    with stages("upload"), tempfile.TemporaryDirectory() as tmp:
        weights_path, _ = save_model(model, card, tmp, "model", extra=rates)
        weights_sha = upload(weights_path.read_bytes())
    return {
        "weights_sha256": weights_sha,
        "card": card,
        "steps_run": outcome.steps_run,
        "best_step": outcome.best_step,
        "stopped_early": outcome.stopped_early,
        "final_loss": outcome.final_loss,
        "loss_curve": [list(p) for p in outcome.loss_curve],
        "checkpoints": outcome.checkpoints,
        "diverged": outcome.diverged,
        "stop_reason": outcome.stop_reason,
        "warnings": warnings,
        "seconds": round(time.time() - started, 3),
        "stage_seconds": stages.rounded(),
    }


def run_detect(
    spec: dict, blobs: Blobs, report: Reporter, device: str = "cpu", batch_size: int = 16
) -> dict:
    started = time.time()
    stages = Stages()
    report = stages.excluded(report)
    classes = [c["name"] for c in spec["classes"]]
    params = spec.get("params") or {}
    report(0.0, "loading")
    with stages("model"):
        model = MODELS.get(spec["model"], classes, blobs, device)
    entries = spec["images"]
    _fetched(blobs, entries, stages)
    with stages("decode"):
        images = [_image(blobs, e) for e in entries]
    timings: dict[str, float] = {}
    with stages("forward"):
        detections = detect(
            model,
            images,
            batch_size=batch_size,
            score_threshold=float(params.get("score_threshold", 0.05)),
            max_detections=_max_detections(spec, spec["model"]["card"], []),
            progress=lambda done, total: report(0.1 + 0.85 * done / total, "detecting"),
            timings=timings,
        )
    stages.split("forward", "prepare", timings.get("prepare", 0.0))
    with stages("pack"):
        predictions = _predictions(entries, detections)
    return {
        "predictions": predictions,
        "seconds": round(time.time() - started, 3),
        "stage_seconds": stages.rounded(),
    }


def run_evaluate(
    spec: dict, blobs: Blobs, report: Reporter, device: str = "cpu", batch_size: int = 16
) -> dict:
    started = time.time()
    stages = Stages()
    report = stages.excluded(report)
    classes = [c["name"] for c in spec["classes"]]
    report(0.0, "loading")
    with stages("model"):
        model = MODELS.get(spec["model"], classes, blobs, device)
    _fetched(blobs, spec["images"], stages)
    with stages("decode"):
        samples = _samples(blobs, spec["images"])
    max_dets = _max_detections(spec, spec["model"]["card"], spec["images"])
    timings: dict[str, float] = {}
    with stages("forward"):
        detections = detect(
            model,
            [s.image for s in samples],
            batch_size=batch_size,
            max_detections=max_dets,
            progress=lambda done, total: report(0.1 + 0.8 * done / total, "detecting"),
            timings=timings,
        )
    stages.split("forward", "prepare", timings.get("prepare", 0.0))
    report(0.92, "scoring")
    with stages("scoring"):
        evaluation = coco_metrics(
            samples, detections, len(classes), max_detections=max_dets, per_image=True
        )
        evaluation["images"] = _evaluated_images(spec["images"], evaluation["images"])
    evaluation["seconds"] = round(time.time() - started, 3)
    result = _clean_metrics(evaluation)
    result["stage_seconds"] = stages.rounded()
    return result


def run_export_onnx(spec: dict, blobs: Blobs, report: Reporter, upload: Upload) -> dict:
    """Export the spec's model with the spec's classes (as detect loads it, from the same
    :data:`MODELS` cache) to ONNX, upload the file and answer its sha256, size and ``onnx`` card
    section (docs/engine.md, "Export to ONNX"). The export runs on the CPU (the exporter traces
    there whatever the worker's device is) and takes seconds; the file is about as large as the
    weights."""
    from .engine.onnx_export import export_onnx  # onnx is imported only for this task kind

    started = time.time()
    stages = Stages()
    report = stages.excluded(report)
    classes = [c["name"] for c in spec["classes"]]
    if not classes:
        raise ValueError("the project has no classes: add classes before exporting a model")
    scale = (spec.get("params") or {}).get("working_scale")
    report(0.0, "loading")
    with stages("model"):
        model = MODELS.get(spec["model"], classes, blobs, "cpu")
    report(0.2, "exporting")
    with stages("export"), tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.onnx"
        info = export_onnx(model, classes, path, scale)
        data = path.read_bytes()
    report(0.8, "uploading")
    with stages("upload"):
        sha = upload(data)
    report(1.0, "done")
    return {
        "onnx_sha256": sha,
        "size": len(data),
        "onnx": info,
        "seconds": round(time.time() - started, 3),
        "stage_seconds": stages.rounded(),
    }


def run_generate(spec: dict, report: Reporter, upload: Upload) -> dict:
    """Draw synthetic letter images for a demo project and upload them as PNG blobs.

    ``params``: ``seed``, ``classes`` (letters), ``image_size`` and ``pools``: a list (or a dict
    keyed by pool) of ``{"pool": "adapt"|"holdout", "count": n, "annotated": bool}``. An
    annotated adapt set holds every class in at least ``count / len(classes)`` images.
    """
    params = spec.get("params") or {}
    classes = list(params["classes"])
    seed = int(params.get("seed", 0))
    cfg = SceneConfig(image_size=int(params.get("image_size", 256)))
    pools = params.get("pools", [])
    if isinstance(pools, dict):
        pools = [{"pool": key, **value} for key, value in pools.items()]
    total = sum(int(p["count"]) for p in pools) or 1
    images: list[dict] = []
    for set_index, entry in enumerate(pools):
        count, pool = int(entry["count"]), entry.get("pool", "adapt")
        annotated = bool(entry.get("annotated", True))
        set_seed = seed * 1000 + set_index
        if annotated and pool == "adapt":
            shots = max(1, math.ceil(count / len(classes)))
            scenes = k_shot_scenes(set_seed, classes, shots, cfg)[:count]
        else:
            scenes = list(iter_scenes(set_seed, classes, count, cfg))
        for i, scene in enumerate(scenes):
            buffer = io.BytesIO()
            scene.image.save(buffer, format="PNG")
            sha = upload(buffer.getvalue())
            images.append(
                {
                    "sha256": sha,
                    "file_name": f"{pool}-{'a' if annotated else 'u'}{set_index}-{i:04d}.png",
                    "pool": pool,
                    "width": scene.image.width,
                    "height": scene.image.height,
                    "annotated": annotated,
                    "annotations": [
                        {"class_index": classes.index(o.letter), "box": list(o.box)}
                        for o in scene.objects
                    ]
                    if annotated
                    else [],
                }
            )
            if len(images) % 10 == 0:
                report(len(images) / total, "drawing")
    return {"images": images}
