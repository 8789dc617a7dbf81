from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from backend.schemas.common import Id, IdList
from backend.schemas.images import ImageState

# what a review action can have changed a prediction from: it never changes an accepted one
PreviousPredictionStatus = Literal["pending", "rejected"]


class ReviewApply(BaseModel):
    """One review action over many predictions and images (e.g. accept the top class of every
    object scoring at least the threshold and reject its runners-up)."""

    accept_ids: IdList = Field(default_factory=list, description="predictions to accept")
    reject_ids: IdList = Field(default_factory=list, description="predictions to reject")
    complete: bool = Field(
        default=False,
        description="images that gain a box become complete (else in_progress)",
    )
    complete_image_ids: IdList = Field(
        default_factory=list,
        description="images to mark complete (every object boxed; with no box, empty)",
    )


class PreviousStatus(BaseModel):
    id: Id
    status: PreviousPredictionStatus


class PreviousState(BaseModel):
    id: Id
    state: ImageState


class ReviewUndo(BaseModel):
    """What undoes a review action: the predictions' statuses and images' states before it, and
    the annotations it created (deleted again)."""

    predictions: list[PreviousStatus] = Field(default_factory=list, max_length=100_000)
    annotation_ids: IdList = Field(default_factory=list)
    images: list[PreviousState] = Field(default_factory=list, max_length=100_000)


class ReviewApplyResult(BaseModel):
    accepted: int
    rejected: int
    marked_complete: int
    annotation_ids: list[int]
    skipped_holdout: int = Field(
        description="predictions to accept on holdout images, left out (a holdout image's "
        "ground truth is drawn by a person)"
    )
    skipped_duplicates: int = Field(
        description="predictions to accept left out because a box of their class already "
        "covers the object (IoU >= 0.5)"
    )
    undo: ReviewUndo = Field(description="send it to POST …/review/undo to revert this action")


class ReviewUndoResult(BaseModel):
    restored_predictions: int
    deleted_annotations: int
    restored_images: int


class TrainingData(BaseModel):
    """What the next adaptation trains on (the adapt pool's complete images)."""

    images: int = Field(description="complete images of the adapt pool")
    boxes: int = Field(description="boxes on those images")
    negative_images: int = Field(description="of those images, complete with no box")
    accepted_boxes: int = Field(description="of those boxes, accepted predictions")
    in_progress_images: int = Field(
        description="adapt images with boxes not yet marked complete: left out until they are"
    )
