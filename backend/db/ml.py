from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, utcnow


class Model(Base):
    """A model version: a shipped base model (`project_id` NULL) or one adapted in a project."""

    __tablename__ = "models"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200), index=True)
    architecture: Mapped[str] = mapped_column(String(64))
    task_type: Mapped[str] = mapped_column(String(16), default="detection")
    classes: Mapped[list[Any]] = mapped_column(default=list)  # class names, in head order
    class_ids: Mapped[list[Any] | None]  # LabelClass ids for project models
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("models.id", ondelete="SET NULL"))
    algorithm: Mapped[str] = mapped_column(String(32), default="standard")
    routine: Mapped[dict[str, Any]] = mapped_column(default=dict)
    training_set: Mapped[dict[str, Any]] = mapped_column(default=dict)
    weights_sha256: Mapped[str] = mapped_column(String(64))
    card: Mapped[dict[str, Any]] = mapped_column(default=dict)
    metrics: Mapped[dict[str, Any]] = mapped_column(default=dict)
    source_job_id: Mapped[int | None]  # the job that produced it (no FK: jobs point at models)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Metric(Base):
    """One number: overall (`class_id` NULL) or per class, final (`step` NULL) or at a
    checkpoint."""

    __tablename__ = "metrics"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    job_id: Mapped[int | None] = mapped_column(
        ForeignKey("jobs.id", ondelete="CASCADE"), index=True
    )
    model_id: Mapped[int | None] = mapped_column(
        ForeignKey("models.id", ondelete="CASCADE"), index=True
    )
    class_id: Mapped[int | None] = mapped_column(ForeignKey("label_classes.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(32))
    value: Mapped[float]
    step: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PrCurve(Base):
    """A precision-recall curve of one class at one IoU threshold, from an evaluate task."""

    __tablename__ = "pr_curves"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    job_id: Mapped[int | None] = mapped_column(
        ForeignKey("jobs.id", ondelete="CASCADE"), index=True
    )
    model_id: Mapped[int | None] = mapped_column(ForeignKey("models.id", ondelete="CASCADE"))
    class_id: Mapped[int | None] = mapped_column(ForeignKey("label_classes.id", ondelete="CASCADE"))
    iou: Mapped[float]
    recall: Mapped[list[Any]] = mapped_column(default=list)
    precision: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
