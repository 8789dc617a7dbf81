from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

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

    card: dict[str, Any] = Field(
        description="the model's card: architecture, classes, training, preset, metrics. "
        "`onnx`, once an ONNX export of this model has succeeded in this project, says how to "
        "use the newest such file: the export's card section (`input`: name, shape, dtype, "
        "layout, `mean`, `std`; `outputs`; `classes`; `scale_mode`, `input_size`, "
        "`score_threshold`, `nms_iou`, `preprocessing`, `postprocessing`; docs/engine.md, "
        '"Export to ONNX") with `download` (the path that downloads the file), `job_id`, '
        "`onnx_sha256`, `size` (bytes) and `exported_at`. It is read from the export job, not "
        "stored in the card; absent before an export has succeeded"
    )
    preset: Routine = Field(
        default_factory=Routine,
        description="the update routine an adapt job from this model runs unless the request "
        "changes it: the card's preset (else the model's own routine) over the defaults",
    )


class OnnxExportRequest(BaseModel):
    """What an ONNX export is asked for; every field may be left out (so may the body)."""

    model_config = ConfigDict(extra="forbid")

    working_scale: float | None = Field(
        default=None,
        gt=0,
        le=64,
        description="a tiles model's working scale (image pixels → model pixels) written into "
        "the ONNX card; left out: the model's own, else 1 (the scale detect runs it at). 422 for "
        "a letterbox model, which scales each image to its input size",
    )
