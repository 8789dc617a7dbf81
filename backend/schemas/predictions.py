from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from backend.schemas.common import Id, IdList, OrmModel

PredictionSort = Literal["uncertainty", "confidence", "image"]


class PredictionOut(OrmModel):
    id: int
    job_id: int
    model_id: int | None
    image_id: int
    class_id: int
    box: list[float]
    score: float
    uncertainty: float
    status: str
    annotation_id: int | None
    stage: str = "detect"
    match: str | None = None
    created_at: datetime


class ReviewImageOut(BaseModel):
    image_id: int
    job_id: int
    file_name: str
    pool: str
    width: int
    height: int
    uncertainty: float
    num_detections: int
    max_score: float | None


class AcceptRequest(BaseModel):
    """Accept predictions by id, or all pending ones of a job with a score of at least min_score."""

    ids: IdList | None = None
    job_id: Id | None = None
    min_score: float | None = Field(default=None, ge=0, le=1)
    complete: bool = Field(
        default=False,
        description="mark the images complete (every object boxed) instead of in_progress",
    )


class AcceptResult(BaseModel):
    accepted: int
    annotation_ids: list[int]
    skipped_holdout: int = Field(
        default=0, description="predictions on holdout images, left out of a bulk accept"
    )
    skipped_duplicates: int = Field(
        default=0,
        description="predictions left out because a box of their class already covers the "
        "object (IoU >= 0.5)",
    )


class RejectRequest(BaseModel):
    ids: IdList = Field(min_length=1)


class RejectResult(BaseModel):
    rejected: int
