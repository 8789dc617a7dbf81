"""Limits on the work and the text one request may ask for (docs/architecture.md, "Security").

Each limit is a setting; a request over one is refused with 422 naming the field, the value and
the limit, and nothing is stored. The jobs a user has queued or running are bounded too
(``MAX_ACTIVE_JOBS_PER_USER``): one more is refused with 429 until some finish.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.db import Image, Job, User
from backend.services.errors import Invalid, TooLarge, TooManyRequests
from backend.services.sizes import human_size
from backend.settings import get_settings

ACTIVE_STATES = ("queued", "running")


def _at_most(field: str, value: int, limit: int, setting: str) -> None:
    if value > limit:
        raise Invalid(f"{field} is {value}: at most {limit} (the server's {setting})")


def check_job_params(params: dict[str, Any]) -> None:
    """A job's image ids and its update routine's steps, batch size and checkpoints."""
    settings = get_settings()
    image_ids = params.get("image_ids") or []
    _at_most("params.image_ids", len(image_ids), settings.max_job_images, "MAX_JOB_IMAGES")
    routine = params.get("routine") or {}
    if routine.get("steps") is not None:
        _at_most(
            "params.routine.steps",
            routine["steps"],
            settings.max_routine_steps,
            "MAX_ROUTINE_STEPS",
        )
    if routine.get("batch_size") is not None:
        _at_most(
            "params.routine.batch_size",
            routine["batch_size"],
            settings.max_batch_size,
            "MAX_BATCH_SIZE",
        )
    checkpoints = routine.get("checkpoints") or []
    _at_most(
        "the number of params.routine.checkpoints",
        len(checkpoints),
        settings.max_routine_checkpoints,
        "MAX_ROUTINE_CHECKPOINTS",
    )
    # a checkpoint past the steps is dropped; one past the largest allowed step is a mistake
    if checkpoints:
        _at_most(
            "params.routine.checkpoints",
            max(checkpoints),
            settings.max_routine_steps,
            "MAX_ROUTINE_STEPS",
        )


def check_demo(adapt_annotated: int, adapt_unannotated: int, holdout: int, image_size: int) -> None:
    settings = get_settings()
    total = adapt_annotated + adapt_unannotated + holdout
    _at_most(
        "adapt_annotated + adapt_unannotated + holdout",
        total,
        settings.max_demo_images,
        "MAX_DEMO_IMAGES",
    )
    _at_most("image_size", image_size, settings.max_demo_image_size, "MAX_DEMO_IMAGE_SIZE")


def check_description(description: str | None) -> None:
    if description is None:
        return
    limit = get_settings().max_description_length
    if len(description) > limit:
        raise Invalid(
            f"the description has {len(description)} characters: at most {limit} (the server's "
            "MAX_DESCRIPTION_LENGTH)"
        )


def active_jobs(session: Session, user: User) -> int:
    return session.scalar(
        select(func.count())
        .select_from(Job)
        .where(Job.created_by_id == user.id, Job.state.in_(ACTIVE_STATES))
    )


def check_job_quota(session: Session, user: User) -> None:
    """TooManyRequests (429) when ``user`` has MAX_ACTIVE_JOBS_PER_USER jobs queued or running.

    Counted before the job is made, so requests that arrive together may pass it by a few."""
    limit = get_settings().max_active_jobs_per_user
    count = active_jobs(session, user)
    if count >= limit:
        raise TooManyRequests(
            f"you have {count} jobs queued or running, the most one user may have (the server's "
            "MAX_ACTIVE_JOBS_PER_USER): wait for some to finish, or cancel some"
        )


def stored_bytes(session: Session, user: User) -> int:
    """Bytes of the image files ``user`` uploaded (or imported), as uploaded."""
    total = session.scalar(
        select(func.coalesce(func.sum(Image.size_bytes), 0)).where(Image.uploaded_by_id == user.id)
    )
    return int(total or 0)


def check_storage_quota(session: Session, user: User, adding: int) -> None:
    """TooLarge (413) when ``adding`` more bytes would take ``user`` over
    MAX_STORAGE_BYTES_PER_USER (the files they uploaded or imported, counted as uploaded)."""
    limit = get_settings().max_storage_bytes_per_user
    used = stored_bytes(session, user)
    if used + adding > limit:
        raise TooLarge(
            f"this upload of {human_size(adding)} would take your stored images to "
            f"{human_size(used + adding)}, over your quota of {human_size(limit)} (the server's "
            "MAX_STORAGE_BYTES_PER_USER): delete images or ask an admin"
        )
