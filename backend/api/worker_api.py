"""The worker API (docs/contracts.md §2). Authenticated with the shared WORKER_TOKEN or a
worker's own token (issued by an admin), which acts only under its worker's name."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse

from backend.api.deps import BlobStoreDep, SessionDep, WorkerAuth, WorkerIdentityDep
from backend.api.responses import file_response
from backend.schemas.common import Id, Ok
from backend.schemas.workers import (
    BlobStored,
    FailAnswer,
    FailReport,
    Heartbeat,
    ProgressAnswer,
    ProgressReport,
    ResultReport,
    TaskStart,
    WorkerRegister,
    WorkerRegistered,
)
from backend.services import tasks, workers
from backend.services.blobs import SHA256_PATTERN
from backend.services.errors import Invalid, NotFound
from contracts.tasks import TaskSpec

router = APIRouter(prefix="/worker", tags=["worker"], dependencies=[WorkerAuth])


def _check_sha(sha256: str) -> str:
    if not SHA256_PATTERN.match(sha256):
        raise Invalid(f"{sha256!r} is not a lowercase sha256 hex digest")
    return sha256


@router.post("/workers", name="register")
def register(
    body: WorkerRegister, session: SessionDep, identity: WorkerIdentityDep
) -> WorkerRegistered:
    """Register (or re-register) a worker by name."""
    identity.check(body.name)
    worker = workers.register(
        session, body.name, body.host, body.address, body.device, body.queues, body.version
    )
    return WorkerRegistered(id=worker.id)


@router.post("/workers/{name}/heartbeat", name="heartbeat")
def heartbeat(name: str, body: Heartbeat, session: SessionDep, identity: WorkerIdentityDep) -> Ok:
    identity.check(name)
    workers.heartbeat(session, name, body.device, body.busy_task_id)
    return Ok()


@router.post("/tasks/{task_id}/start", name="start-task")
def start_task(
    task_id: Id, body: TaskStart, session: SessionDep, identity: WorkerIdentityDep
) -> TaskSpec:
    """Open a new attempt and answer the TaskSpec; 409 means: ack the message and drop it."""
    identity.check(body.worker)
    return tasks.start(session, task_id, body.worker)


@router.post("/tasks/{task_id}/progress", name="report-progress")
def report_progress(task_id: Id, body: ProgressReport, session: SessionDep) -> ProgressAnswer:
    """Renews the lease; answers whether the job was cancelled. 409 for a stale attempt token."""
    points = [p.model_dump() for p in body.points] if body.points else None
    cancelled, lease = tasks.progress(
        session, task_id, body.attempt_token, body.progress, body.stage, body.message, points
    )
    return ProgressAnswer(cancelled=cancelled, lease_expires_at=lease)


@router.post("/tasks/{task_id}/result", name="submit-result")
def submit_result(task_id: Id, body: ResultReport, session: SessionDep, store: BlobStoreDep) -> Ok:
    """Store the result once, in one transaction; 409 for a stale token or a finished task."""
    tasks.submit_result(session, store, task_id, body.attempt_token, body.result)
    return Ok()


@router.post("/tasks/{task_id}/fail", name="fail-task")
def fail_task(task_id: Id, body: FailReport, session: SessionDep) -> FailAnswer:
    """Report a failure; with `retry` the task is queued again while attempts remain."""
    return FailAnswer(
        state=tasks.fail(session, task_id, body.attempt_token, body.reason, body.retry)
    )


@router.get(
    "/blobs/{sha256}",
    name="get-blob",
    response_class=FileResponse,
    responses=file_response("the blob's bytes", "application/octet-stream"),
)
def get_blob(sha256: str, store: BlobStoreDep) -> FileResponse:
    if not store.exists(_check_sha(sha256)):
        raise NotFound(f"blob {sha256} not found")
    return FileResponse(store.path(sha256), media_type="application/octet-stream")


@router.put("/blobs/{sha256}", name="put-blob")
async def put_blob(sha256: str, request: Request, store: BlobStoreDep) -> BlobStored:
    """Upload bytes under their sha256; 422 if they hash to something else. Idempotent."""
    _check_sha(sha256)
    body = await request.body()
    try:
        size = await run_in_threadpool(store.put_verified, sha256, [body])
    except ValueError as error:
        raise Invalid(str(error)) from None
    return BlobStored(sha256=sha256, size=size)
