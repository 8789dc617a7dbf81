from __future__ import annotations

from fastapi import APIRouter

from backend.api.deps import AddressDep, AdminUser, CurrentUser, SessionDep
from backend.schemas.common import Id
from backend.schemas.workers import (
    WorkerCredentialCreate,
    WorkerCredentialCreated,
    WorkerCredentialOut,
    WorkerOut,
)
from backend.services import audit, worker_credentials, workers

router = APIRouter(prefix="/workers", tags=["workers"])


# what only admins see of a worker: where it runs (host name, IP address) and what it runs
ADMIN_FIELDS = {"host": None, "address": None, "queues": None, "version": None}


@router.get("", name="list")
def list_workers(session: SessionDep, user: CurrentUser) -> list[WorkerOut]:
    """Registered workers; `online` when a heartbeat came within WORKER_ONLINE_SECONDS; a busy
    one's current task (its kind; its job and project if you are a member of it). Host
    names, addresses, queues and versions are shown to admins only (null for other users)."""
    hidden = {} if user.is_admin else ADMIN_FIELDS
    rows = workers.list_workers(session)
    running = workers.current_tasks(session, rows, user)
    return [
        WorkerOut.model_validate(w).model_copy(
            update={"online": workers.is_online(w), **running.get(w.id, {}), **hidden}
        )
        for w in rows
    ]


@router.get("/credentials", name="credentials")
def list_credentials(session: SessionDep, _admin: AdminUser) -> list[WorkerCredentialOut]:
    """Admins: the workers' own tokens (never the tokens themselves)."""
    return [WorkerCredentialOut.model_validate(c) for c in worker_credentials.list_all(session)]


@router.post("/credentials", name="issue-credential", status_code=201)
def issue_credential(
    body: WorkerCredentialCreate, session: SessionDep, admin: AdminUser, address: AddressDep
) -> WorkerCredentialCreated:
    """Admins: a token for one worker (its WORKER_TOKEN), which can act only as that worker;
    the answer is the only time it is shown. 409 if the name has a live one."""
    audit.record(session, "worker_credential.issue", admin, address=address, target=body.name)
    row, token = worker_credentials.issue(session, body.name, admin)
    return WorkerCredentialCreated(
        **WorkerCredentialOut.model_validate(row).model_dump(), token=token
    )


@router.delete("/credentials/{credential_id}", name="revoke-credential")
def revoke_credential(
    credential_id: Id, session: SessionDep, admin: AdminUser, address: AddressDep
) -> WorkerCredentialOut:
    """Admins: revoke a worker's token; its next call to the worker API is refused (401)."""
    audit.record(
        session, "worker_credential.revoke", admin, address=address, target=str(credential_id)
    )
    return WorkerCredentialOut.model_validate(worker_credentials.revoke(session, credential_id))
