from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from backend.schemas.common import MAX_INT, Color, Id, NoBidi, OrmModel

Role = Literal["owner", "annotator", "viewer"]
# segmentation projects come with masks (not built): only detection is offered
TaskType = Literal["detection"]


ProjectName = Annotated[str, Field(min_length=1, max_length=200), NoBidi]
ClassName = Annotated[str, Field(min_length=1, max_length=100), NoBidi]
MAX_CLASSES = 1000  # classes of a project created in one request
DESCRIPTION_RULE = "at most MAX_DESCRIPTION_LENGTH characters (default 10,000)"

CLASS_NAME_RULE = (
    "trimmed of whitespace and zero-width characters; not empty, no control characters; 409 "
    "when it looks like another class's name of the project (the same up to case, whitespace "
    "and Unicode compatibility forms); no bidirectional control characters"
)


class LabelClassIn(BaseModel):
    name: ClassName = Field(description=CLASS_NAME_RULE)
    color: Color | None = None


class LabelClassUpdate(BaseModel):
    name: ClassName | None = Field(default=None, description=CLASS_NAME_RULE)
    color: Color | None = None


class LabelClassOut(OrmModel):
    id: int
    project_id: int
    name: str
    color: str
    annotation_count: int | None = Field(
        default=None,
        description="how many annotations (boxes) have this class: given by GET /classes "
        "(a class in use cannot be deleted); null elsewhere",
    )


class ProjectCreate(BaseModel):
    name: ProjectName
    description: str = Field(default="", description=DESCRIPTION_RULE)
    task_type: TaskType = "detection"
    classes: list[LabelClassIn] = Field(default=[], max_length=MAX_CLASSES)


class DetectionSettings(BaseModel):
    """How the models see a project's images. Each ``null`` means automatic; a PATCH changes the
    fields it sends and keeps the others."""

    model_config = ConfigDict(extra="forbid")

    working_scale: float | None = Field(
        default=None,
        ge=0.25,
        le=4.0,
        allow_inf_nan=False,
        description="image → model input scale; automatic: the median annotated object side "
        "becomes the base model's object size (about 40 px)",
    )
    base_model_id: Id | None = Field(
        default=None,
        description="the shipped model adapt jobs start from in this project; automatic: the "
        "server's default base model",
    )
    max_detections: int | None = Field(
        default=None,
        ge=1,
        le=3000,
        description="detections kept per image, and COCO's max-detections; automatic: twice the "
        "most annotated objects on one image, rounded up to 100, at least 100",
    )


class ProjectUpdate(BaseModel):
    name: ProjectName | None = None
    description: str | None = Field(default=None, description=DESCRIPTION_RULE)
    settings: DetectionSettings | None = Field(
        default=None,
        description="detection settings to change: the fields sent (null: back to automatic)",
    )


class ProjectOut(BaseModel):
    id: int
    name: str
    description: str
    task_type: str
    created_at: datetime
    role: Role
    classes: list[LabelClassOut]
    image_count: int
    settings: DetectionSettings
    current_model_id: int | None = Field(
        default=None,
        description="the model detect and evaluate use by default: the last one promoted (by a "
        "person, or automatically when its holdout AP50 was not lower); null: the base model",
    )


class MemberIn(BaseModel):
    username: str | None = Field(default=None, max_length=64)
    user_id: Id | None = None
    role: Role


class MemberUpdate(BaseModel):
    role: Role


class MemberOut(BaseModel):
    user_id: int
    username: str
    role: Role
    created_at: datetime


class DemoRequest(BaseModel):
    """Counts of the synthetic demo project; the defaults are those of the README's demo."""

    name: ProjectName = "Letters demo"
    seed: int = Field(default=0, ge=0, le=2**32 - 1)
    classes: list[ClassName] = Field(
        default_factory=lambda: ["C", "F", "K", "P", "X"], min_length=1, max_length=MAX_CLASSES
    )
    adapt_annotated: int = Field(
        default=25,
        ge=1,
        le=MAX_INT,
        description="annotated adapt images; each class is in about this / len(classes)",
    )
    adapt_unannotated: int = Field(default=200, ge=0, le=MAX_INT)
    holdout: int = Field(
        default=50, ge=0, le=MAX_INT, description="annotated images in the holdout pool"
    )
    image_size: int = Field(
        default=256,
        ge=32,
        le=2048,
        description="pixels a side; at most MAX_DEMO_IMAGE_SIZE (default 512), and the three "
        "counts together at most MAX_DEMO_IMAGES (default 2000)",
    )


class DemoCreated(BaseModel):
    project: ProjectOut
    job_id: int
