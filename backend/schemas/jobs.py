from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from backend.schemas.common import OrmModel

# the engine's choices (worker/engine/routine.py OPTIMIZERS, TRAIN_LAYERS; a test keeps them equal).
# metasgd steps each weight by the rate the model learned for it.
Optimizer = Literal["adam", "sgd", "metasgd"]
# what each train_layers setting adapts, widest first: each adapts what the ones after it do
TrainLayers = Literal["all", "head", "classifier"]
# the class layer before the first step: the model's rows, or moved towards the support set's
# class prototypes (worker/engine/routine.py CLASS_INITS)
ClassInit = Literal["model", "prototype"]


class Routine(BaseModel):
    """Update routine overrides (docs/contracts.md §3); unset fields come from the model's preset."""

    model_config = ConfigDict(extra="allow")

    optimizer: Optimizer | None = None
    lr: float | None = Field(default=None, gt=0)
    steps: int | None = Field(default=None, ge=1)
    batch_size: int | None = Field(default=None, ge=1)
    early_stopping: bool | None = None
    checkpoints: list[int] | None = None
    train_layers: TrainLayers | None = None
    class_init: ClassInit | None = None
    class_init_scale: float | None = Field(default=None, ge=0)
    seed: int | None = None


class JobParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    model_id: int | None = Field(
        default=None,
        description="adapt/iterate: the base model (default: the default base model); "
        "detect/evaluate: the model to run (default: the project's newest model)",
    )
    routine: Routine | None = None
    image_ids: list[int] | None = Field(
        default=None,
        description="detect/iterate: images to run on (default: unannotated adapt pool)",
    )
    score_threshold: float = Field(default=0.05, ge=0, le=1)
    max_detections: int = Field(default=100, ge=1, le=10_000)


class JobCreate(BaseModel):
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
