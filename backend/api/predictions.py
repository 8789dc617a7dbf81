from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from backend.api.deps import AnnotatorAccess, SessionDep, ViewerAccess
from backend.api.paging import CountParam, CursorParam
from backend.schemas.common import MAX_INT, Id, Page
from backend.schemas.predictions import (
    AcceptRequest,
    AcceptResult,
    PredictionOut,
    PredictionSort,
    RejectRequest,
    RejectResult,
    ReviewImageOut,
)
from backend.services import predictions
from backend.services.images import get_image

router = APIRouter(prefix="/projects/{project_id}", tags=["predictions"])
Offset = Annotated[int, Query(ge=0, le=MAX_INT)]
Limit = Annotated[int, Query(ge=1, le=5000)]
Status = Literal["pending", "accepted", "rejected"]


@router.get("/predictions", name="list")
def list_predictions(
    access: ViewerAccess,
    session: SessionDep,
    job_id: Id | None = None,
    image_id: Id | None = None,
    status: Status | None = None,
    min_score: Annotated[float | None, Query(ge=0, le=1, allow_inf_nan=False)] = None,
    sort: PredictionSort = "uncertainty",
    offset: Offset = 0,
    limit: Limit = 100,
    cursor: CursorParam = None,
    count: CountParam = "bounded",
) -> Page[PredictionOut]:
    """Detections, most uncertain first by default (or by confidence, or by image id), ties
    broken by id; page with `cursor` (or `offset`)."""
    page = predictions.list_predictions(
        session, access.project.id, job_id, image_id, status, min_score, sort, offset, limit,
        cursor, count,
    )  # fmt: skip
    return Page(
        items=[PredictionOut.model_validate(p) for p in page.rows],
        total=page.total,
        total_exact=page.total_exact,
        offset=offset,
        limit=limit,
        next_cursor=page.next_cursor,
    )


@router.get("/predictions/images", name="review-images")
def review_images(
    access: ViewerAccess,
    session: SessionDep,
    job_id: Id | None = None,
    sort: PredictionSort = "uncertainty",
    offset: Offset = 0,
    limit: Limit = 100,
    cursor: CursorParam = None,
    count: CountParam = "bounded",
) -> Page[ReviewImageOut]:
    """The images of a detect run (default: the latest) with their uncertainty, for review;
    ties broken by image id; page with `cursor` (or `offset`). The confidence sort (by each
    image's highest score) is computed over all the job's images on every page."""
    page = predictions.review_images(
        session, access.project.id, job_id, sort, offset, limit, cursor, count
    )
    return Page(
        items=[ReviewImageOut(**i) for i in page.rows],
        total=page.total,
        total_exact=page.total_exact,
        offset=offset,
        limit=limit,
        next_cursor=page.next_cursor,
    )


@router.get("/images/{image_id}/predictions", name="for-image")
def image_predictions(
    image_id: Id, access: ViewerAccess, session: SessionDep, job_id: Id | None = None
) -> list[PredictionOut]:
    """One image's predictions from a job (default: the latest job that has some)."""
    get_image(session, access.project.id, image_id)
    job_id = job_id or predictions.latest_job_for_image(session, access.project.id, image_id)
    if job_id is None:
        return []
    page = predictions.list_predictions(
        session, access.project.id, job_id, image_id, None, None, "confidence", 0, 10_000
    )
    return [PredictionOut.model_validate(p) for p in page.rows]


@router.post("/predictions/accept", name="accept")
def accept_predictions(
    body: AcceptRequest, access: AnnotatorAccess, session: SessionDep
) -> AcceptResult:
    """Turn predictions into annotations (source `accepted_prediction`): by ids, or all pending
    ones of a job with score ≥ min_score. Only on adapt images (409 for ids on holdout images;
    a bulk accept leaves them out and counts them). Each image that gains a box becomes
    `in_progress`, or `complete` with `complete: true`. A prediction whose object is boxed
    already (a box of its class at IoU >= 0.5) is left out and counted."""
    created, skipped, duplicates = predictions.accept(
        session,
        access.project.id,
        access.user.id,
        body.ids,
        body.job_id,
        body.min_score,
        body.complete,
    )
    return AcceptResult(
        accepted=len(created),
        annotation_ids=created,
        skipped_holdout=skipped,
        skipped_duplicates=duplicates,
    )


@router.post("/predictions/reject", name="reject")
def reject_predictions(
    body: RejectRequest, access: AnnotatorAccess, session: SessionDep
) -> RejectResult:
    count = predictions.reject(session, access.project.id, access.user.id, body.ids)
    return RejectResult(rejected=count)
