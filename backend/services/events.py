"""Events on the Redis channel `metaloop:events` (docs/contracts.md §5), published after commit.

Their shapes are ``contracts.events``; ``GET /api/events`` forwards them to browsers."""

from __future__ import annotations

import logging
from functools import lru_cache

import redis
from sqlalchemy.orm import Session

from backend.db import Job, Task, Worker
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


def publish(event: ServerEvent) -> None:
    settings = get_settings()
    if not settings.redis_url:
        log.debug("no REDIS_URL: event not published: %s", event)
        return
    try:
        _client(settings.redis_url).publish(settings.events_channel, event.model_dump_json())
    except redis.RedisError as error:
        log.warning("could not publish event %s: %s", event.type, error)


def publish_after_commit(session: Session, event: ServerEvent) -> None:
    after_commit(session, lambda: publish(event))


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
