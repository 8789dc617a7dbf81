from __future__ import annotations

from fastapi import APIRouter

from backend.api.deps import CurrentUser, SessionDep
from backend.schemas.workers import WorkerOut
from backend.services import workers

router = APIRouter(prefix="/workers", tags=["workers"])


@router.get("", name="list")
def list_workers(session: SessionDep, _user: CurrentUser) -> list[WorkerOut]:
    """Registered workers; `online` when a heartbeat came within WORKER_ONLINE_SECONDS."""
    return [
        WorkerOut.model_validate(w).model_copy(update={"online": workers.is_online(w)})
        for w in workers.list_workers(session)
    ]
