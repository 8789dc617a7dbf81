"""Writing a task's result (docs/contracts.md §2, Results) — called inside the one transaction
that also marks the task succeeded, so a result is stored completely or not at all."""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.db import (
    Annotation,
    Image,
    ImageUncertainty,
    Job,
    Metric,
    Model,
    PrCurve,
    Prediction,
    Task,
)
from backend.services import images as image_service
from backend.services.blobs import BlobStore
from backend.services.errors import Invalid
from backend.services.jobs import add_detect_tasks, add_evaluate_task, unannotated_adapt_image_ids
from backend.services.models import next_version_name
from backend.services.projects import classes_of
from backend.services.uploads import check_image
from backend.settings import get_settings

COCO_NAMES = ("AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10", "AR100")


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise Invalid(f"{where}: expected a finite number, got {value!r}")
    return float(value)


def _numbers(values: dict[str, Any]) -> dict[str, float]:
    """The finite numbers of a metrics dict; None (a NaN cleaned by the worker), -1 (COCO's "no
    ground truth in this area range") and other fields are left out."""
    return {
        str(k): float(v)
        for k, v in values.items()
        if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) and v >= 0
    }


def _without_nan(value: Any) -> Any:
    """NaN and infinities become None: JSON columns (PostgreSQL's especially) refuse them."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _without_nan(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_nan(v) for v in value]
    return value


def _json_safe(value: Any) -> bool:
    return not isinstance(value, float) or math.isfinite(value)


def _class_ids(session: Session, job: Job) -> list[int]:
    return [c.id for c in classes_of(session, job.project_id)]


def _class_id(class_ids: list[int], index: Any, where: str) -> int:
    if not isinstance(index, int) or not 0 <= index < len(class_ids):
        raise Invalid(f"{where}: class_index {index!r} is not in 0..{len(class_ids) - 1}")
    return class_ids[index]


def _box(box: Any, where: str) -> list[float]:
    if not isinstance(box, list | tuple) or len(box) != 4:
        raise Invalid(f"{where}: box must be [x, y, w, h]")
    return [_number(v, where) for v in box]


def apply_result(
    session: Session, store: BlobStore, task: Task, job: Job, result: dict[str, Any]
) -> dict[str, Any]:
    """Store the result; returns the summary kept on the task row."""
    result = _without_nan(result)
    handler = {"adapt": _adapt, "detect": _detect, "evaluate": _evaluate, "generate": _generate}
    try:
        summary = handler[task.kind](session, store, task, job, result)
    except (TypeError, KeyError, ValueError, AttributeError, IndexError) as error:
        raise Invalid(f"malformed {task.kind} result: {error!r}") from None
    if "seconds" in result:
        summary["seconds"] = _number(result["seconds"], "seconds")
    return summary


def _adapt(
    session: Session, store: BlobStore, task: Task, job: Job, result: dict[str, Any]
) -> dict:
    sha = result.get("weights_sha256")
    if not isinstance(sha, str) or not store.exists(sha):
        raise Invalid(
            f"weights {sha!r} are not in the blob store: PUT /api/worker/blobs/{{sha}} first"
        )
    base = session.get(Model, task.inputs["model_id"])
    classes = classes_of(session, job.project_id)
    card = result.get("card") if isinstance(result.get("card"), dict) else {}
    curve = [
        [int(p[0]), float(p[1])]
        for p in result.get("loss_curve") or []
        if isinstance(p[1], int | float) and math.isfinite(p[1])
    ]
    metrics = {
        k: result[k]
        for k in ("steps_run", "best_step", "stopped_early", "final_loss")
        if k in result and _json_safe(result[k])
    }
    model = Model(
        project_id=job.project_id,
        name=next_version_name(session, job.project_id),
        architecture=str(card.get("architecture") or (base.architecture if base else "unknown")),
        task_type=base.task_type if base else "detection",
        classes=[c.name for c in classes],
        class_ids=[c.id for c in classes],
        parent_id=base.id if base else None,
        algorithm=str(card.get("algorithm") or "adapt"),
        routine=job.params.get("routine") or {},
        training_set=task.inputs.get("training_set", {}),
        weights_sha256=sha,
        card=card,
        metrics={**metrics, "checkpoints": result.get("checkpoints") or []},
        source_job_id=job.id,
    )
    session.add(model)
    session.flush()
    job.result_model_id = model.id
    for checkpoint in result.get("checkpoints") or []:
        step = int(checkpoint.get("step", 0))
        for name, value in _numbers(checkpoint.get("metrics") or {}).items():
            session.add(
                Metric(
                    project_id=job.project_id,
                    job_id=job.id,
                    model_id=model.id,
                    name=name[:32],
                    value=value,
                    step=step,
                )
            )
    task.loss_points = curve or task.loss_points
    job.result = {**job.result, "model_id": model.id}
    if job.kind == "iterate":
        _continue_iterate(session, job, model)
    return {**metrics, "model_id": model.id}


def _continue_iterate(session: Session, job: Job, model: Model) -> None:
    image_ids = job.params.get("image_ids") or unannotated_adapt_image_ids(session, job.project_id)
    if image_ids:
        add_detect_tasks(session, job, model, list(image_ids))
    add_evaluate_task(session, job, model)


def _detect(
    session: Session, store: BlobStore, task: Task, job: Job, result: dict[str, Any]
) -> dict:
    class_ids = _class_ids(session, job)
    # images deleted since the task started are skipped; anything else unknown is an error
    existing = set(session.scalars(select(Image.id).where(Image.project_id == job.project_id)))
    allowed = set(task.inputs.get("image_ids", []))
    model_id = task.inputs.get("model_id")
    count = 0
    for entry in result.get("predictions") or []:
        image_id = entry.get("image_id")
        if image_id not in allowed:
            raise Invalid(f"predictions for image {image_id!r}, which is not in task {task.id}")
        if image_id not in existing:
            continue
        detections = entry.get("detections") or []
        for index, det in enumerate(detections):
            where = f"image {image_id} detection {index}"
            x, y, w, h = _box(det.get("box"), where)
            session.add(
                Prediction(
                    job_id=job.id,
                    task_id=task.id,
                    model_id=model_id,
                    image_id=image_id,
                    class_id=_class_id(class_ids, det.get("class_index"), where),
                    x=x,
                    y=y,
                    w=w,
                    h=h,
                    score=_number(det.get("score"), where),
                    uncertainty=_number(det.get("uncertainty", 0.0), where),
                )
            )
        session.add(
            ImageUncertainty(
                job_id=job.id,
                image_id=image_id,
                model_id=model_id,
                uncertainty=_number(entry.get("uncertainty", 0.0), f"image {image_id} uncertainty"),
                num_detections=len(detections),
            )
        )
        count += len(detections)
    job.result = {**job.result, "predictions": job.result.get("predictions", 0) + count}
    return {"predictions": count, "images": len(result.get("predictions") or [])}


def _evaluate(
    session: Session, store: BlobStore, task: Task, job: Job, result: dict[str, Any]
) -> dict:
    class_ids = _class_ids(session, job)
    model_id = task.inputs.get("model_id")
    base = {"project_id": job.project_id, "job_id": job.id, "model_id": model_id}
    overall = _numbers(result.get("metrics") or {})
    for name, value in overall.items():
        session.add(Metric(**base, name=name[:32], value=value))
    for row in result.get("per_class") or []:
        class_id = _class_id(class_ids, row.get("class_index"), "per_class")
        for name, value in _numbers(row).items():
            if name != "class_index":
                session.add(Metric(**base, class_id=class_id, name=name[:32], value=value))
    for curve in result.get("pr_curves") or []:
        session.add(
            PrCurve(
                **base,
                class_id=_class_id(class_ids, curve.get("class_index"), "pr_curves"),
                iou=_number(curve.get("iou", 0.5), "pr_curves.iou"),
                recall=[float(v) for v in curve.get("recall") or [] if isinstance(v, int | float)],
                precision=[
                    float(v) for v in curve.get("precision") or [] if isinstance(v, int | float)
                ],
            )
        )
    model = session.get(Model, model_id) if model_id else None
    if model is not None and model.project_id == job.project_id:
        model.metrics = {**model.metrics, "holdout": overall, "holdout_job_id": job.id}
    job.result = {
        **job.result,
        "metrics": overall,
        "model_id": job.result.get("model_id", model_id),
    }
    return {"metrics": overall, "num_images": result.get("num_images")}


def _generate(
    session: Session, store: BlobStore, task: Task, job: Job, result: dict[str, Any]
) -> dict:
    settings = get_settings()
    class_ids = _class_ids(session, job)
    entries = result.get("images") or []
    annotated = 0
    for index, entry in enumerate(entries):
        sha = entry.get("sha256")
        if not isinstance(sha, str) or not store.exists(sha):
            raise Invalid(f"images[{index}]: blob {sha!r} is not in the blob store")
        pool = entry.get("pool") if entry.get("pool") in ("adapt", "holdout") else "adapt"
        checked = check_image(
            str(entry.get("file_name") or f"image-{index}.png"),
            store.read_bytes(sha),
            settings.max_upload_bytes,
            settings.max_image_pixels,
            settings.thumbnail_size,
        )
        image = image_service.add_checked(session, store, job.project_id, checked, pool, None)
        annotated += bool(entry.get("annotations"))
        for a_index, annotation in enumerate(entry.get("annotations") or []):
            where = f"images[{index}].annotations[{a_index}]"
            x, y, w, h = _box(annotation.get("box"), where)
            session.add(
                Annotation(
                    image_id=image.id,
                    x=x,
                    y=y,
                    w=w,
                    h=h,
                    source="human",
                    class_id=_class_id(class_ids, annotation.get("class_index"), where),
                )
            )
    job.result = {**job.result, "images": len(entries), "annotated": annotated}
    return {"images": len(entries), "annotated": annotated}
