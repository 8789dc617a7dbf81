"""Imports as jobs: the upload is saved, an ``import`` job is created and returned at once, and a
child process of the API checks and stores the dataset while the job reports its progress
(events, like the worker's jobs) and a heartbeat (docs/architecture.md, "Import and export").

The import itself runs in a child process (see :func:`_in_child_process`). The job ends
``succeeded`` with the import report as its result, in the same transaction that
stores the dataset; or ``failed`` with every problem in ``result.problems`` (nothing stored);
or ``cancelled`` (nothing stored: a cancel is seen at the next progress report, and under the
project's lock just before the commit). An import whose API process stopped is failed by the
sweeper (:func:`sweep`) once its heartbeat is older than ``import_stale_seconds``: nothing
of it was stored.
"""

from __future__ import annotations

import logging
import multiprocessing
import shutil
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from backend.db import Job, Project, User, utcnow
from backend.db.jobs import FINISHED_STATES
from backend.db.session import session_factory
from backend.services import imports, webhooks
from backend.services.blobs import blob_store
from backend.services.errors import TooLarge
from backend.services.events import job_event, publish_after_commit
from backend.services.formats import ImportRefused
from backend.services.sizes import human_size
from backend.settings import get_settings

log = logging.getLogger(__name__)

_COPY_CHUNK = 1024 * 1024
_REPORT_EVERY = 0.5  # seconds: progress reports (and heartbeats) are at most this frequent
_LEFTOVER_SECONDS = 24 * 3600.0  # a staging folder or nameless upload this old is a leftover


class ImportCancelled(Exception):
    """The import's job was cancelled: stop, store nothing."""


@lru_cache
def _launcher(slots: int) -> ThreadPoolExecutor:
    """Threads that each run one import in a child process and wait for it: at most `slots`
    imports at once per API process, the others queued."""
    return ThreadPoolExecutor(max_workers=slots, thread_name_prefix="import")


_owned: set[int] = set()  # import jobs of this API process, queued or running
_owned_lock = threading.Lock()
_keeper_started = threading.Event()


def _keep_alive() -> None:
    """Heartbeat this process's import jobs while they wait for a slot or their child process
    starts (the child reports its own progress too): only jobs whose API process and import
    process both stopped go stale."""
    factory = session_factory()
    while True:
        every = max(0.2, get_settings().import_stale_seconds / 4)
        time.sleep(every)
        with _owned_lock:
            owned = list(_owned)
        if not owned:
            continue
        try:
            with factory() as session:
                session.execute(
                    update(Job)
                    .where(Job.id.in_(owned), Job.state.in_(("queued", "running")))
                    .values(heartbeat_at=utcnow())
                )
                session.commit()
        except Exception:  # noqa: BLE001 - the next beat tries again
            log.warning("could not record the heartbeat of import jobs %s", owned)


def _own(job_id: int) -> None:
    with _owned_lock:
        _owned.add(job_id)
        if not _keeper_started.is_set():
            _keeper_started.set()
            threading.Thread(target=_keep_alive, name="import-heartbeat", daemon=True).start()


def _in_child_process(*args: Any) -> None:
    try:
        _start_child(*args)
    finally:
        with _owned_lock:
            _owned.discard(args[0])


def _start_child(*args: Any) -> None:
    """Run :func:`_run` in a child process: decoding thousands of images holds a Python
    interpreter's lock most of the time, and in the API's own process that would delay every
    other request. The child comes from a fork server (a clean process that imported this module
    once), so starting one costs milliseconds. It is a daemon: stopping the API ends it (its job
    then goes stale and fails as cut off), while a crash of the API does not (the import goes on
    and its job ends as usual)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    child = context.Process(target=_run, args=args, daemon=True, name="metaloop-import")
    child.start()
    child.join()
    if child.exitcode:
        log.error("import process for job %s ended with exit code %s", args[0], child.exitcode)
        _fail(
            session_factory(),
            args[0],
            f"the import stopped (exit code {child.exitcode}) "
            "and nothing was stored: import the file again",
            {},
        )


def _uploads_dir() -> Path:
    folder = get_settings().data_dir / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _save(handle: IO[bytes], limit: int) -> Path:
    """Copy the upload to a file of its own (the request's temporary file goes with it)."""
    path = _uploads_dir() / f"{uuid.uuid4().hex}.upload"
    size = 0
    try:
        with open(path, "wb") as out:
            for chunk in iter(lambda: handle.read(_COPY_CHUNK), b""):
                size += len(chunk)
                if size > limit:
                    raise TooLarge(f"the upload is over the limit of {human_size(limit)}")
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def start_import(
    session: Session,
    project: Project,
    user: User,
    file_name: str | None,
    handle: IO[bytes],
    fmt: str | None,
    pool: str,
    add_classes: bool,
    state: str,
) -> Job:
    """Save the upload, check what is cheap to check (size, a readable zip or annotation file,
    its format), create the import job and start it; raises TooLarge, Invalid or ImportRefused
    for an upload refused at once (no job)."""
    settings = get_settings()
    path = _save(handle, settings.max_import_bytes)
    try:
        with open(path, "rb") as saved:
            archive = imports.open_upload(file_name, saved)
            fmt = fmt or imports.detect_format(archive.names)
            members = len(archive.names)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    job = Job(
        project_id=project.id,
        kind="import",
        state="queued",
        stage="import (queued)",
        params={
            "file_name": file_name,
            "format": fmt,
            "pool": pool,
            "add_classes": add_classes,
            "state": state,
            "bytes": path.stat().st_size,
            "files": members,
        },
        created_by_id=user.id,
        heartbeat_at=utcnow(),
    )
    session.add(job)
    session.flush()
    publish_after_commit(session, job_event(job))
    try:
        session.commit()
        path = path.rename(path.with_name(f"{job.id}.upload"))  # the sweeper knows it by its job
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    options = {"fmt": fmt, "pool": pool, "add_classes": add_classes, "state": state}
    _own(job.id)
    _launcher(max(1, settings.import_threads)).submit(
        _in_child_process, job.id, project.id, user.id, file_name, str(path), options
    )
    return job


class _Reporter:
    """Progress reports of one import job, each in a short transaction of its own: the stage,
    the progress, the heartbeat; raises ImportCancelled once the job is cancelled."""

    def __init__(self, factory: sessionmaker[Session], job_id: int) -> None:
        self.factory = factory
        self.job_id = job_id
        self.last = 0.0
        self.stage = ""

    def __call__(self, stage: str, fraction: float) -> None:
        now = time.monotonic()
        phase = stage.split(" ", 1)[0]
        if phase == self.stage.split(" ", 1)[0] and now - self.last < _REPORT_EVERY:
            return
        self.last, self.stage = now, stage
        with self.factory() as session:
            job = session.get(Job, self.job_id, with_for_update=True)
            if job is None or job.state == "cancelled":
                raise ImportCancelled
            if job.started_at is None:
                job.started_at = utcnow()
            job.state = "running"
            job.stage = f"import: {stage}"[:64]
            job.progress = max(0.0, min(1.0, fraction))
            job.heartbeat_at = utcnow()
            publish_after_commit(session, job_event(job))
            session.commit()


def _finish(session: Session, job: Job, state: str, **fields: Any) -> None:
    now = utcnow()
    job.state, job.stage, job.finished_at, job.heartbeat_at = state, state, now, now
    if job.started_at is None:
        job.started_at = now
    for name, value in fields.items():
        setattr(job, name, value)
    job.timings = {"total": round((now - job.created_at).total_seconds(), 3)}
    webhooks.job_finished(session, job)
    publish_after_commit(session, job_event(job))


def _fail(factory: sessionmaker[Session], job_id: int, error: str, result: dict[str, Any]) -> None:
    with factory() as session:
        job = session.get(Job, job_id, with_for_update=True)
        if job is None or job.state in FINISHED_STATES:
            return
        _finish(session, job, "failed", error=error, result=result)
        session.commit()


def _run(
    job_id: int,
    project_id: int,
    user_id: int,
    file_name: str | None,
    upload: str,
    options: dict[str, Any],
) -> None:
    """The import job, from the saved upload to its end state (in a child process)."""
    factory, store, path = session_factory(), blob_store(), Path(upload)
    report = _Reporter(factory, job_id)

    def succeed(session: Session, result: dict[str, Any]) -> None:
        job = session.get(Job, job_id, with_for_update=True)
        if job is None or job.state == "cancelled":
            raise ImportCancelled
        _finish(session, job, "succeeded", progress=1.0, result=result)

    try:
        with open(path, "rb") as saved, factory() as session:
            report("starting", 0.0)
            archive = imports.open_upload(file_name, saved)
            imports.run_import(
                session,
                store,
                project_id,
                user_id,
                archive,
                options["fmt"],
                options["pool"],
                options["add_classes"],
                options["state"],
                progress=report,
                before_commit=succeed,
            )
    except ImportCancelled:
        log.info("import job %s was cancelled: nothing was stored", job_id)
    except ImportRefused as refused:
        _fail(factory, job_id, refused.detail, refused.listed())
    except Exception as error:  # noqa: BLE001 - the job must end, whatever went wrong
        log.exception("import job %s failed", job_id)
        detail = getattr(error, "detail", None) or f"{type(error).__name__}: {error}"
        _fail(factory, job_id, f"the import failed, nothing was stored: {detail}", {})
    finally:
        path.unlink(missing_ok=True)


def sweep(session: Session) -> int:
    """Fail the import jobs whose thread stopped reporting (their API process ended: nothing of
    them was stored), and delete saved uploads and staged blobs that no running import uses.
    Returns how many jobs were failed."""
    limit = utcnow() - timedelta(seconds=get_settings().import_stale_seconds)
    stale = list(
        session.scalars(
            select(Job)
            .where(
                Job.kind == "import",
                Job.state.in_(("queued", "running")),
                Job.heartbeat_at < limit,
            )
            .with_for_update(skip_locked=True)
        )
    )
    for job in stale:
        _finish(
            session,
            job,
            "failed",
            error="the import was cut off (its API process stopped) and nothing was stored: "
            "import the file again",
        )
    session.commit()
    _remove_leftovers(session)
    return len(stale)


def _remove_leftovers(session: Session) -> None:
    now = time.time()
    uploads = list(_uploads_dir().glob("*.upload"))
    job_ids = {int(p.stem) for p in uploads if p.stem.isdigit()}
    running = set(
        session.scalars(
            select(Job.id).where(Job.id.in_(job_ids), Job.state.not_in(FINISHED_STATES))
        )
    )
    session.rollback()
    for path in uploads:
        if path.stem.isdigit():
            if int(path.stem) not in running:
                path.unlink(missing_ok=True)
        elif now - path.stat().st_mtime > _LEFTOVER_SECONDS:  # saved, its job never made
            path.unlink(missing_ok=True)
    staging = get_settings().data_dir / "staging"
    if staging.is_dir():
        for folder in staging.iterdir():
            if now - folder.stat().st_mtime > _LEFTOVER_SECONDS:
                shutil.rmtree(folder, ignore_errors=True)
