from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, utcnow

JOB_KINDS = ("adapt", "detect", "evaluate", "iterate", "generate", "import", "export_onnx")
TASK_KINDS = ("adapt", "detect", "evaluate", "generate", "export_onnx")
STATES = ("queued", "running", "succeeded", "failed", "cancelled")
FINISHED_STATES = ("succeeded", "failed", "cancelled")


class Job(Base):
    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    model_id: Mapped[int | None] = mapped_column(ForeignKey("models.id", ondelete="SET NULL"))
    result_model_id: Mapped[int | None] = mapped_column(
        ForeignKey("models.id", ondelete="SET NULL")
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    progress: Mapped[float] = mapped_column(default=0.0)
    stage: Mapped[str] = mapped_column(String(64), default="")
    error: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)
    timings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    # jobs the API runs itself (imports): when its thread last reported; a stale one was cut off
    heartbeat_at: Mapped[datetime | None]


class Task(Base):
    """A job's unit of work for one worker; every start opens a new attempt with its own token."""

    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    # interactive | batch: which Celery queue carries it (docs/architecture.md, fairness)
    lane: Mapped[str] = mapped_column(
        String(16), default="interactive", server_default="interactive"
    )
    inputs: Mapped[dict[str, Any]] = mapped_column(default=dict)  # e.g. model_id, image_ids
    attempt: Mapped[int] = mapped_column(default=0)
    attempt_token: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[datetime | None] = mapped_column(index=True)
    worker_name: Mapped[str | None] = mapped_column(String(128))
    progress: Mapped[float] = mapped_column(default=0.0)
    stage: Mapped[str] = mapped_column(String(64), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str | None] = mapped_column(Text)
    result_summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    loss_points: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    enqueued_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]  # first start
    attempt_started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class Worker(Base):
    __tablename__ = "workers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    host: Mapped[str] = mapped_column(String(255), default="")
    address: Mapped[str] = mapped_column(String(255), default="")
    device: Mapped[str] = mapped_column(String(255), default="")
    queues: Mapped[list[Any]] = mapped_column(default=list)
    version: Mapped[str] = mapped_column(String(64), default="")
    state: Mapped[str] = mapped_column(String(16), default="online")  # online | busy | offline
    busy_task_id: Mapped[int | None]
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# The jobs list: newest first within a project, optionally of one state or kind (the first
# replaces the index of project_id alone).
Index("ix_jobs_project_id_id", Job.project_id, Job.id)
Index("ix_jobs_project_id_state_id", Job.project_id, Job.state, Job.id)
Index("ix_jobs_project_id_kind_id", Job.project_id, Job.kind, Job.id)
