from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from backend.schemas.common import Id, IdList, OrmModel
from contracts.routine import RoutineOverrides
from contracts.tasks import DetectParams


class JobParams(DetectParams):
    """A job's parameters; score_threshold and max_detections are its detect tasks' (detect and
    iterate)."""

    model_config = ConfigDict(extra="forbid")

    model_id: Id | None = Field(
        default=None,
        description="adapt/iterate: the base model (default: the default base model); "
        "detect/evaluate: the model to run (default: the project's current model)",
    )
    routine: RoutineOverrides | None = None  # type: ignore[valid-type]
    image_ids: IdList | None = Field(
        default=None,
        description="detect/iterate: images to run on (default: the adapt pool's images that "
        "are not complete)",
    )


class JobCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["adapt", "detect", "evaluate", "iterate"]
    params: JobParams = Field(default_factory=JobParams)


class TaskOut(OrmModel):
    id: int
    job_id: int
    kind: str
    state: str
    attempt: int
    worker_name: str | None
    progress: float
    stage: str
    message: str
    error: str | None
    result_summary: dict[str, Any]
    loss_points: list[Any]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    lease_expires_at: datetime | None


class JobOut(OrmModel):
    id: int
    project_id: int
    kind: str
    state: str
    params: dict[str, Any]
    model_id: int | None
    result_model_id: int | None
    created_by_id: int | None
    progress: float
    stage: str
    error: str | None
    result: dict[str, Any]
    timings: dict[str, Any]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class JobDetail(JobOut):
    tasks: list[TaskOut]


class EvaluatedBox(BaseModel):
    class_id: int
    box: list[float] = Field(description="[x, y, w, h] in pixels")
    score: float
    match: Literal["tp", "fp"] | None = Field(
        description="tp: it matched a ground-truth box of its class at IoU >= 0.5; fp: it did not"
    )


class MissedBox(BaseModel):
    class_id: int
    box: list[float] = Field(description="[x, y, w, h] in pixels")


class ImageEvaluationOut(BaseModel):
    """One holdout image of an evaluation: its detections marked tp/fp and the ground truth no
    detection matched (false negatives)."""

    image_id: int
    file_name: str
    width: int
    height: int
    tp: int
    fp: int
    fn: int
    detections: list[EvaluatedBox]
    missed: list[MissedBox]
