from __future__ import annotations

from fastapi import APIRouter

from backend.api.deps import AnnotatorAccess, SessionDep, ViewerAccess
from backend.schemas.review import (
    ReviewApply,
    ReviewApplyResult,
    ReviewUndo,
    ReviewUndoResult,
    TrainingData,
)
from backend.services import review

router = APIRouter(prefix="/projects/{project_id}/review", tags=["review"])


@router.post("/apply", name="apply")
def apply_review(
    body: ReviewApply, access: AnnotatorAccess, session: SessionDep
) -> ReviewApplyResult:
    """One review action: accept predictions (into annotations, as `predictions/accept` by ids,
    but leaving out and counting those on holdout images), reject others, and mark images
    complete. The answer's `undo` is the record that reverts it (POST `review/undo`)."""
    result = review.apply(
        session,
        access.project.id,
        access.user.id,
        body.accept_ids,
        body.reject_ids,
        body.complete,
        body.complete_image_ids,
    )
    return ReviewApplyResult.model_validate(result)


@router.post("/undo", name="undo")
def undo_review(body: ReviewUndo, access: AnnotatorAccess, session: SessionDep) -> ReviewUndoResult:
    """Revert a review action from the `undo` record `review/apply` answered: the annotations
    it created are deleted, the predictions' statuses and the images' states restored (an
    image's state as its remaining boxes allow). 409 if a listed annotation was not made by
    accepting a listed prediction."""
    result = review.undo(
        session,
        access.project.id,
        {p.id: p.status for p in body.predictions},
        body.annotation_ids,
        {i.id: i.state for i in body.images},
    )
    return ReviewUndoResult(**result)


@router.get("/training-data", name="training-data")
def training_data(access: ViewerAccess, session: SessionDep) -> TrainingData:
    """What the next adaptation will train on: the adapt pool's complete images and their
    boxes (accepted predictions among them); in-progress images are left out until complete."""
    return TrainingData(**review.training_data(session, access.project.id))
