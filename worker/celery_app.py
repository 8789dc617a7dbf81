"""The one Celery app. Task modules import it; the server sends tasks by name without it."""

from __future__ import annotations

from celery import Celery

from .config import load_settings

settings = load_settings()

app = Celery("metaloop", broker=settings.redis_url, include=["worker.tasks"])
app.conf.update(
    # a task is never lost: acknowledged only after it ran, re-queued if its process dies
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    # queues in the order given (WORKER_QUEUES: interactive first, then batch), never rotated:
    # a worker that is free takes interactive work whenever there is some
    broker_transport_options={
        "visibility_timeout": settings.visibility_timeout,
        "queue_order_strategy": "priority",
    },
    broker_connection_retry_on_startup=True,
    # messages carry ids only, never pickles
    task_serializer="json",
    accept_content=["json"],
    result_backend=None,
    task_ignore_result=True,
    task_default_queue=settings.queues[0],
    worker_hijack_root_logger=False,
    worker_send_task_events=False,
)
