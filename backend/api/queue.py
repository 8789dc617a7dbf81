from __future__ import annotations

from fastapi import APIRouter

from backend.api.deps import SessionDep, ViewerAccess
from backend.schemas.common import Id
from backend.schemas.queue import JobQueueOut
from backend.services import jobs, queue_position

router = APIRouter(prefix="/projects/{project_id}/jobs", tags=["jobs"])


@router.get("/{job_id}/queue", name="queue")
def job_queue(job_id: Id, access: ViewerAccess, session: SessionDep) -> JobQueueOut:
    """Why a queued job waits: its position in its lane's queue (interactive work goes before
    batch work), the online and free workers, and an estimated start from recent task run
    times (the rule is in `rule`). Not queued: `queued` is false and the rest is empty."""
    job = jobs.get_job(session, access.project.id, job_id)
    return JobQueueOut.model_validate(queue_position.queue_position(session, job))
