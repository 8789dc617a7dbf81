"""Review actions over many predictions at once, each undoable, and what the next adaptation
trains on.

A review action (``apply``) accepts some predictions (into annotations, as
``predictions.accept`` does), rejects others and marks images complete; it answers, besides its
counts, the record that undoes it: each changed prediction's previous status, each changed
image's previous state and the annotations it created. ``undo`` takes that record back: it
deletes those annotations (only ones made by accepting the listed predictions), restores the
statuses and the images' states (an image keeps a state its boxes allow: ``unlabelled`` only
without boxes, ``in_progress`` only with some)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from backend.db import Annotation, Image, Job, Prediction
from backend.services import annotations, predictions
from backend.services.errors import Conflict, Invalid, NotFound
from backend.services.jobs import trainable_images


def _project_predictions(session: Session, project_id: int, ids: set[int]) -> dict[int, Prediction]:
    if not ids:
        return {}
    found = {
        p.id: p
        for p in session.scalars(
            select(Prediction)
            .join(Job, Job.id == Prediction.job_id)
            .where(
                Job.project_id == project_id,
                Prediction.stage == "detect",
                Prediction.id.in_(ids),
            )
        )
    }
    missing = sorted(ids - set(found))
    if missing:
        raise NotFound(f"predictions not found in project {project_id}: {missing}")
    return found


def _project_images(session: Session, project_id: int, ids: set[int]) -> dict[int, Image]:
    if not ids:
        return {}
    found = {
        i.id: i
        for i in session.scalars(
            select(Image).where(Image.project_id == project_id, Image.id.in_(ids))
        )
    }
    missing = sorted(ids - set(found))
    if missing:
        raise NotFound(f"images not found in project {project_id}: {missing}")
    return found


def apply(
    session: Session,
    project_id: int,
    user_id: int,
    accept_ids: list[int],
    reject_ids: list[int],
    complete: bool,
    complete_image_ids: list[int],
) -> dict[str, Any]:
    """Accept, reject and mark complete; returns the counts and the record that undoes it.
    Predictions to accept on holdout images are left out and counted (never refused: a bulk
    action over a run's objects may hold some)."""
    accept, reject = set(accept_ids), set(reject_ids)
    if not (accept or reject or complete_image_ids):
        raise Invalid("nothing to do: give accept_ids, reject_ids or complete_image_ids")
    both = sorted(accept & reject)
    if both:
        raise Invalid(f"predictions {both} are both to accept and to reject")
    found = _project_predictions(session, project_id, accept | reject)
    to_complete = _project_images(session, project_id, set(complete_image_ids))
    touched = _project_images(session, project_id, {found[i].image_id for i in accept})
    holdout = {i for i in accept if touched[found[i].image_id].pool == "holdout"}
    before_status = {i: p.status for i, p in found.items()}
    before_state = {i.id: i.state for i in [*touched.values(), *to_complete.values()]}

    created: list[int] = []
    duplicates = 0
    if accept - holdout:
        created, _, duplicates = predictions.accept(
            session, project_id, user_id, sorted(accept - holdout), None, None, complete
        )
    rejected = 0
    if reject:
        pending = [i for i in sorted(reject) if before_status[i] == "pending"]
        if pending:
            predictions.reject(session, project_id, user_id, pending)
            rejected = len(pending)
    for image in to_complete.values():
        session.refresh(image)
        annotations.set_state(session, image, "complete")
    session.commit()

    session.expire_all()
    after_status = dict(
        session.execute(select(Prediction.id, Prediction.status).where(Prediction.id.in_(found)))
        .tuples()
        .all()
    )
    after_state = dict(
        session.execute(select(Image.id, Image.state).where(Image.id.in_(before_state)))
        .tuples()
        .all()
    )
    changed = [
        {"id": i, "status": before_status[i]}
        for i in sorted(found)
        if after_status[i] != before_status[i]
    ]
    return {
        "accepted": len(created),
        "rejected": rejected,
        "marked_complete": sum(before_state[i] != "complete" for i in to_complete),
        "annotation_ids": created,
        "skipped_holdout": len(holdout),
        "skipped_duplicates": duplicates,
        "undo": {
            "predictions": changed,
            "annotation_ids": created,
            "images": [
                {"id": i, "state": s}
                for i, s in sorted(before_state.items())
                if after_state[i] != s
            ],
        },
    }


def undo(
    session: Session,
    project_id: int,
    statuses: dict[int, str],
    annotation_ids: list[int],
    states: dict[int, str],
) -> dict[str, int]:
    """Revert a review action from its record (``apply``'s ``undo``). An annotation of the
    record that is gone already (deleted meanwhile) is skipped; one not made by accepting a
    listed prediction, or a listed accepted prediction whose annotation the record leaves out,
    refuses the whole undo (409)."""
    found = _project_predictions(session, project_id, set(statuses))
    wanted = set(annotation_ids)
    made = {
        a.id: a
        for a in session.scalars(
            select(Annotation)
            .join(Image, Image.id == Annotation.image_id)
            .where(Image.project_id == project_id, Annotation.id.in_(wanted))
        )
    }
    linked = {p.annotation_id for p in found.values() if p.annotation_id is not None}
    foreign = sorted(
        a.id for a in made.values() if a.source != "accepted_prediction" or a.id not in linked
    )
    if foreign:
        raise Conflict(
            f"annotations {foreign} were not made by accepting the listed predictions: "
            "nothing undone"
        )
    kept = sorted(
        p.annotation_id
        for p in found.values()
        if p.status == "accepted" and p.annotation_id is not None and p.annotation_id not in wanted
    )
    if kept:
        raise Conflict(
            f"annotations {kept} of predictions to restore are not in the record: nothing "
            "undone (send the record the action answered)"
        )
    images = _project_images(session, project_id, set(states) | {a.image_id for a in made.values()})
    restored = 0
    for prediction_id, status in statuses.items():
        prediction = found[prediction_id]
        if prediction.status == status:
            continue
        values: dict[str, Any] = {"status": status, "annotation_id": None}
        if status == "pending":
            values.update(reviewed_by_id=None, reviewed_at=None)
        session.execute(
            update(Prediction)
            .where(Prediction.id == prediction_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        restored += 1
    for annotation in made.values():
        session.delete(annotation)
    session.flush()
    lost_boxes = {a.image_id for a in made.values()}
    changed_images = 0
    for image in images.values():
        boxes = annotations.count_for_image(session, image.id)
        state = states.get(image.id, image.state)
        if state == "unlabelled" and boxes:
            state = "in_progress"
        elif state == "in_progress" and not boxes:
            state = "unlabelled"
        changed_images += state != image.state
        if state != image.state or image.id in lost_boxes:
            annotations.mark_changed(image, state)  # a new version: its boxes or state changed
    session.commit()
    return {
        "restored_predictions": restored,
        "deleted_annotations": len(made),
        "restored_images": changed_images,
    }


def training_data(session: Session, project_id: int) -> dict[str, int]:
    """What the next adaptation trains on, as ``jobs.trainable_images`` selects it: the adapt
    pool's complete images, with their boxes (accepted predictions among them). Two queries: one
    over the adapt pool's images by state, one over the trainable images' boxes."""
    by_state = dict(
        session.execute(
            select(Image.state, func.count())
            .where(Image.project_id == project_id, Image.pool == "adapt")
            .where(Image.state.in_(("complete", "in_progress")))
            .group_by(Image.state)
        ).all()
    )
    boxes, accepted, boxed = session.execute(
        select(
            func.count(),
            func.count().filter(Annotation.source == "accepted_prediction"),
            func.count(func.distinct(Annotation.image_id)),
        ).where(Annotation.image_id.in_(trainable_images(project_id)))
    ).one()
    images = by_state.get("complete", 0)
    return {
        "images": images,
        "boxes": boxes or 0,
        "negative_images": images - (boxed or 0),
        "accepted_boxes": accepted or 0,
        "in_progress_images": by_state.get("in_progress", 0),
    }
