from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from backend.schemas.common import Box, Id, IdList, OrmModel

Pool = Literal["adapt", "holdout"]
ImageState = Literal["unlabelled", "in_progress", "complete"]
MAX_TIME_SPENT_MS = 7 * 24 * 3600 * 1000  # a week on one image
MAX_BOXES = 10_000  # boxes on one image in one request


class ImageOut(OrmModel):
    id: int
    project_id: int
    file_name: str
    sha256: str
    format: str
    size_bytes: int
    width: int
    height: int
    pool: str
    state: ImageState = Field(
        description="unlabelled; in_progress (some objects boxed); complete (every object "
        "boxed, confirmed by a person; zero boxes: a negative image)"
    )
    annotations_version: int = Field(
        description="the version of its annotations (their ETag; send it as If-Match)"
    )
    created_at: datetime
    annotation_count: int = 0
    has_predictions: bool = False


class ImagePoolUpdate(BaseModel):
    """Change an image's pool and/or state (a field left out stays)."""

    pool: Pool | None = None
    state: ImageState | None = None


class ImagesPoolUpdate(BaseModel):
    image_ids: IdList = Field(min_length=1)
    pool: Pool


class ImagesStateUpdate(BaseModel):
    image_ids: IdList = Field(min_length=1)
    state: ImageState


class AnnotationIn(BaseModel):
    class_id: Id
    box: Box
    time_spent_ms: int = Field(default=0, ge=0, le=MAX_TIME_SPENT_MS)


class AnnotationUpdate(BaseModel):
    class_id: Id | None = None
    box: Box | None = None
    time_spent_ms: int | None = Field(default=None, ge=0, le=MAX_TIME_SPENT_MS)


class AnnotationsReplace(BaseModel):
    annotations: list[AnnotationIn] = Field(max_length=MAX_BOXES)
    state: ImageState | None = Field(
        default=None,
        description="the image's state after the write; unset: unlabelled → in_progress when "
        "it gains a box, in_progress → unlabelled when it has none left, complete stays",
    )


class AnnotationOut(OrmModel):
    id: int
    image_id: int
    class_id: int
    box: list[float]
    source: str
    author_id: int | None
    time_spent_ms: int
    created_at: datetime
    updated_at: datetime


class AnnotationActivityOut(OrmModel):
    """When an annotation was written, by whom, and with how much time (the loop timeline)."""

    id: int
    image_id: int
    source: str
    author_id: int | None
    time_spent_ms: int
    created_at: datetime
    updated_at: datetime
