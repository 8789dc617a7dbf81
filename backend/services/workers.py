"""Workers: registration, heartbeats, the online flag."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.db import Job, ProjectMember, Task, User, Worker, utcnow
from backend.services.errors import NotFound
from backend.services.events import publish_after_commit, worker_event
from backend.settings import get_settings


def register(
    session: Session,
    name: str,
    host: str,
    address: str,
    device: str,
    queues: list[str],
    version: str,
) -> Worker:
    worker = session.scalar(select(Worker).where(Worker.name == name))
    if worker is None:
        worker = Worker(name=name)
        session.add(worker)
    worker.host, worker.address, worker.device = host, address, device
    worker.queues, worker.version = queues, version
    worker.state, worker.busy_task_id, worker.last_seen = "online", None, utcnow()
    session.flush()
    publish_after_commit(session, worker_event(worker))
    session.commit()
    return worker


def running_task_id(session: Session, name: str) -> int | None:
    """The task the worker is running (its latest attempt under a live lease), or None."""
    return session.scalar(
        select(Task.id)
        .where(Task.worker_name == name, Task.state == "running", Task.lease_expires_at > utcnow())
        .order_by(Task.attempt_started_at.desc())
        .limit(1)
    )


def heartbeat(session: Session, name: str, device: str | None, busy_task_id: int | None) -> Worker:
    """Record that the worker is alive; busy with `busy_task_id` if it says so, else with the task
    the server knows it runs (a worker's tasks run in child processes its heartbeat cannot see)."""
    worker = session.scalar(select(Worker).where(Worker.name == name))
    if worker is None:
        raise NotFound(f"worker {name!r} is not registered: POST /api/worker/workers first")
    if busy_task_id is None:
        busy_task_id = running_task_id(session, name)
    state = "busy" if busy_task_id is not None else "online"
    changed = (worker.state, worker.busy_task_id) != (state, busy_task_id)
    worker.state, worker.busy_task_id, worker.last_seen = state, busy_task_id, utcnow()
    if device is not None:
        worker.device = device
    if changed:
        publish_after_commit(session, worker_event(worker))
    session.commit()
    return worker


def is_online(worker: Worker) -> bool:
    limit = timedelta(seconds=get_settings().worker_online_seconds)
    return worker.state != "offline" and utcnow() - worker.last_seen <= limit


def list_workers(session: Session) -> list[Worker]:
    return list(session.scalars(select(Worker).order_by(Worker.name)))


def mark_idle(session: Session, name: str | None, task_id: int) -> None:
    """The worker's task `task_id` ended (in the caller's transaction); it shows as free at once."""
    worker = session.scalar(select(Worker).where(Worker.name == name)) if name else None
    if worker is not None and worker.busy_task_id == task_id and worker.state == "busy":
        worker.state, worker.busy_task_id = "online", None
        publish_after_commit(session, worker_event(worker))


def current_tasks(session: Session, workers: list[Worker], user: User) -> dict[int, dict]:
    """What each busy worker runs, by worker id: its task's kind, and the task's job and project
    when the user may see that project (a member, or an admin)."""
    task_ids = [w.busy_task_id for w in workers if w.busy_task_id is not None]
    if not task_ids:
        return {}
    rows = session.execute(
        select(Task.id, Task.kind, Job.id, Job.kind, Job.project_id)
        .join(Job, Job.id == Task.job_id)
        .where(Task.id.in_(task_ids))
    ).all()
    visible = set(
        session.scalars(select(ProjectMember.project_id).where(ProjectMember.user_id == user.id))
    )
    by_task: dict[int, dict] = {}
    for task_id, task_kind, job_id, job_kind, project_id in rows:
        shown = user.is_admin or project_id in visible
        by_task[task_id] = {
            "busy_task_kind": task_kind,
            "busy_job_id": job_id if shown else None,
            "busy_job_kind": job_kind if shown else None,
            "busy_project_id": project_id if shown else None,
        }
    return {w.id: by_task[w.busy_task_id] for w in workers if w.busy_task_id in by_task}


def mark_busy(session: Session, name: str, task_id: int) -> None:
    """The worker started `task_id` (in the caller's transaction); it shows as busy at once."""
    worker = session.scalar(select(Worker).where(Worker.name == name))
    if worker is not None and (worker.state, worker.busy_task_id) != ("busy", task_id):
        worker.state, worker.busy_task_id = "busy", task_id
        publish_after_commit(session, worker_event(worker))
