"""Sending Celery messages by task name, without importing the worker package or torch.

The backend's Celery app only publishes; its settings mirror the worker's (docs/contracts.md §1).
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from functools import lru_cache

from celery import Celery
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from backend.db import Job, Task, utcnow
from backend.services.outbox import _KEY as _OUTBOX_KEY
from backend.services.outbox import after_commit
from backend.settings import get_settings

log = logging.getLogger(__name__)
_UNSET = object()
_send_lock = threading.Lock()  # kombu producers are not meant to be shared between threads


@lru_cache
def celery_app(broker_url: str, visibility_timeout: int) -> Celery:
    app = Celery("metaloop-backend", broker=broker_url)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_transport_options={"visibility_timeout": visibility_timeout},
        task_serializer="json",
        accept_content=["json"],
        result_serializer="json",
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
    )
    return app


def task_name(kind: str) -> str:
    return f"metaloop.{kind}"


def queue_for(lane: str) -> str:
    """The Celery queue of a lane: TASK_QUEUE for ``interactive``, TASK_QUEUE.batch for
    ``batch`` (workers consume both, interactive first: worker/celery_app.py)."""
    settings = get_settings()
    return settings.batch_queue if lane == "batch" else settings.task_queue


def send_task_message(task_id: int, kind: str, lane: str = "interactive") -> None:
    """Publish the message for one task to its lane's queue; raises when the broker cannot be
    reached (after two quick retries)."""
    settings = get_settings()
    if not settings.redis_url:
        raise RuntimeError("REDIS_URL is not set: cannot send task messages")
    app = celery_app(settings.redis_url, settings.visibility_timeout)
    queue = queue_for(lane)
    with _send_lock:
        app.send_task(
            task_name(kind),
            args=[task_id],
            queue=queue,
            retry=True,
            retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5},
        )
    log.info("sent %s for task %s to queue %s", task_name(kind), task_id, queue)


def send_after_commit(session: Session, task_id: int, kind: str, lane: str = "interactive") -> None:
    """Send the task's message once the transaction is committed.

    If sending fails, the task's enqueued_at is cleared, so the sweeper sends it again later.
    """
    bind = session.get_bind()

    def send() -> None:
        try:
            send_task_message(task_id, kind, lane)
        except Exception as error:
            log.warning("could not send task %s (%s); the sweeper will retry", task_id, error)
            with bind.begin() as connection:
                connection.execute(update(Task).where(Task.id == task_id).values(enqueued_at=None))

    after_commit(session, send)


def enqueue_after_commit(session: Session, task: Task) -> None:
    """Mark the (flushed) task as enqueued now and send its message once committed.

    A batch task is not sent here: it waits with ``enqueued_at`` NULL until
    :func:`backend.services.fairness.dispatch_batch` sends it within its project's share.
    """
    if task.lane == "batch":
        task.enqueued_at = None
        dispatch_after_commit(session)
        return
    task.enqueued_at = utcnow()
    send_after_commit(session, task.id, task.kind, task.lane)


def mark_enqueued(
    session: Session, task_id: int, kind: str, seen_enqueued_at: datetime | None
) -> bool:
    """Compare-and-set claim to (re)send a task's message; true when this process won it."""
    claimed = session.execute(
        update(Task)
        .where(Task.id == task_id, Task.state == "queued")
        .where(
            Task.enqueued_at.is_(None)
            if seen_enqueued_at is None
            else Task.enqueued_at == seen_enqueued_at
        )
        .values(enqueued_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    return claimed == 1


# --- fairness: each project's share of the batch queue ------------------------------------------


def dispatch_batch(session: Session, project_id: int | None = None) -> int:
    """Send unsent batch tasks so that each project has at most BATCH_WAITING_PER_PROJECT
    messages waiting in the batch queue (sent, not started); oldest tasks first. Commits.

    The rule: a batch task is queued with ``enqueued_at`` NULL and sent only here, when its
    project has room; its project gets room again when one of its waiting tasks starts (the
    worker API calls this then) or leaves the queue. The batch queue therefore holds a few
    messages of every project with batch work, so a worker that takes the next batch message
    serves the projects in turn, and one project's thousand chunks cannot delay another's
    first. Several API processes dispatching at the same moment can exceed the share by a
    little (each claim is a compare-and-set, so no task is sent twice by this).

    Arguments:
        project_id: only this project's tasks (None: every project's).
    Returns:
        how many messages were claimed for sending (sent once the commit is done).
    """
    cap = max(1, get_settings().batch_waiting_per_project)
    scope = [Job.project_id == project_id] if project_id is not None else []
    waiting = dict(
        session.execute(
            select(Job.project_id, func.count(Task.id))
            .join(Job, Job.id == Task.job_id)
            .where(Task.lane == "batch", Task.state == "queued", Task.enqueued_at.is_not(None))
            .where(*scope)
            .group_by(Job.project_id)
        ).all()
    )
    unsent = session.execute(
        select(Task.id, Task.kind, Job.project_id)
        .join(Job, Job.id == Task.job_id)
        .where(Task.lane == "batch", Task.state == "queued", Task.enqueued_at.is_(None))
        .where(*scope)
        .order_by(Task.id)
    ).all()
    claimed = 0
    for task_id, kind, project in unsent:
        if waiting.get(project, 0) >= cap:
            continue
        if mark_enqueued(session, task_id, kind, None):
            waiting[project] = waiting.get(project, 0) + 1
            send_after_commit(session, task_id, kind, "batch")
            claimed += 1
    session.commit()
    return claimed


def dispatch_after_commit(session: Session, project_id: int | None = None) -> None:
    """Run :func:`dispatch_batch` in its own session once this transaction is committed (once
    per transaction and project_id)."""
    pending = session.info.get(_OUTBOX_KEY, [])
    if any(getattr(action, "dispatch_project", _UNSET) == project_id for action in pending):
        return
    bind = session.get_bind()

    def dispatch() -> None:
        with Session(bind=bind) as fresh:
            dispatch_batch(fresh, project_id)

    dispatch.dispatch_project = project_id  # type: ignore[attr-defined]
    after_commit(session, dispatch)
