"""The task lifecycle seen from workers (docs/contracts.md §2; docs/architecture.md, reliability).

Every start opens an attempt with a fresh token and a lease. Reports must carry the token of the
current attempt; anything else is refused (409), so a redelivered task cannot write twice. The
state transitions are compare-and-set UPDATEs, safe with several API processes.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from backend.db import Job, Task, utcnow
from backend.db.jobs import FINISHED_STATES
from backend.services.blobs import BlobStore
from backend.services.errors import Conflict, NotFound
from backend.services.events import publish_after_commit, task_event
from backend.services.jobs import refresh_job
from backend.services.queue import dispatch_after_commit, enqueue_after_commit
from backend.services.results import apply_result
from backend.services.specs import build_spec
from backend.services.workers import mark_busy, mark_idle
from backend.settings import get_settings
from contracts.tasks import TaskSpec

MAX_LOSS_POINTS = 10_000


def _load(session: Session, task_id: int) -> tuple[Task, Job]:
    """The task and its job, the job row locked (FOR UPDATE on PostgreSQL; SQLite transactions
    are serialised anyway): reports of sibling tasks then settle the job one after the other, so
    the last one to finish sees all the others finished."""
    task = session.get(Task, task_id)
    if task is None:
        raise NotFound(f"task {task_id} not found")
    job = session.get_one(Job, task.job_id, with_for_update=True, populate_existing=True)
    session.refresh(task)
    return task, job


def _cas(session: Session, task: Task, expected: dict[str, Any], values: dict[str, Any]) -> bool:
    """UPDATE the task only if its columns still hold `expected`; true when it did."""
    conditions = [
        getattr(Task, k) == v if v is not None else getattr(Task, k).is_(None)
        for k, v in expected.items()
    ]
    changed = session.execute(
        update(Task)
        .where(Task.id == task.id, *conditions)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed == 1:
        session.refresh(task)
    return changed == 1


def _give_up(session: Session, task: Task, job: Job, reason: str) -> None:
    if _cas(
        session,
        task,
        {"state": task.state, "attempt": task.attempt},
        {
            "state": "failed",
            "error": reason,
            "finished_at": utcnow(),
            "attempt_token": None,
            "lease_expires_at": None,
        },
    ):
        publish_after_commit(session, task_event(task, job.project_id))
        refresh_job(session, job)


def start(session: Session, task_id: int, worker: str) -> TaskSpec:
    settings = get_settings()
    task, job = _load(session, task_id)
    now = utcnow()
    if task.state in FINISHED_STATES or job.state in FINISHED_STATES:
        raise Conflict(f"task {task_id} is {task.state} (job {job.id} is {job.state}): drop it")
    if task.state == "running" and task.lease_expires_at and task.lease_expires_at > now:
        raise Conflict(f"task {task_id} is running on {task.worker_name} under a live lease")
    if task.attempt >= settings.max_attempts:
        _give_up(
            session,
            task,
            job,
            f"gave up after {task.attempt} attempts; last error: {task.error or 'lease expired'}",
        )
        session.commit()
        raise Conflict(f"task {task_id} failed: it had {task.attempt} attempts already")
    opened = _cas(
        session,
        task,
        {"state": task.state, "attempt": task.attempt},
        {
            "state": "running",
            "attempt": task.attempt + 1,
            "attempt_token": secrets.token_hex(16),
            "lease_expires_at": now + timedelta(seconds=settings.lease_seconds),
            "worker_name": worker,
            "attempt_started_at": now,
            "started_at": task.started_at or now,
            "progress": 0.0,
            "stage": "",
            "message": "",
        },
    )
    if not opened:
        raise Conflict(f"task {task_id} was started by someone else just now")
    spec = build_spec(session, task, job, settings.lease_seconds)
    publish_after_commit(session, task_event(task, job.project_id))
    mark_busy(session, worker, task.id)
    refresh_job(session, job)
    if task.lane == "batch":  # one of its project's waiting messages left the queue: refill
        dispatch_after_commit(session, job.project_id)
    session.commit()
    return spec


def _current(session: Session, task_id: int, token: str) -> tuple[Task, Job]:
    task, job = _load(session, task_id)
    if task.attempt_token is None or not secrets.compare_digest(task.attempt_token, token):
        raise Conflict(
            f"stale attempt token for task {task_id} (now on attempt {task.attempt}, "
            f"{task.state}): stop and drop it"
        )
    return task, job


def progress(
    session: Session,
    task_id: int,
    token: str,
    fraction: float,
    stage: str | None,
    message: str | None,
    points: list[dict[str, float]] | None,
) -> tuple[bool, datetime | None]:
    """Renew the lease and record progress; answers (cancelled, lease expiry)."""
    task, job = _current(session, task_id, token)
    if task.state == "cancelled" or job.state == "cancelled":
        return True, None
    if task.state != "running":
        raise Conflict(f"task {task_id} is {task.state}")
    lease = utcnow() + timedelta(seconds=get_settings().lease_seconds)
    values: dict[str, Any] = {"lease_expires_at": lease, "progress": fraction}
    if stage is not None:
        values["stage"] = stage[:64]
    if message is not None:
        values["message"] = message
    if points:
        values["loss_points"] = (task.loss_points + [[p["step"], p["loss"]] for p in points])[
            -MAX_LOSS_POINTS:
        ]
    if not _cas(session, task, {"state": "running", "attempt_token": token}, values):
        raise Conflict(f"stale attempt token for task {task_id}")
    new_points = [(int(p["step"]), p["loss"]) for p in points] if points else None
    publish_after_commit(session, task_event(task, job.project_id, new_points))
    refresh_job(session, job)
    session.commit()
    return False, lease


def submit_result(
    session: Session, store: BlobStore, task_id: int, token: str, result: dict[str, Any]
) -> None:
    task, job = _current(session, task_id, token)
    if task.state != "running" or job.state in FINISHED_STATES:
        raise Conflict(f"task {task_id} is {task.state} already: result refused")
    if not _cas(
        session,
        task,
        {"state": "running", "attempt_token": token},
        {"state": "succeeded", "progress": 1.0, "finished_at": utcnow(), "lease_expires_at": None},
    ):
        raise Conflict(f"task {task_id} is finished already: result refused")
    task.result_summary = apply_result(session, store, task, job, result)
    publish_after_commit(session, task_event(task, job.project_id))
    mark_idle(session, task.worker_name, task.id)
    refresh_job(session, job)
    session.commit()


def fail(session: Session, task_id: int, token: str, reason: str, retry: bool) -> str:
    task, job = _current(session, task_id, token)
    if task.state != "running":
        raise Conflict(f"task {task_id} is {task.state}")
    worker_name = task.worker_name
    if retry and task.attempt < get_settings().max_attempts and job.state not in FINISHED_STATES:
        values = {
            "state": "queued",
            "error": reason,
            "attempt_token": None,
            "lease_expires_at": None,
            "worker_name": None,
        }
    else:
        values = {
            "state": "failed",
            "error": reason,
            "attempt_token": None,
            "lease_expires_at": None,
            "finished_at": utcnow(),
        }
    if not _cas(session, task, {"state": "running", "attempt_token": token}, values):
        raise Conflict(f"stale attempt token for task {task_id}")
    if task.state == "queued":
        enqueue_after_commit(session, task)
    mark_idle(session, worker_name, task.id)
    publish_after_commit(session, task_event(task, job.project_id))
    refresh_job(session, job)
    session.commit()
    return task.state
