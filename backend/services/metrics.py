"""Metrics of a project: COCO numbers overall and per class, PR curves, AP against adapt steps."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.db import Job, Metric, PrCurve, Task
from backend.services.projects import classes_of


def _class_names(session: Session, project_id: int) -> dict[int, str]:
    return {c.id: c.name for c in classes_of(session, project_id)}


def metrics(
    session: Session, project_id: int, model_id: int | None, job_id: int | None, checkpoints: bool
) -> dict[str, Any]:
    names = _class_names(session, project_id)
    query = select(Metric).where(Metric.project_id == project_id)
    curves = select(PrCurve).where(PrCurve.project_id == project_id)
    if model_id is not None:
        query, curves = (
            query.where(Metric.model_id == model_id),
            curves.where(PrCurve.model_id == model_id),
        )
    if job_id is not None:
        query, curves = query.where(Metric.job_id == job_id), curves.where(PrCurve.job_id == job_id)
    if not checkpoints:
        query = query.where(Metric.step.is_(None))
    rows = session.scalars(query.order_by(Metric.id))
    return {
        "metrics": [
            {
                "id": m.id,
                "job_id": m.job_id,
                "model_id": m.model_id,
                "class_id": m.class_id,
                "class_name": names.get(m.class_id) if m.class_id else None,
                "name": m.name,
                "value": m.value,
                "step": m.step,
            }
            for m in rows
        ],
        "pr_curves": [
            {
                "id": c.id,
                "job_id": c.job_id,
                "model_id": c.model_id,
                "class_id": c.class_id,
                "class_name": names.get(c.class_id) if c.class_id else None,
                "iou": c.iou,
                "recall": c.recall,
                "precision": c.precision,
            }
            for c in session.scalars(curves.order_by(PrCurve.id))
        ],
    }


def adaptation_curve(
    session: Session, project_id: int, model_id: int, job_id: int | None
) -> dict[str, Any]:
    """Checkpoint metrics of the adapt run that produced a model, and its loss curve."""
    rows = session.scalars(
        select(Metric)
        .where(
            Metric.project_id == project_id,
            Metric.model_id == model_id,
            Metric.step.is_not(None),
            Metric.class_id.is_(None),
        )
        .order_by(Metric.step, Metric.id)
    )
    by_step: dict[int, dict[str, float]] = {}
    for metric in rows:
        by_step.setdefault(int(metric.step or 0), {})[metric.name] = metric.value
    loss: list[Any] = []
    if job_id is not None and session.get(Job, job_id) is not None:
        adapt = session.scalar(select(Task).where(Task.job_id == job_id, Task.kind == "adapt"))
        loss = adapt.loss_points if adapt else []
    return {
        "model_id": model_id,
        "job_id": job_id,
        "checkpoints": [{"step": s, "metrics": m} for s, m in sorted(by_step.items())],
        "loss_curve": loss,
    }
