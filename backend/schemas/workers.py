from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from backend.schemas.common import Count, Id, OrmModel

ADMIN_ONLY = "admins only (null for other users)"


class WorkerOut(OrmModel):
    id: int
    name: str
    host: str | None = Field(description=f"the worker's host name; {ADMIN_ONLY}")
    address: str | None = Field(description=f"the worker's IP address; {ADMIN_ONLY}")
    device: str
    queues: list[Any] | None = Field(description=f"the queues it consumes; {ADMIN_ONLY}")
    version: str | None = Field(description=f"its software version; {ADMIN_ONLY}")
    state: str
    busy_task_id: int | None
    busy_task_kind: str | None = Field(default=None, description="the kind of its current task")
    busy_job_id: int | None = Field(
        default=None, description="its current task's job; members of the job's project only"
    )
    busy_job_kind: str | None = Field(default=None, description="that job's kind")
    busy_project_id: int | None = Field(default=None, description="that job's project")
    last_seen: datetime
    online: bool = False


# --- the worker API (docs/contracts.md §2) ---


class WorkerRegister(BaseModel):
    name: str = Field(min_length=1, max_length=128)
    host: str = ""
    address: str = ""
    device: str = ""
    queues: list[str] = []
    version: str = ""


class WorkerRegistered(BaseModel):
    id: int


class Heartbeat(BaseModel):
    device: str | None = None
    busy_task_id: Id | None = None


class TaskStart(BaseModel):
    worker: str = Field(min_length=1, max_length=128)


class LossPoint(BaseModel):
    step: Count
    loss: float


class ProgressReport(BaseModel):
    attempt_token: str
    progress: float = Field(ge=0, le=1)
    stage: str | None = None
    message: str | None = None
    points: list[LossPoint] | None = None


class ProgressAnswer(BaseModel):
    cancelled: bool
    lease_expires_at: datetime | None


class ResultReport(BaseModel):
    attempt_token: str
    result: dict[str, Any] = Field(
        description="the task kind's result: AdaptResult, DetectResult, EvaluateResult or "
        "GenerateResult (contracts.results), validated once the task's kind is known"
    )


class FailReport(BaseModel):
    attempt_token: str
    reason: str
    retry: bool = False


class FailAnswer(BaseModel):
    state: str


class BlobStored(BaseModel):
    sha256: str
    size: int


class WorkerCredentialCreate(BaseModel):
    name: str = Field(
        min_length=1,
        max_length=128,
        pattern=r"^[A-Za-z0-9_.@:-]+$",
        description="the worker's name (`python -m worker --name …`); its token acts only as it",
    )


class WorkerCredentialOut(OrmModel):
    id: int
    name: str
    prefix: str = Field(description="the token's first characters, to tell tokens apart")
    created_by_id: int | None
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class WorkerCredentialCreated(WorkerCredentialOut):
    token: str = Field(description="the worker's token (WORKER_TOKEN); shown only in this answer")
