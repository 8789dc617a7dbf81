"""Sending Celery messages by task name, without importing the worker package or torch.

The backend's Celery app only publishes; its settings mirror the worker's (docs/contracts.md §1).
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from functools import lru_cache

from celery import Celery
from sqlalchemy import update
from sqlalchemy.orm import Session

from backend.db import Task, utcnow
from backend.services.outbox import after_commit
from backend.settings import get_settings

log = logging.getLogger(__name__)
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


def send_task_message(task_id: int, kind: str) -> None:
    """Publish the message for one task; raises when the broker cannot be reached."""
    settings = get_settings()
    if not settings.redis_url:
        raise RuntimeError("REDIS_URL is not set: cannot send task messages")
    app = celery_app(settings.redis_url, settings.visibility_timeout)
    with _send_lock:
        app.send_task(
            task_name(kind),
            args=[task_id],
            queue=settings.task_queue,
            retry=True,
            retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5},
        )
    log.info("sent %s for task %s to queue %s", task_name(kind), task_id, settings.task_queue)


def send_after_commit(session: Session, task_id: int, kind: str) -> None:
    """Send the task's message once the transaction is committed.

    If sending fails, the task's enqueued_at is cleared, so the sweeper sends it again later.
    """
    bind = session.get_bind()

    def send() -> None:
        try:
            send_task_message(task_id, kind)
        except Exception as error:
            log.warning("could not send task %s (%s); the sweeper will retry", task_id, error)
            with bind.begin() as connection:
                connection.execute(update(Task).where(Task.id == task_id).values(enqueued_at=None))

    after_commit(session, send)


def enqueue_after_commit(session: Session, task: Task) -> None:
    """Mark the (flushed) task as enqueued now and send its message once committed."""
    task.enqueued_at = utcnow()
    send_after_commit(session, task.id, task.kind)


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
