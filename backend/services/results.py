"""Writing a task's result (docs/contracts.md §2, Results) — called inside the one transaction
that also marks the task succeeded, so a result is stored completely or not at all.

The result is first validated with its kind's model in ``contracts.results`` (numbers finite,
boxes of four, class indices within the spec's classes, NaN metrics as None); what is left to
check here needs the database or the blob store."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
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
from contracts.results import (
    RESULTS,
    AdaptResult,
    DetectResult,
    EvaluateResult,
    GenerateResult,
)


def _numbers(values: dict[str, float | None]) -> dict[str, float]:
    """The metrics that have a value; None (no value) and -1 (COCO's "no ground truth in this
    area range") are left out."""
    return {k: v for k, v in values.items() if v is not None and v >= 0}


def _problems(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(map(str, e['loc'])) or 'result'}: {e['msg'].removeprefix('Value error, ')}"
        for e in error.errors()[:5]
    )


def apply_result(
    session: Session, store: BlobStore, task: Task, job: Job, result: dict[str, Any]
) -> dict[str, Any]:
    """Store the result; returns the summary kept on the task row."""
    class_ids = [c.id for c in classes_of(session, job.project_id)]
    try:
        parsed = RESULTS[task.kind].model_validate(result, context={"num_classes": len(class_ids)})
    except ValidationError as error:
        raise Invalid(f"malformed {task.kind} result: {_problems(error)}") from None
    if isinstance(parsed, AdaptResult):
        summary = _adapt(session, store, task, job, parsed)
    elif isinstance(parsed, DetectResult):
        summary = _detect(session, task, job, parsed, class_ids)
    elif isinstance(parsed, EvaluateResult):
        summary = _evaluate(session, task, job, parsed, class_ids)
    else:
        summary = _generate(session, store, job, parsed, class_ids)
    if parsed.seconds is not None:
        summary["seconds"] = parsed.seconds
    return summary


def _adapt(session: Session, store: BlobStore, task: Task, job: Job, result: AdaptResult) -> dict:
    sha = result.weights_sha256
    if not store.exists(sha):
        raise Invalid(
            f"weights {sha!r} are not in the blob store: PUT /api/worker/blobs/{{sha}} first"
        )
    base = session.get(Model, task.inputs["model_id"])
    classes = classes_of(session, job.project_id)
    card = result.card
    curve = [[step, loss] for step, loss in result.loss_curve if loss is not None]
    metrics: dict[str, Any] = {
        "steps_run": result.steps_run,
        "best_step": result.best_step,
        "stopped_early": result.stopped_early,
    }
    if result.final_loss is not None:
        metrics["final_loss"] = result.final_loss
    checkpoints = [c.model_dump() for c in result.checkpoints]
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
        metrics={**metrics, "checkpoints": checkpoints},
        source_job_id=job.id,
    )
    session.add(model)
    session.flush()
    job.result_model_id = model.id
    for checkpoint in result.checkpoints:
        for name, value in _numbers(checkpoint.metrics).items():
            session.add(
                Metric(
                    project_id=job.project_id,
                    job_id=job.id,
                    model_id=model.id,
                    name=name[:32],
                    value=value,
                    step=checkpoint.step,
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
    session: Session, task: Task, job: Job, result: DetectResult, class_ids: list[int]
) -> dict:
    # images deleted since the task started are skipped; anything else unknown is an error
    existing = set(session.scalars(select(Image.id).where(Image.project_id == job.project_id)))
    allowed = set(task.inputs.get("image_ids", []))
    model_id = task.inputs.get("model_id")
    count = 0
    for entry in result.predictions:
        image_id = entry.image_id
        if image_id not in allowed:
            raise Invalid(f"predictions for image {image_id!r}, which is not in task {task.id}")
        if image_id not in existing:
            continue
        for det in entry.detections:
            x, y, w, h = det.box
            session.add(
                Prediction(
                    job_id=job.id,
                    task_id=task.id,
                    model_id=model_id,
                    image_id=image_id,
                    class_id=class_ids[det.class_index],
                    x=x,
                    y=y,
                    w=w,
                    h=h,
                    score=det.score,
                    uncertainty=det.uncertainty,
                )
            )
        session.add(
            ImageUncertainty(
                job_id=job.id,
                image_id=image_id,
                model_id=model_id,
                uncertainty=entry.uncertainty,
                num_detections=len(entry.detections),
            )
        )
        count += len(entry.detections)
    job.result = {**job.result, "predictions": job.result.get("predictions", 0) + count}
    return {"predictions": count, "images": len(result.predictions)}


def _evaluate(
    session: Session, task: Task, job: Job, result: EvaluateResult, class_ids: list[int]
) -> dict:
    model_id = task.inputs.get("model_id")
    base = {"project_id": job.project_id, "job_id": job.id, "model_id": model_id}
    overall = _numbers(result.metrics)
    for name, value in overall.items():
        session.add(Metric(**base, name=name[:32], value=value))
    for row in result.per_class:
        class_id = class_ids[row.class_index]
        for name, value in _numbers({"AP": row.AP, "AP50": row.AP50}).items():
            session.add(Metric(**base, class_id=class_id, name=name, value=value))
    for curve in result.pr_curves:
        session.add(
            PrCurve(
                **base,
                class_id=class_ids[curve.class_index],
                iou=curve.iou,
                recall=[v for v in curve.recall if v is not None],
                precision=[v for v in curve.precision if v is not None],
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
    return {"metrics": overall, "num_images": result.num_images}


def _generate(
    session: Session, store: BlobStore, job: Job, result: GenerateResult, class_ids: list[int]
) -> dict:
    settings = get_settings()
    annotated = 0
    for index, entry in enumerate(result.images):
        if not store.exists(entry.sha256):
            raise Invalid(f"images[{index}]: blob {entry.sha256!r} is not in the blob store")
        checked = check_image(
            entry.file_name or f"image-{index}.png",
            store.read_bytes(entry.sha256),
            settings.max_upload_bytes,
            settings.max_image_pixels,
            settings.thumbnail_size,
        )
        image = image_service.add_checked(session, store, job.project_id, checked, entry.pool, None)
        annotated += bool(entry.annotations)
        for annotation in entry.annotations:
            x, y, w, h = annotation.box
            session.add(
                Annotation(
                    image_id=image.id,
                    x=x,
                    y=y,
                    w=w,
                    h=h,
                    source="human",
                    class_id=class_ids[annotation.class_index],
                )
            )
    job.result = {**job.result, "images": len(result.images), "annotated": annotated}
    return {"images": len(result.images), "annotated": annotated}
