"""Why a job waits: its place in its lane's queue and an estimated start, from the database.

The rule (also in the answer's ``rule``):

* The job's next task is its first queued task; its lane is that task's (interactive or batch).
* Ahead of it: the queued tasks of every project that a worker takes first. Workers consume the
  interactive queue before the batch one (worker/celery_app.py), so ahead of an interactive task
  are the interactive tasks queued before it; ahead of a batch task, every queued interactive
  task and the batch tasks queued before it. Queue order is the order tasks were queued in. For
  batch work this ignores the per-project share (docs/architecture.md, "Queues and fairness"):
  the estimate is then an upper bound.
* A task's typical duration is the median run time (attempt start to finish) of the last
  ``RECENT_TASKS`` succeeded tasks of its kind; ``DEFAULT_SECONDS`` when there is none.
* Each online worker runs one task at a time. A free worker is free now; a busy one when its
  task's typical duration, less the part its progress says is done, has passed. The tasks ahead
  go, in queue order, to the worker free first; the job starts when a worker is free after them.
* With no worker online there is no estimate: the job waits until one starts.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from backend.db import Job, Task, Worker, utcnow
from backend.services.workers import is_online

RECENT_TASKS = 20
DEFAULT_SECONDS = 60.0
RULE = (
    "Tasks ahead: queued tasks a worker takes first (interactive before batch, then in the "
    "order queued). Each online worker runs one task at a time; each task is expected to take "
    f"the median run time of the last {RECENT_TASKS} succeeded tasks of its kind "
    f"({DEFAULT_SECONDS:.0f} s when none has run), a running one less the part done."
)


@dataclass(frozen=True)
class QueuePosition:
    job_id: int
    queued: bool
    lane: str | None = None
    position: int | None = None  # 1 = next to start
    tasks_ahead: int = 0
    workers_online: int = 0
    workers_free: int = 0
    estimated_wait_seconds: float | None = None
    estimated_start_at: datetime | None = None
    rule: str = RULE


def _queued_at(task: Task) -> datetime:
    return task.enqueued_at or task.created_at


def typical_seconds(session: Session, kind: str) -> float:
    """Median run time of the recent succeeded tasks of this kind (DEFAULT_SECONDS if none)."""
    rows = session.execute(
        select(Task.attempt_started_at, Task.finished_at)
        .where(
            Task.kind == kind,
            Task.state == "succeeded",
            Task.attempt_started_at.is_not(None),
            Task.finished_at.is_not(None),
        )
        .order_by(Task.finished_at.desc())
        .limit(RECENT_TASKS)
    ).all()
    spans = [max(0.0, (end - start).total_seconds()) for start, end in rows]
    return median(spans) if spans else DEFAULT_SECONDS


def _tasks_ahead(session: Session, task: Task) -> list[Task]:
    queued_at = _queued_at(task)
    queued_order = func.coalesce(Task.enqueued_at, Task.created_at)
    earlier = or_(queued_order < queued_at, (queued_order == queued_at) & (Task.id < task.id))
    same_lane_earlier = (Task.lane == task.lane) & earlier
    condition = (
        same_lane_earlier if task.lane != "batch" else or_(Task.lane != "batch", same_lane_earlier)
    )
    return list(
        session.scalars(
            select(Task)
            .where(Task.state == "queued", Task.id != task.id, condition)
            .order_by(queued_order, Task.id)
        )
    )


def queue_position(session: Session, job: Job) -> QueuePosition:
    """Where the job's next queued task stands, and when it is expected to start."""
    if job.state != "queued":
        return QueuePosition(job_id=job.id, queued=False)
    task = session.scalar(
        select(Task).where(Task.job_id == job.id, Task.state == "queued").order_by(Task.id)
    )
    if task is None:
        return QueuePosition(job_id=job.id, queued=False)
    ahead = _tasks_ahead(session, task)
    workers = [w for w in session.scalars(select(Worker)) if is_online(w)]
    durations: dict[str, float] = {}

    def duration(kind: str) -> float:
        if kind not in durations:
            durations[kind] = typical_seconds(session, kind)
        return durations[kind]

    free_at: list[float] = []  # seconds from now at which each online worker is free
    free = 0
    for worker in workers:
        running = session.get(Task, worker.busy_task_id) if worker.busy_task_id else None
        if running is None or running.state != "running":
            free += 1
            free_at.append(0.0)
        else:
            done = min(max(running.progress, 0.0), 1.0)
            free_at.append(duration(running.kind) * (1.0 - done))
    position = QueuePosition(
        job_id=job.id,
        queued=True,
        lane=task.lane,
        position=len(ahead) + 1,
        tasks_ahead=len(ahead),
        workers_online=len(workers),
        workers_free=free,
    )
    if not free_at:
        return position
    heapq.heapify(free_at)
    for other in ahead:
        heapq.heapreplace(free_at, free_at[0] + duration(other.kind))
    wait = round(free_at[0], 1)
    return QueuePosition(
        **{
            **position.__dict__,
            "estimated_wait_seconds": wait,
            "estimated_start_at": utcnow() + timedelta(seconds=wait),
        }
    )
