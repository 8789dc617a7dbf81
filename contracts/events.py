"""Server-sent events (docs/contracts.md §5): ``GET /api/events`` sends each as
``event: <type>`` with ``data: <the event as JSON>``; the server publishes them on the Redis
channel ``EVENTS_CHANNEL`` after the change is committed."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field
from typing_extensions import TypeAliasType

LossPoints = list[tuple[int, float]]


class _Out(BaseModel):
    # fields with a default are always sent: the generated TypeScript types mark them required
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)


class JobEventData(_Out):
    kind: str = Field(
        description="adapt, detect, evaluate, iterate, generate, import or export_onnx"
    )
    error: str | None = None


class JobEvent(_Out):
    """A job changed state, progress or stage."""

    type: Literal["job"] = "job"
    id: int = Field(description="the job's id")
    project_id: int
    state: str
    progress: float
    stage: str
    data: JobEventData


class TaskEventData(_Out):
    job_id: int
    kind: str
    attempt: int
    worker: str | None = Field(default=None, description="the worker running the attempt")
    error: str | None = None
    points: LossPoints | None = Field(
        default=None, description="loss points reported with this progress: [[step, loss], …]"
    )


class TaskEvent(_Out):
    """A task changed state or reported progress."""

    type: Literal["task"] = "task"
    id: int = Field(description="the task's id")
    project_id: int
    state: str
    progress: float
    stage: str
    data: TaskEventData


class WorkerEventData(_Out):
    name: str
    host: str
    device: str
    busy_task_id: int | None = None


class WorkerEvent(_Out):
    """A worker registered, went online or offline, or took a task."""

    type: Literal["worker"] = "worker"
    id: int = Field(description="the worker's id")
    state: str
    data: WorkerEventData


# a named alias: one schema in the OpenAPI document (and one generated TS type)
ServerEvent = TypeAliasType(
    "ServerEvent", Annotated[JobEvent | TaskEvent | WorkerEvent, Field(discriminator="type")]
)
