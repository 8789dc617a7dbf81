"""Events on the Redis channel `metaloop:events` (docs/contracts.md §5), published after commit."""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from typing import Any

import redis
from sqlalchemy.orm import Session

from backend.db import Job, Task, Worker
from backend.services.outbox import after_commit
from backend.settings import get_settings

log = logging.getLogger(__name__)


@lru_cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)


def publish(event: dict[str, Any]) -> None:
    settings = get_settings()
    if not settings.redis_url:
        log.debug("no REDIS_URL: event not published: %s", event)
        return
    try:
        _client(settings.redis_url).publish(settings.events_channel, json.dumps(event))
    except redis.RedisError as error:
        log.warning("could not publish event %s: %s", event.get("type"), error)


def publish_after_commit(session: Session, event: dict[str, Any]) -> None:
    after_commit(session, lambda: publish(event))


def job_event(job: Job, data: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "type": "job",
        "id": job.id,
        "project_id": job.project_id,
        "state": job.state,
        "progress": job.progress,
        "stage": job.stage,
        "data": {"kind": job.kind, "error": job.error, **(data or {})},
    }


def task_event(task: Task, project_id: int, data: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "type": "task",
        "id": task.id,
        "project_id": project_id,
        "state": task.state,
        "progress": task.progress,
        "stage": task.stage,
        "data": {
            "job_id": task.job_id,
            "kind": task.kind,
            "attempt": task.attempt,
            "worker": task.worker_name,
            "error": task.error,
            **(data or {}),
        },
    }


def worker_event(worker: Worker) -> dict[str, Any]:
    return {
        "type": "worker",
        "id": worker.id,
        "state": worker.state,
        "data": {
            "name": worker.name,
            "host": worker.host,
            "device": worker.device,
            "busy_task_id": worker.busy_task_id,
        },
    }
