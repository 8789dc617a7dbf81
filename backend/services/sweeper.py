"""The sweeper: re-enqueues tasks whose lease expired, fails them after MAX_ATTEMPTS (keeping the
reason), sends again the messages of tasks still queued (the database is the source of truth,
the broker may have lost them), dispatches batch work fairly, and marks silent workers offline.

It runs as a thread in every API process; each change is a compare-and-set UPDATE, so when
several processes sweep at once exactly one of them acts on a given task. Before its first
sweep it renews every running task's lease (:func:`renew_leases_on_startup`), so time the API
was down never counts against a lease.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

import redis
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from backend.db import Job, Task, Worker, utcnow
from backend.services import events, import_jobs
from backend.services.events import publish_after_commit, task_event, worker_event
from backend.services.jobs import refresh_job
from backend.services.queue import (
    dispatch_after_commit,
    dispatch_batch,
    mark_enqueued,
    send_after_commit,
)
from backend.settings import get_settings

log = logging.getLogger(__name__)


def expire_leases(session: Session) -> int:
    settings = get_settings()
    now = utcnow()
    expired = session.execute(
        select(
            Task.id,
            Task.job_id,
            Task.attempt_token,
            Task.attempt,
            Task.worker_name,
            Task.kind,
            Task.lane,
        ).where(Task.state == "running", Task.lease_expires_at < now)
    ).all()
    session.rollback()  # end the read; each task gets its own transaction below
    acted = 0
    for task_id, job_id, token, attempt, worker, kind, lane in expired:
        job = session.get_one(Job, job_id, with_for_update=True, populate_existing=True)
        reason = f"lease expired on attempt {attempt} (worker {worker} stopped reporting)"
        if attempt >= settings.max_attempts:
            values = {
                "state": "failed",
                "finished_at": now,
                "error": f"{reason}; gave up after {attempt} attempts",
            }
        else:
            # a batch task waits for its project's share of the batch queue (dispatch_batch)
            sent_at = None if lane == "batch" else now
            values = {
                "state": "queued",
                "error": reason,
                "worker_name": None,
                "enqueued_at": sent_at,
            }
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
        if task.state == "queued" and lane == "batch":
            dispatch_after_commit(session, job.project_id)
        elif task.state == "queued":
            send_after_commit(session, task_id, kind, lane)
        log.warning("task %s: %s -> %s", task_id, reason, task.state)
        publish_after_commit(session, task_event(task, job.project_id))
        refresh_job(session, job)
        session.commit()
        acted += 1
    return acted


def resend_unsent(session: Session, sent_before: datetime | None = None) -> int:
    """Send again the messages of queued tasks that the broker may not hold; commits.

    The rule (the database is the source of truth; a duplicate message is harmless because a
    worker's start of a task that is running under a live lease or finished is refused with
    409, and the worker drops the message):

    * a task whose message could not be sent (``enqueued_at`` NULL) is sent now, except batch
      tasks, which :func:`~backend.services.queue.dispatch_batch` sends within their project's
      share of the batch queue;
    * a task still queued REQUEUE_AFTER_SECONDS (30 s) after its message was sent is sent
      again (the broker may have lost it: Redis restarted without persistence);
    * with ``sent_before`` (the broker came back, see :class:`BrokerWatch`), every queued task
      whose message was sent before that moment is sent again now. Messages sent after it went
      to the broker as it is now and are not sent twice.

    Returns:
        how many messages were claimed for sending.
    """
    settings = get_settings()
    now = utcnow()
    if sent_before is not None:
        due = Task.enqueued_at < sent_before
    else:
        due = Task.enqueued_at < now - timedelta(seconds=max(0.0, settings.requeue_after_seconds))
    unsent = Task.enqueued_at.is_(None) & (Task.lane != "batch")
    rows = session.execute(
        select(Task.id, Task.kind, Task.lane, Task.enqueued_at)
        .where(Task.state == "queued", or_(unsent, due))
        .order_by(Task.id)
    ).all()
    session.rollback()
    sent = 0
    for task_id, kind, lane, enqueued_at in rows:
        if mark_enqueued(session, task_id, kind, enqueued_at):
            send_after_commit(session, task_id, kind, lane)
            session.commit()
            sent += 1
        else:
            session.rollback()
    if sent:
        back = " (broker back)" if sent_before is not None else ""
        log.info("re-sent the messages of %d queued task(s)%s", sent, back)
    return sent


def renew_leases_on_startup(session: Session) -> int:
    """Renew the lease of every running task to LEASE_SECONDS from now; commits.

    Workers renew leases through the API, so while the API was down no lease could be
    renewed; without this the first sweep after a restart would expire leases of workers that
    are alive and busy. Run once per API process, before its first sweep. A task whose worker
    really died is re-enqueued one lease period later than it would have been.

    Returns:
        how many leases were renewed.
    """
    until = utcnow() + timedelta(seconds=get_settings().lease_seconds)
    renewed = session.execute(
        update(Task)
        .where(
            Task.state == "running",
            or_(Task.lease_expires_at.is_(None), Task.lease_expires_at < until),
        )
        .values(lease_expires_at=until)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.commit()
    if renewed:
        log.warning(
            "renewed the leases of %d running task(s) to %.0f s from now: the API was down, "
            "so their workers could not renew them",
            renewed,
            get_settings().lease_seconds,
        )
    return renewed


class BrokerWatch:
    """Notices the broker (Redis) coming back: unreachable then reachable again, or restarted
    between two checks (a new ``run_id``), since a Redis without persistence comes back empty.
    The first successful check counts as coming back too, for the messages of tasks queued
    before this process started (no process may have watched the broker then); tasks queued
    since were sent by a process that saw the broker up (a failed send leaves a task unsent)."""

    def __init__(self, url: str | None) -> None:
        self.url = url
        self.run_id: str | None = None
        self.down = False
        self.down_seen_at: datetime | None = None
        self.created_at = utcnow()
        self._client: redis.Redis | None = None

    def check(self) -> datetime | None:
        """When the broker is reachable and came back since the last check: the moment before
        which sent messages may be lost (the last check that found it unreachable; at the first
        contact, this watch's creation; after a restart seen by its new run id, this check's
        start); None otherwise.

        A message sent after a failed check was sent while the broker was reachable again, so
        it is held by the broker as it is now (a failed send leaves the task unsent)."""
        if not self.url:
            return None
        started = utcnow()
        if self._client is None:
            self._client = redis.Redis.from_url(
                self.url, socket_connect_timeout=1.0, socket_timeout=2.0
            )
        try:
            run_id = str(self._client.info("server").get("run_id", ""))
        except redis.RedisError as error:
            if not self.down:
                log.warning("the broker at %s is unreachable: %s", self.url, error)
            self.down, self.down_seen_at = True, started
            return None
        cutoff: datetime | None = None
        if self.down and self.down_seen_at is not None:
            cutoff = self.down_seen_at
        elif self.run_id is None:
            cutoff = self.created_at
        elif run_id != self.run_id:
            cutoff = started
        if cutoff is not None and (self.down or self.run_id is not None):
            # (not at a first contact with a broker never seen down: nothing came back then)
            how = "is reachable again" if self.down else "restarted"
            log.warning("the broker %s: sending queued tasks' messages again", how)
        self.down, self.run_id = False, run_id
        return cutoff

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


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


def sweep_once(factory: sessionmaker[Session], broker: BrokerWatch | None = None) -> None:
    """One pass: expire leases, re-send queued tasks' messages (all those sent before the broker
    came back, when ``broker`` saw that), dispatch batch work, mark silent workers offline, fail
    imports cut off (and delete their uploads), delete logged events past their retention."""
    sent_before = broker.check() if broker is not None else None
    with factory() as session:
        expire_leases(session)
        resend_unsent(session, sent_before=sent_before)
        dispatch_batch(session)
        mark_silent_workers_offline(session)
        import_jobs.sweep(session)
        events.prune(session)


class Sweeper(threading.Thread):
    def __init__(self, factory: sessionmaker[Session], interval: float) -> None:
        super().__init__(name="metaloop-sweeper", daemon=True)
        self.factory = factory
        self.interval = interval
        self.broker = BrokerWatch(get_settings().redis_url)
        self._stop_event = threading.Event()

    def run(self) -> None:
        log.info("sweeper started (every %.1f s)", self.interval)
        try:
            with self.factory() as session:
                renew_leases_on_startup(session)
        except Exception:  # the database may be starting: the leases then stay as they are
            log.exception("could not renew leases on start-up")
        while not self._stop_event.wait(self.interval):
            try:
                sweep_once(self.factory, self.broker)
            except Exception:  # keep sweeping: one bad pass (database restarting) is not fatal
                log.exception("sweep failed")
        self.broker.close()

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=10)
