from __future__ import annotations

from datetime import datetime
from typing import Any

from backend.schemas.common import OrmModel


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


class ModelDetail(ModelOut):
    card: dict[str, Any]
