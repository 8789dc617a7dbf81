"""The one Celery app. Task modules import it; the server sends tasks by name without it."""

from __future__ import annotations

import logging
import os
import signal

from celery import Celery
from celery.signals import worker_init, worker_process_init

from .config import load_settings

log = logging.getLogger("worker")
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


def apply_torch_threads() -> int:
    """Set torch's threads in this process from WORKER_TORCH_THREADS (``python -m worker`` has
    resolved ``auto`` to a number already; under a bare ``celery worker`` it divides the usable
    cores among WORKERS_PER_HOST × the pool's processes). Returns the figure set."""
    from .engine.device import set_torch_threads, torch_threads

    processes = settings.workers_per_host * int(app.conf.worker_concurrency or 1)
    return set_torch_threads(torch_threads(settings.torch_threads, processes))


@worker_process_init.connect
def _pool_process_started(**_kwargs) -> None:
    # each prefork pool process, before its first task (and before any torch work in it)
    count = apply_torch_threads()
    log.info("task process %s: %s torch threads", os.getpid(), count)


# the worker's main process, for its pool's processes (which inherit the variable)
MAIN_PID_VARIABLE = "METALOOP_WORKER_MAIN_PID"


@worker_init.connect
def _worker_starting(**_kwargs) -> None:
    # sent before the pool's processes are started, so they inherit it
    os.environ[MAIN_PID_VARIABLE] = str(os.getpid())


def stop_worker(reason: str) -> bool:
    """Ask this worker's main process for Celery's warm shutdown (SIGTERM): it finishes what
    runs, takes no more messages, and exits. Returns False, having only logged ``reason``,
    outside a Celery worker (a task called in-process, as tests do)."""
    log.error("stopping this worker: %s", reason)
    pid = os.environ.get(MAIN_PID_VARIABLE)
    if not pid:
        return False
    os.kill(int(pid), signal.SIGTERM)
    return True
