"""The sweeper: re-enqueues tasks whose lease expired, fails them after MAX_ATTEMPTS (keeping the
reason), re-sends messages that could not be sent, and marks silent workers offline.

It runs as a thread in every API process; each change is a compare-and-set UPDATE, so when
several processes sweep at once exactly one of them acts on a given task.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from backend.db import Job, Task, Worker, utcnow
from backend.services.events import publish_after_commit, task_event, worker_event
from backend.services.jobs import refresh_job
from backend.services.queue import mark_enqueued, send_after_commit
from backend.settings import get_settings

log = logging.getLogger(__name__)


def expire_leases(session: Session) -> int:
    settings = get_settings()
    now = utcnow()
    expired = session.execute(
        select(
            Task.id, Task.job_id, Task.attempt_token, Task.attempt, Task.worker_name, Task.kind
        ).where(Task.state == "running", Task.lease_expires_at < now)
    ).all()
    session.rollback()  # end the read; each task gets its own transaction below
    acted = 0
    for task_id, job_id, token, attempt, worker, kind in expired:
        job = session.get_one(Job, job_id, with_for_update=True, populate_existing=True)
        reason = f"lease expired on attempt {attempt} (worker {worker} stopped reporting)"
        if attempt >= settings.max_attempts:
            values = {
                "state": "failed",
                "finished_at": now,
                "error": f"{reason}; gave up after {attempt} attempts",
            }
        else:
            values = {"state": "queued", "error": reason, "worker_name": None, "enqueued_at": now}
        changed = session.execute(
            update(Task)
            .where(Task.id == task_id, Task.state == "running", Task.attempt_token == token)
            .values(attempt_token=None, lease_expires_at=None, **values)
            .execution_options(synchronize_session=False)
        ).rowcount
        if changed != 1:
            session.rollback()
            continue
        task = session.get_one(Task, task_id, populate_existing=True)
        if task.state == "queued":
            send_after_commit(session, task_id, kind)
        log.warning("task %s: %s -> %s", task_id, reason, task.state)
        publish_after_commit(session, task_event(task, job.project_id))
        refresh_job(session, job)
        session.commit()
        acted += 1
    return acted


def resend_unsent(session: Session) -> int:
    """Send again messages that failed to send, or that are older than the visibility timeout."""
    settings = get_settings()
    stale = utcnow() - timedelta(seconds=settings.visibility_timeout)
    rows = session.execute(
        select(Task.id, Task.kind, Task.enqueued_at).where(
            Task.state == "queued", or_(Task.enqueued_at.is_(None), Task.enqueued_at < stale)
        )
    ).all()
    session.rollback()
    sent = 0
    for task_id, kind, enqueued_at in rows:
        if mark_enqueued(session, task_id, kind, enqueued_at):
            send_after_commit(session, task_id, kind)
            session.commit()
            sent += 1
        else:
            session.rollback()
    return sent


def mark_silent_workers_offline(session: Session) -> int:
    limit = utcnow() - timedelta(seconds=get_settings().worker_online_seconds)
    silent = session.scalars(
        select(Worker).where(Worker.state != "offline", Worker.last_seen < limit)
    ).all()
    for worker in silent:
        changed = session.execute(
            update(Worker)
            .where(Worker.id == worker.id, Worker.last_seen == worker.last_seen)
            .values(state="offline", busy_task_id=None)
            .execution_options(synchronize_session=False)
        ).rowcount
        if changed == 1:
            session.refresh(worker)
            publish_after_commit(session, worker_event(worker))
    session.commit()
    return len(silent)


def sweep_once(factory: sessionmaker[Session]) -> None:
    with factory() as session:
        expire_leases(session)
        resend_unsent(session)
        mark_silent_workers_offline(session)


class Sweeper(threading.Thread):
    def __init__(self, factory: sessionmaker[Session], interval: float) -> None:
        super().__init__(name="metaloop-sweeper", daemon=True)
        self.factory = factory
        self.interval = interval
        self._stop_event = threading.Event()

    def run(self) -> None:
        log.info("sweeper started (every %.1f s)", self.interval)
        while not self._stop_event.wait(self.interval):
            try:
                sweep_once(self.factory)
            except Exception:  # keep sweeping: one bad pass (database restarting) is not fatal
                log.exception("sweep failed")

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=10)
