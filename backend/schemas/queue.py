from __future__ import annotations

from datetime import datetime

from pydantic import Field

from backend.schemas.common import OrmModel


class JobQueueOut(OrmModel):
    """Where a queued job stands in its lane's queue (all fields but job_id and queued are null
    or 0 once it is no longer queued)."""

    job_id: int
    queued: bool = Field(description="whether the job is still waiting for a worker")
    lane: str | None = Field(description="interactive or batch: the queue its next task is in")
    position: int | None = Field(description="1 = the next task a free worker takes")
    tasks_ahead: int = Field(description="queued tasks a worker takes before this job's")
    workers_online: int
    workers_free: int = Field(description="online workers not running a task")
    estimated_wait_seconds: float | None = Field(
        description="seconds until it is expected to start; null with no worker online"
    )
    estimated_start_at: datetime | None
    rule: str = Field(description="how the estimate is made")
