"""Events on the Redis channel `metaloop:events` (docs/contracts.md §5), published after commit.

Their shapes are ``contracts.events``; ``GET /api/events`` forwards them to browsers. Each event
is also written to ``event_log`` in the transaction that makes the change, and its row id is the
event's SSE id: a client that reconnects with ``Last-Event-ID`` is sent what it missed from
there, whatever happened to Redis meanwhile. A Redis message is ``{"seq": <row id>, "event":
<the event>}``. Rows older than ``EVENT_RETENTION_SECONDS`` are deleted by the sweeper."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from functools import lru_cache
from typing import Any

import redis
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from backend.db import EventRecord, Job, Task, Worker, utcnow
from backend.services.outbox import after_commit
from backend.settings import get_settings
from contracts.events import (
    JobEvent,
    JobEventData,
    ServerEvent,
    TaskEvent,
    TaskEventData,
    WorkerEvent,
    WorkerEventData,
)

log = logging.getLogger(__name__)


@lru_cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)


def _publish(seq: int, payload: dict[str, Any]) -> None:
    settings = get_settings()
    if not settings.redis_url:
        log.debug("no REDIS_URL: event %s not published", seq)
        return
    message = json.dumps({"seq": seq, "event": payload})
    try:
        _client(settings.redis_url).publish(settings.events_channel, message)
    except redis.RedisError as error:  # the log row stays: a reconnecting client gets it
        log.warning("could not publish event %s (%s): %s", seq, payload.get("type"), error)


def publish_after_commit(session: Session, event: ServerEvent) -> None:
    """Log the event in the session's transaction and publish it once that commits."""
    payload = event.model_dump(mode="json")
    record = EventRecord(
        project_id=getattr(event, "project_id", None), type=event.type, payload=payload
    )
    session.add(record)
    after_commit(session, lambda: _publish(record.id, payload))


def replay(
    session: Session, after: int, project_ids: set[int], limit: int
) -> list[tuple[int, dict[str, Any]]]:
    """Logged events after id `after` of these projects, and worker events: (id, event)."""
    rows = session.execute(
        select(EventRecord.id, EventRecord.payload)
        .where(
            EventRecord.id > after,
            or_(EventRecord.project_id.in_(project_ids), EventRecord.project_id.is_(None)),
        )
        .order_by(EventRecord.id)
        .limit(limit)
    )
    return [(seq, payload) for seq, payload in rows]


def last_id(session: Session) -> int:
    return session.scalar(select(func.max(EventRecord.id))) or 0


def prune(session: Session) -> int:
    """Delete logged events older than the retention; returns how many."""
    limit = utcnow() - timedelta(seconds=get_settings().event_retention_seconds)
    deleted = session.execute(delete(EventRecord).where(EventRecord.created_at < limit))
    session.commit()
    return deleted.rowcount or 0


def job_event(job: Job) -> JobEvent:
    return JobEvent(
        id=job.id,
        project_id=job.project_id,
        state=job.state,
        progress=job.progress,
        stage=job.stage,
        data=JobEventData(kind=job.kind, error=job.error),
    )


def task_event(
    task: Task, project_id: int, points: list[tuple[int, float]] | None = None
) -> TaskEvent:
    return TaskEvent(
        id=task.id,
        project_id=project_id,
        state=task.state,
        progress=task.progress,
        stage=task.stage,
        data=TaskEventData(
            job_id=task.job_id,
            kind=task.kind,
            attempt=task.attempt,
            worker=task.worker_name,
            error=task.error,
            points=points,
        ),
    )


def worker_event(worker: Worker) -> WorkerEvent:
    return WorkerEvent(
        id=worker.id,
        state=worker.state,
        data=WorkerEventData(
            name=worker.name,
            host=worker.host,
            device=worker.device,
            busy_task_id=worker.busy_task_id,
        ),
    )
