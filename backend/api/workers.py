from __future__ import annotations

from fastapi import APIRouter

from backend.api.deps import CurrentUser, SessionDep
from backend.schemas.workers import WorkerOut
from backend.services import workers

router = APIRouter(prefix="/workers", tags=["workers"])


# what only admins see of a worker: where it runs (host name, IP address) and what it runs
ADMIN_FIELDS = {"host": None, "address": None, "queues": None, "version": None}


@router.get("", name="list")
def list_workers(session: SessionDep, user: CurrentUser) -> list[WorkerOut]:
    """Registered workers; `online` when a heartbeat came within WORKER_ONLINE_SECONDS. Host
    names, addresses, queues and versions are shown to admins only (null for other users)."""
    hidden = {} if user.is_admin else ADMIN_FIELDS
    return [
        WorkerOut.model_validate(w).model_copy(update={"online": workers.is_online(w), **hidden})
        for w in workers.list_workers(session)
    ]
