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
    EvaluationImage,
    Image,
    ImageUncertainty,
    Job,
    LabelClass,
    Metric,
    Model,
    PrCurve,
    Prediction,
    Task,
)
from backend.services import images as image_service
from backend.services import webhooks
from backend.services.blobs import BlobStore
from backend.services.errors import Invalid
from backend.services.jobs import (
    add_detect_tasks,
    add_evaluate_task,
    evaluable_image_ids,
    unannotated_adapt_image_ids,
)
from backend.services.models import next_version_name, promote_if_not_worse
from backend.services.projects import classes_of
from backend.services.uploads import check_image
from backend.settings import get_settings
from contracts.results import (
    RESULTS,
    AdaptResult,
    DetectResult,
    EvaluateResult,
    ExportOnnxResult,
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


def _not_applicable(values: dict[str, float | None]) -> dict[str, float | None]:
    """Every metric, with None where it does not apply (COCO's -1: no ground truth in that
    area range) — what the API reports as null and the web client as "—"."""
    return {k: (v if v is not None and v >= 0 else None) for k, v in values.items()}


def _spec_class_ids(session: Session, task: Task, job: Job) -> list[int | None]:
    """The class ids of the spec the task ran with, index for index (None: deleted since), so a
    class deleted while the task ran shifts no label. Tasks started by an older version have no
    such list and use the project's classes now."""
    ids = task.inputs.get("class_ids")
    if ids is None:
        return [c.id for c in classes_of(session, job.project_id)]
    alive = set(session.scalars(select(LabelClass.id).where(LabelClass.id.in_(ids))))
    return [i if i in alive else None for i in ids]


def apply_result(
    session: Session, store: BlobStore, task: Task, job: Job, result: dict[str, Any]
) -> dict[str, Any]:
    """Store the result; returns the summary kept on the task row."""
    class_ids = _spec_class_ids(session, task, job)
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
    elif isinstance(parsed, ExportOnnxResult):
        summary = _export_onnx(store, job, parsed)
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
        "diverged": result.diverged,
    }
    if result.stop_reason:
        metrics["stop_reason"] = result.stop_reason
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
    webhooks.model_created(session, model)  # an outbox row, in this transaction
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
    job.result = {**job.result, "model_id": model.id, "diverged": result.diverged}
    if result.stop_reason:
        job.result["stop_reason"] = result.stop_reason
    if not evaluable_image_ids(session, job.project_id):
        # nothing to judge it by: it becomes current unless it diverged
        job.result["promoted"] = promote_if_not_worse(session, job.project_id, model, None)
    if job.kind == "iterate":
        _continue_iterate(session, job, model)
    return {**metrics, "model_id": model.id}


def _continue_iterate(session: Session, job: Job, model: Model) -> None:
    image_ids = job.params.get("image_ids") or unannotated_adapt_image_ids(session, job.project_id)
    if image_ids:
        add_detect_tasks(session, job, model, list(image_ids))
    add_evaluate_task(session, job, model)


def _detect(
    session: Session, task: Task, job: Job, result: DetectResult, class_ids: list[int | None]
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
        detections = [d for d in entry.detections if class_ids[d.class_index] is not None]
        for det in detections:
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
                uncertainty=max((d.uncertainty for d in detections), default=0.0),
                num_detections=len(detections),
            )
        )
        count += len(detections)
    job.result = {**job.result, "predictions": job.result.get("predictions", 0) + count}
    return {"predictions": count, "images": len(result.predictions)}


def _evaluate(
    session: Session, task: Task, job: Job, result: EvaluateResult, class_ids: list[int | None]
) -> dict:
    model_id = task.inputs.get("model_id")
    base = {"project_id": job.project_id, "job_id": job.id, "model_id": model_id}
    reported = _not_applicable(result.metrics)
    overall = _numbers(result.metrics)
    for name, value in overall.items():
        session.add(Metric(**base, name=name[:32], value=value))
    for row in result.per_class:
        class_id = class_ids[row.class_index]
        if class_id is None:
            continue
        for name, value in _numbers({"AP": row.AP, "AP50": row.AP50}).items():
            session.add(Metric(**base, class_id=class_id, name=name, value=value))
    for curve in result.pr_curves:
        if class_ids[curve.class_index] is None:
            continue
        session.add(
            PrCurve(
                **base,
                class_id=class_ids[curve.class_index],
                iou=curve.iou,
                recall=[v for v in curve.recall if v is not None],
                precision=[v for v in curve.precision if v is not None],
            )
        )
    _store_matches(session, task, job, result, class_ids)
    model = session.get(Model, model_id) if model_id else None
    promoted = False
    if model is not None and model.project_id == job.project_id:
        model.metrics = {**model.metrics, "holdout": reported, "holdout_job_id": job.id}
        promoted = promote_if_not_worse(session, job.project_id, model, overall.get("AP50"))
    # COCO's max detections per image behind AP and AR100 (100 in COCO; more for dense scenes)
    job.result = {
        **job.result,
        "metrics": reported,
        "max_detections": result.max_detections,
        "model_id": job.result.get("model_id", model_id),
        "promoted": promoted,
    }
    return {
        "metrics": reported,
        "num_images": result.num_images,
        "max_detections": result.max_detections,
    }


def _store_matches(
    session: Session, task: Task, job: Job, result: EvaluateResult, class_ids: list[int | None]
) -> None:
    """The holdout predictions, each marked tp or fp, and per image the ground truth missed:
    kept apart from the review queue (stage "evaluate")."""
    allowed = set(task.inputs.get("image_ids", []))
    existing = set(session.scalars(select(Image.id).where(Image.id.in_(allowed))))
    truth = _truth_boxes(session, task)
    model_id = task.inputs.get("model_id")
    for entry in result.images:
        if entry.image_id not in allowed:
            raise Invalid(f"evaluation of image {entry.image_id!r}, which is not in task {task.id}")
        if entry.image_id not in existing:
            continue
        kept = [d for d in entry.detections if class_ids[d.class_index] is not None]
        for det in kept:
            x, y, w, h = det.box
            session.add(
                Prediction(
                    job_id=job.id,
                    task_id=task.id,
                    model_id=model_id,
                    image_id=entry.image_id,
                    class_id=class_ids[det.class_index],
                    x=x,
                    y=y,
                    w=w,
                    h=h,
                    score=det.score,
                    uncertainty=0.0,
                    stage="evaluate",
                    match=det.match,
                )
            )
        boxes = truth.get(entry.image_id, [])
        missed = [boxes[i] for i in entry.missed if 0 <= i < len(boxes)]
        session.add(
            EvaluationImage(
                job_id=job.id,
                image_id=entry.image_id,
                model_id=model_id,
                tp=sum(d.match == "tp" for d in kept),
                fp=sum(d.match == "fp" for d in kept),
                fn=len(missed),
                missed=missed,
            )
        )


def _truth_boxes(session: Session, task: Task) -> dict[int, list[dict[str, Any]]]:
    """The ground truth each evaluated image had when the task's spec was built, in the spec's
    order (the worker's ``missed`` indices point into it)."""
    stored = task.inputs.get("truth")
    if stored is not None:
        return {int(k): v for k, v in stored.items()}
    rows = session.scalars(
        select(Annotation)
        .where(Annotation.image_id.in_(task.inputs.get("image_ids", [])))
        .order_by(Annotation.id)
    )
    truth: dict[int, list[dict[str, Any]]] = {}
    for a in rows:
        truth.setdefault(a.image_id, []).append({"class_id": a.class_id, "box": a.box})
    return truth


def _generate(
    session: Session,
    store: BlobStore,
    job: Job,
    result: GenerateResult,
    class_ids: list[int | None],
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
        if entry.annotations:  # drawn with every object's box: complete
            image.state = "complete"
        annotated += bool(entry.annotations)
        for annotation in entry.annotations:
            if class_ids[annotation.class_index] is None:
                continue
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


def _export_onnx(store: BlobStore, job: Job, result: ExportOnnxResult) -> dict:
    """The ONNX file must be in the blob store with the size the worker says; the job's result
    names it (backend/services/onnx_exports.py reads it back for the download)."""
    sha = result.onnx_sha256
    if not store.exists(sha):
        raise Invalid(
            f"ONNX file {sha!r} is not in the blob store: PUT /api/worker/blobs/{{sha}} first"
        )
    stored = store.path(sha).stat().st_size
    if stored != result.size:
        raise Invalid(f"size {result.size} does not match the stored ONNX file's {stored} bytes")
    job.result = {
        **job.result,
        "model_id": job.model_id,
        "onnx_sha256": sha,
        "size": result.size,
        "onnx": result.onnx,
    }
    return {"onnx_sha256": sha, "size": result.size}
