from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ConfigDict, Field

from backend.schemas.common import OrmModel
from contracts.routine import Routine


class ModelOut(OrmModel):
    id: int
    project_id: int | None
    name: str
    architecture: str
    task_type: str
    classes: list[Any]
    class_ids: list[Any] | None
    parent_id: int | None
    algorithm: str
    routine: dict[str, Any]
    training_set: dict[str, Any]
    weights_sha256: str
    metrics: dict[str, Any]
    source_job_id: int | None
    created_at: datetime
    is_default: bool = False
    is_current: bool = Field(
        default=False, description="the project's current model: what detect and evaluate use"
    )


class ModelDetail(ModelOut):
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    card: dict[str, Any]
    preset: Routine = Field(
        default_factory=Routine,
        description="the update routine an adapt job from this model runs unless the request "
        "changes it: the card's preset (else the model's own routine) over the defaults",
    )
