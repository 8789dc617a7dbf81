"""Jobs: creation (one or more tasks, enqueued after commit), state that follows the tasks,
stage timings, cancellation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from backend.db import Image, Job, Model, Task, User, utcnow
from backend.db.jobs import FINISHED_STATES
from backend.services import models as model_service
from backend.services import webhooks
from backend.services.errors import Conflict, Invalid, NotFound
from backend.services.events import job_event, publish_after_commit, task_event
from backend.services.paging import SortKey, encode_cursor, page_query
from backend.services.queue import enqueue_after_commit
from backend.services.routines import check_learned_rates, merge_routine
from backend.settings import get_settings

ITERATE_WEIGHTS = {"adapt": 0.5, "rest": 0.5}


# --- image selections -------------------------------------------------------------------------


def trainable_images(project_id: int) -> Select[tuple[int]]:
    """The ids of what adaptation trains on, as a query: the adapt pool's complete images, all
    of each (its boxes as objects, the rest as background; zero boxes is a negative image).

    In-progress images are left out: their unboxed objects must not be learned as background,
    and training on their boxes alone (no background loss, which the engine supports) lowered
    holdout AP50 on the letters demo (docs/engine.md, "Images still being annotated")."""
    return select(Image.id).where(
        Image.project_id == project_id, Image.pool == "adapt", Image.state == "complete"
    )


def trainable_image_ids(session: Session, project_id: int) -> list[int]:
    """:func:`trainable_images`' ids, in id order."""
    return list(session.scalars(trainable_images(project_id).order_by(Image.id)))


def evaluable_image_ids(session: Session, project_id: int) -> list[int]:
    """What evaluation scores on: the holdout pool's complete images only (a partly boxed image
    would count its unboxed objects' detections as false positives)."""
    return list(
        session.scalars(
            select(Image.id)
            .where(
                Image.project_id == project_id,
                Image.pool == "holdout",
                Image.state == "complete",
            )
            .order_by(Image.id)
        )
    )


def unannotated_adapt_image_ids(session: Session, project_id: int) -> list[int]:
    """What detection runs on by default: the adapt pool's images that are not complete."""
    return list(
        session.scalars(
            select(Image.id)
            .where(
                Image.project_id == project_id,
                Image.pool == "adapt",
                Image.state != "complete",
            )
            .order_by(Image.id)
        )
    )


def _checked_image_ids(session: Session, project_id: int, image_ids: list[int]) -> list[int]:
    found = set(
        session.scalars(
            select(Image.id).where(Image.project_id == project_id, Image.id.in_(image_ids))
        )
    )
    missing = sorted(set(image_ids) - found)
    if missing:
        raise Invalid(f"images not found in project {project_id}: {missing}")
    return sorted(found)


def chunks(ids: list[int], size: int) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


# --- creation ---------------------------------------------------------------------------------


def add_task(
    session: Session, job: Job, kind: str, inputs: dict[str, Any], lane: str = "interactive"
) -> Task:
    """A task of ``job`` (flushed; its message is sent after the commit)."""
    task = Task(job_id=job.id, kind=kind, inputs=inputs, lane=lane)
    session.add(task)
    session.flush()
    enqueue_after_commit(session, task)
    publish_after_commit(session, task_event(task, job.project_id))
    return task


def detect_lane(image_count: int) -> str:
    """``batch`` for a detect job of more than INTERACTIVE_DETECT_IMAGES images, else
    ``interactive`` (docs/architecture.md, "Queues and fairness")."""
    return "batch" if image_count > get_settings().interactive_detect_images else "interactive"


def add_detect_tasks(session: Session, job: Job, model: Model, image_ids: list[int]) -> list[Task]:
    size = max(1, get_settings().detect_chunk_size)
    lane = detect_lane(len(image_ids))
    return [
        add_task(session, job, "detect", {"model_id": model.id, "image_ids": chunk}, lane)
        for chunk in chunks(image_ids, size)
    ]


def add_evaluate_task(session: Session, job: Job, model: Model) -> Task | None:
    if not evaluable_image_ids(session, job.project_id):
        return None
    return add_task(session, job, "evaluate", {"model_id": model.id})


def create_job(
    session: Session, project_id: int, user: User, kind: str, params: dict[str, Any]
) -> Job:
    job = Job(project_id=project_id, kind=kind, params=params, created_by_id=user.id)
    if kind in ("adapt", "iterate"):
        _prepare_adapt(session, job, params)
    elif kind == "detect":
        model = model_service.model_to_run(session, project_id, params.get("model_id"))
        image_ids = _detect_image_ids(session, project_id, params.get("image_ids"))
        if not image_ids:
            raise Invalid("no image to run detection on: every image of the adapt pool is complete")
        job.model_id = model.id
        persist_job(session, job)
        add_detect_tasks(session, job, model, image_ids)
    elif kind == "evaluate":
        model = model_service.model_to_run(session, project_id, params.get("model_id"))
        if not evaluable_image_ids(session, project_id):
            raise Invalid(
                "the holdout pool has no complete image: mark holdout images complete (every "
                "object boxed) to evaluate on them"
            )
        job.model_id = model.id
        persist_job(session, job)
        add_evaluate_task(session, job, model)
    else:
        raise Invalid(f"unknown job kind {kind!r}")
    job.params = {**params, "model_id": job.model_id}
    session.commit()
    return job


def persist_job(session: Session, job: Job) -> None:
    """Add ``job`` (flushed, so it has an id) and publish its event after the commit."""
    session.add(job)
    session.flush()
    publish_after_commit(session, job_event(job))


def _detect_image_ids(session: Session, project_id: int, image_ids: list[int] | None) -> list[int]:
    if image_ids:
        return _checked_image_ids(session, project_id, image_ids)
    return unannotated_adapt_image_ids(session, project_id)


def _prepare_adapt(session: Session, job: Job, params: dict[str, Any]) -> None:
    base = model_service.base_for_adapt(session, job.project_id, params.get("model_id"))
    if not trainable_image_ids(session, job.project_id):
        raise Invalid(
            "no complete image in the adapt pool: box every object on a few images and mark "
            "them complete (or move complete images to the adapt pool) before adapting"
        )
    if params.get("image_ids"):
        _checked_image_ids(session, job.project_id, params["image_ids"])
    job.model_id = base.id
    overrides = params.get("routine") or {}
    params["routine"] = merge_routine(base, overrides).model_dump()
    if params["routine"]["optimizer"] == "metasgd" and overrides.get("lr") is not None:
        raise Invalid(
            "routine.lr does not apply to the metasgd optimizer: it steps each weight by the "
            "rate the Meta-SGD model learned for it. Leave lr out, or choose the adam or sgd "
            "optimizer to set a learning rate"
        )
    check_learned_rates({**base.card, "name": base.name}, params["routine"])
    persist_job(session, job)
    add_task(session, job, "adapt", {"model_id": base.id})


def create_generate_job(
    session: Session, project_id: int, user: User, params: dict[str, Any]
) -> Job:
    job = Job(project_id=project_id, kind="generate", params=params, created_by_id=user.id)
    persist_job(session, job)
    add_task(session, job, "generate", {})
    session.commit()
    return job


# --- reading ----------------------------------------------------------------------------------


def get_job(session: Session, project_id: int, job_id: int) -> Job:
    job = session.get(Job, job_id)
    if job is None or job.project_id != project_id:
        raise NotFound(f"job {job_id} not found in project {project_id}")
    return job


def tasks_of(session: Session, job_id: int) -> list[Task]:
    return list(session.scalars(select(Task).where(Task.job_id == job_id).order_by(Task.id)))


JOB_ORDER = (SortKey(Job.id, True, "int"),)


def list_jobs(
    session: Session,
    project_id: int,
    state: str | None,
    kind: str | None,
    offset: int,
    limit: int,
    cursor: str | None = None,
) -> tuple[list[Job], str | None]:
    """A page of jobs, newest first, and the next page's cursor (None on the last page);
    indexes: project_id with id, state or kind."""
    query = select(Job).where(Job.project_id == project_id)
    if state:
        query = query.where(Job.state == state)
    if kind:
        query = query.where(Job.kind == kind)
    statement = page_query(query, "jobs", JOB_ORDER, cursor, offset, limit)
    rows = list(session.scalars(statement))
    next_cursor = encode_cursor("jobs", (rows[limit - 1].id,)) if len(rows) > limit else None
    return rows[:limit], next_cursor


# --- state ------------------------------------------------------------------------------------


def cancel_job(session: Session, job: Job) -> Job:
    session.refresh(job, with_for_update=True)  # serialised with the reports of its tasks
    if job.state in FINISHED_STATES:
        raise Conflict(f"job {job.id} is {job.state} already")
    now = utcnow()
    for task in tasks_of(session, job.id):
        if task.state not in FINISHED_STATES:
            task.state = "cancelled"
            task.finished_at = now
            task.lease_expires_at = None
            publish_after_commit(session, task_event(task, job.project_id))
    job.state = job.stage = "cancelled"
    job.finished_at = now
    job.timings = stage_timings(job, tasks_of(session, job.id))
    webhooks.job_finished(session, job)  # import.finished for an import; nothing else
    publish_after_commit(session, job_event(job))
    session.commit()
    return job


def refresh_job(session: Session, job: Job) -> None:
    """Make the job's state, progress, stage and timings follow its tasks; publish a change."""
    if job.state in FINISHED_STATES:
        return
    session.flush()
    tasks = tasks_of(session, job.id)
    before = (job.state, round(job.progress, 4), job.stage)
    now = utcnow()
    failed = next((t for t in tasks if t.state == "failed"), None)
    if failed is not None:
        job.state, job.error = "failed", f"{failed.kind} task {failed.id} failed: {failed.error}"
        _cancel_unfinished(session, job, tasks, now)
    elif tasks and all(t.state == "succeeded" for t in tasks):
        job.state = "succeeded"
    elif any(t.state in ("running", "succeeded") for t in tasks):
        job.state = "running"
    else:
        job.state = "queued"
    if job.state != "queued" and job.started_at is None:
        job.started_at = min((t.started_at for t in tasks if t.started_at), default=now)
    if job.state in FINISHED_STATES:
        job.finished_at = now
    job.progress = 1.0 if job.state == "succeeded" else job_progress(job, tasks)
    job.stage = _stage(job, tasks)
    job.timings = stage_timings(job, tasks)
    if (job.state, round(job.progress, 4), job.stage) != before:
        publish_after_commit(session, job_event(job))
    if job.state in FINISHED_STATES:
        webhooks.job_finished(session, job)  # an outbox row, in this transaction


def _cancel_unfinished(session: Session, job: Job, tasks: list[Task], now: datetime) -> None:
    for task in tasks:
        if task.state not in FINISHED_STATES:
            task.state, task.finished_at, task.lease_expires_at = "cancelled", now, None
            publish_after_commit(session, task_event(task, job.project_id))


def job_progress(job: Job, tasks: list[Task]) -> float:
    if not tasks:
        return 0.0
    if job.kind != "iterate":
        return sum(_task_progress(t) for t in tasks) / len(tasks)
    adapt = next((t for t in tasks if t.kind == "adapt"), None)
    rest = [t for t in tasks if t.kind != "adapt"]
    if adapt is None or adapt.state != "succeeded":
        return ITERATE_WEIGHTS["adapt"] * (_task_progress(adapt) if adapt else 0.0)
    later = sum(_task_progress(t) for t in rest) / len(rest) if rest else 1.0
    return ITERATE_WEIGHTS["adapt"] + ITERATE_WEIGHTS["rest"] * later


def _task_progress(task: Task) -> float:
    return 1.0 if task.state == "succeeded" else max(0.0, min(1.0, task.progress))


def _stage(job: Job, tasks: list[Task]) -> str:
    if job.state in FINISHED_STATES:
        return job.state
    unfinished = [t for t in tasks if t.state not in FINISHED_STATES]
    if not unfinished:
        return job.state
    running = [t for t in unfinished if t.state == "running"]
    current = (running or unfinished)[0]
    if current.state != "running":
        return f"{current.kind} (queued)"
    return (f"{current.kind}: {current.stage}" if current.stage else current.kind)[:64]


def _span(tasks: list[Task]) -> float | None:
    starts = [t.attempt_started_at for t in tasks if t.attempt_started_at]
    ends = [t.finished_at for t in tasks if t.finished_at and t.state == "succeeded"]
    if not starts or not ends or len(ends) < len(tasks):
        return None
    return round((max(ends) - min(starts)).total_seconds(), 3)


def stage_timings(job: Job, tasks: list[Task]) -> dict[str, Any]:
    """Seconds spent: waiting for a worker, in each stage (first start to last end), in total."""
    timings: dict[str, Any] = {}
    first_start = min((t.started_at for t in tasks if t.started_at), default=None)
    if first_start is not None:
        timings["queue_wait"] = round((first_start - job.created_at).total_seconds(), 3)
    for kind in ("generate", "adapt", "detect", "evaluate", "export_onnx"):
        of_kind = [t for t in tasks if t.kind == kind]
        span = _span(of_kind) if of_kind else None
        if span is not None:
            timings[kind] = span
            worker = [t.result_summary.get("seconds") for t in of_kind]
            if all(isinstance(s, int | float) for s in worker):
                timings[f"{kind}_worker_seconds"] = round(sum(worker), 3)
    if job.finished_at is not None:
        timings["total"] = round((job.finished_at - job.created_at).total_seconds(), 3)
    return timings
