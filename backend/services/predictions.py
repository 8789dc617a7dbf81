"""Reviewing predictions: sorted lists, per-image uncertainty, accept (→ annotations) and reject."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pycocotools import mask as coco_mask
from sqlalchemy import Select, func, literal_column, select, update
from sqlalchemy.orm import Session

from backend.db import Annotation, Image, ImageUncertainty, Job, Prediction, Task, utcnow
from backend.services.annotations import mark_changed
from backend.services.errors import Conflict, Invalid, NotFound
from backend.services.paging import CountMode, PageResult, SortKey, paged

DUPLICATE_IOU = 0.5

SORTS = {
    "uncertainty": (
        SortKey(Prediction.uncertainty, True, "float"),
        SortKey(Prediction.score, True, "float"),
        SortKey(Prediction.id, False, "int"),
    ),
    "confidence": (SortKey(Prediction.score, True, "float"), SortKey(Prediction.id, False, "int")),
    "image": (
        SortKey(Prediction.image_id, False, "int"),
        SortKey(Prediction.score, True, "float"),
        SortKey(Prediction.id, False, "int"),
    ),
}
# the review indexes hold detect predictions only (backend/db/predictions.py); the stage is written
# into the SQL, not bound, so that the planner can use them whatever plan it caches
DETECT_STAGE = Prediction.stage == literal_column("'detect'")
_SORT_ATTRIBUTES = {sort: [k.column.key for k in keys] for sort, keys in SORTS.items()}


def partial_jobs() -> Select[tuple[int]]:
    """Ids of jobs whose predictions are partial: a detect task of the job ended cancelled or
    failed, so some of its images were never detected (a job cancelled after its detect stage
    finished is not partial).

    The rule: partial predictions are kept, but stay out of the review queue by default (the
    latest job's review, the project's prediction list, an image's latest predictions); asked
    for by their job's id they are listed, and can be accepted, like any other."""
    return select(Task.job_id).where(Task.kind == "detect", Task.state.in_(("cancelled", "failed")))


def _scoped(project_id: int) -> Select[tuple[Prediction]]:
    """The project's predictions for review: detect stage only (holdout predictions from
    evaluations are never reviewed or accepted)."""
    project_jobs = select(Job.id).where(Job.project_id == project_id)
    return select(Prediction).where(Prediction.job_id.in_(project_jobs), DETECT_STAGE)


def list_predictions(
    session: Session,
    project_id: int,
    job_id: int | None,
    image_id: int | None,
    status: str | None,
    min_score: float | None,
    sort: str,
    offset: int,
    limit: int,
    cursor: str | None = None,
    count_mode: CountMode = "bounded",
) -> PageResult[Prediction]:
    """A page of the project's detect predictions in `sort` order, ties broken by id (indexes:
    the sort's columns, alone and after job_id)."""
    # The project's job ids are looked up first and written into the query: a subquery or a join
    # on jobs hides from PostgreSQL's planner how many predictions they hold (it then guessed a
    # few dozen and read the whole table to sort them).
    jobs = select(Job.id).where(Job.project_id == project_id)
    if job_id is not None:
        jobs = jobs.where(Job.id == job_id)
    else:
        jobs = jobs.where(Job.id.not_in(partial_jobs()))
    job_ids = list(session.scalars(jobs))
    query = select(Prediction).where(Prediction.job_id.in_(job_ids), DETECT_STAGE)
    if image_id is not None:
        query = query.where(Prediction.image_id == image_id)
    if status is not None:
        query = query.where(Prediction.status == status)
    if min_score is not None:
        query = query.where(Prediction.score >= min_score)
    attributes = _SORT_ATTRIBUTES[sort]
    return paged(
        session,
        query,
        name=f"predictions:{sort}",
        order=SORTS[sort],
        id_column=Prediction.id,
        key_of=lambda p: [getattr(p, a) for a in attributes],
        cursor=cursor,
        offset=offset,
        limit=limit,
        count_mode=count_mode,
    )


def latest_job_for_image(session: Session, project_id: int, image_id: int) -> int | None:
    return session.scalar(
        select(func.max(Prediction.job_id))
        .join(Job, Job.id == Prediction.job_id)
        .where(
            Job.project_id == project_id,
            Prediction.image_id == image_id,
            DETECT_STAGE,
            Prediction.job_id.not_in(partial_jobs()),
        )
    )


def latest_detect_job(session: Session, project_id: int) -> int | None:
    """The newest complete detect run of the project: its job ids newest first, the first with
    per-image uncertainties (an index probe per job, not a read of every row of every run)."""
    job_ids = select(Job.id).where(Job.project_id == project_id, Job.id.not_in(partial_jobs()))
    return session.scalar(
        select(ImageUncertainty.job_id)
        .where(ImageUncertainty.job_id.in_(list(session.scalars(job_ids))))
        .order_by(ImageUncertainty.job_id.desc())
        .limit(1)
    )


def review_images(
    session: Session,
    project_id: int,
    job_id: int | None,
    sort: str,
    offset: int,
    limit: int,
    cursor: str | None = None,
    count_mode: CountMode = "bounded",
) -> PageResult[dict[str, Any]]:
    """Images of a detect job (default: the latest), most uncertain first by default.

    The uncertainty and image sorts follow an index of image_uncertainties (job_id, uncertainty
    DESC, image_id); the confidence sort orders by each image's highest score, computed per
    image, so it reads every image of the job (no index can hold it)."""
    job_id = job_id if job_id is not None else latest_detect_job(session, project_id)
    if job_id is None:
        return PageResult([], 0, True, None)
    # an image without detections has no highest score: it sorts as 0, after every detection
    max_score = func.coalesce(
        select(func.max(Prediction.score))
        .where(
            Prediction.job_id == ImageUncertainty.job_id,
            Prediction.image_id == ImageUncertainty.image_id,
            DETECT_STAGE,
        )
        .scalar_subquery(),
        0.0,
    )
    query = (
        select(ImageUncertainty, Image, max_score.label("max_score"))
        .join(Image, Image.id == ImageUncertainty.image_id)
        .where(ImageUncertainty.job_id == job_id, Image.project_id == project_id)
    )
    image_id = SortKey(ImageUncertainty.image_id, False, "int")
    order = {
        "uncertainty": (SortKey(ImageUncertainty.uncertainty, True, "float"), image_id),
        "confidence": (SortKey(max_score, True, "float"), image_id),
        "image": (image_id,),
    }[sort]
    key_of = {
        "uncertainty": lambda row: (row[0].uncertainty, row[0].image_id),
        "confidence": lambda row: (row[2], row[0].image_id),
        "image": lambda row: (row[0].image_id,),
    }[sort]
    page = paged(
        session,
        query,
        name=f"review-images:{sort}",
        order=order,
        id_column=ImageUncertainty.id,
        key_of=key_of,
        cursor=cursor,
        offset=offset,
        limit=limit,
        count_mode=count_mode,
        scalars=False,
    )
    items = [
        {
            "image_id": image.id,
            "job_id": u.job_id,
            "file_name": image.file_name,
            "pool": image.pool,
            "width": image.width,
            "height": image.height,
            "uncertainty": u.uncertainty,
            "num_detections": u.num_detections,
            "max_score": score if u.num_detections else None,
        }
        for u, image, score in page.rows
    ]
    return PageResult(items, page.total, page.total_exact, page.next_cursor)


def _clipped_box(prediction: Prediction, image: Image) -> tuple[float, float, float, float] | None:
    x0, y0 = max(0.0, prediction.x), max(0.0, prediction.y)
    x1 = min(float(image.width), prediction.x + prediction.w)
    y1 = min(float(image.height), prediction.y + prediction.h)
    if x1 <= x0 or y1 <= y0:
        return None
    return x0, y0, x1 - x0, y1 - y0


def accept(
    session: Session,
    project_id: int,
    user_id: int,
    ids: list[int] | None,
    job_id: int | None,
    min_score: float | None,
    complete: bool = False,
) -> tuple[list[int], int, int]:
    """Turn predictions into annotations (source accepted_prediction).

    Highest score first, and only on adapt images: a holdout image's ground truth must come
    from a person, so accepting by id there is refused (409), and a bulk accept by job leaves
    holdout images out. Each image
    that gains a box becomes "in_progress" (its unboxed objects are not background), or
    "complete" with ``complete``. Returns the new annotation ids and the number of holdout
    predictions left out, and the number left out because a box of their class already covers
    the object (IoU >= 0.5: a later detect run finds the boxes accepted before)."""
    query = _scoped(project_id).where(Prediction.status != "accepted")
    if ids:
        found = session.scalars(_scoped(project_id).where(Prediction.id.in_(ids))).all()
        missing = sorted(set(ids) - {p.id for p in found})
        if missing:
            raise NotFound(f"predictions not found in project {project_id}: {missing}")
        on_holdout = session.scalars(
            select(Prediction.id)
            .join(Image, Image.id == Prediction.image_id)
            .where(Prediction.id.in_(ids), Image.pool == "holdout")
            .order_by(Prediction.id)
        ).all()
        if on_holdout:
            raise Conflict(
                f"predictions {list(on_holdout)} are on holdout images: a holdout image's ground "
                "truth is drawn by a person, never accepted from a model (move the image to the "
                "adapt pool first to use its predictions)"
            )
        query = query.where(Prediction.id.in_(ids))
    elif job_id is not None:
        query = query.where(Prediction.job_id == job_id, Prediction.status == "pending")
        if min_score is not None:
            query = query.where(Prediction.score >= min_score)
    else:
        raise Invalid("give prediction ids, or a job_id (and optionally min_score)")
    skipped = (
        session.scalar(
            select(func.count()).select_from(
                query.join(Image, Image.id == Prediction.image_id)
                .where(Image.pool == "holdout")
                .subquery()
            )
        )
        or 0
    )
    query = query.join(Image, Image.id == Prediction.image_id).where(Image.pool == "adapt")
    now, created, touched = utcnow(), [], {}
    boxed: dict[int, list[tuple[int, tuple[float, ...]]]] = {}
    duplicates = 0
    for prediction in session.scalars(query.order_by(Prediction.score.desc(), Prediction.id)):
        image = session.get_one(Image, prediction.image_id)
        box = _clipped_box(prediction, image)
        if box is None or box[2] < 1 or box[3] < 1:
            continue  # (almost) nothing left inside the image
        if image.id not in boxed:
            boxed[image.id] = [
                (a.class_id, (a.x, a.y, a.w, a.h))
                for a in session.scalars(select(Annotation).where(Annotation.image_id == image.id))
            ]
        same_class = [list(b) for c, b in boxed[image.id] if c == prediction.class_id]
        # IoU of [x, y, w, h] boxes (pycocotools; no crowd boxes)
        overlap = coco_mask.iou([list(box)], same_class, [0] * len(same_class)) if same_class else 0
        if same_class and overlap.max() >= DUPLICATE_IOU:
            duplicates += 1  # the object is boxed already
            continue
        if not _claim(session, prediction.id, user_id, now):
            continue  # accepted concurrently by someone else
        annotation = Annotation(
            image_id=image.id,
            class_id=prediction.class_id,
            x=box[0],
            y=box[1],
            w=box[2],
            h=box[3],
            source="accepted_prediction",
            author_id=user_id,
        )
        session.add(annotation)
        session.flush()
        session.execute(
            update(Prediction)
            .where(Prediction.id == prediction.id)
            .values(annotation_id=annotation.id)
            .execution_options(synchronize_session=False)
        )
        created.append(annotation.id)
        boxed[image.id].append((prediction.class_id, box))
        touched[image.id] = image
    for image in touched.values():
        mark_changed(image, "complete" if complete else "in_progress")
    session.commit()
    return created, skipped, duplicates


def _claim(session: Session, prediction_id: int, user_id: int, now: datetime) -> bool:
    """Compare-and-set: mark accepted unless it already is, so a prediction is accepted once."""
    return (
        session.execute(
            update(Prediction)
            .where(Prediction.id == prediction_id, Prediction.status != "accepted")
            .values(status="accepted", reviewed_by_id=user_id, reviewed_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )


def reject(session: Session, project_id: int, user_id: int, ids: list[int]) -> int:
    found = {p.id for p in session.scalars(_scoped(project_id).where(Prediction.id.in_(ids)))}
    missing = sorted(set(ids) - found)
    if missing:
        raise NotFound(f"predictions not found in project {project_id}: {missing}")
    session.execute(
        update(Prediction)
        .where(Prediction.id.in_(found), Prediction.status == "pending")
        .values(status="rejected", reviewed_by_id=user_id, reviewed_at=utcnow())
    )
    session.commit()
    return len(found)
