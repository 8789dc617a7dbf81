"""Exporting a model to ONNX on a worker (issue 22, "Model export to ONNX"): an ``export_onnx``
job of one task, whose result names the ONNX file in the blob store (docs/engine.md, "Export to
ONNX"; docs/contracts.md §2).

Nothing new is stored: the job row is the record. Its ``model_id`` is the model exported, its
``params`` the classes and working scale it was asked for, and once it succeeded its ``result``
holds ``onnx_sha256``, ``size`` and the ``onnx`` card section. The newest succeeded job of a
model is the export its download answers.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.db import Job, Model, User
from backend.services import limits
from backend.services import models as model_service
from backend.services.errors import Invalid, NotFound
from backend.services.jobs import add_task, persist_job
from backend.services.projects import classes_of

KIND = "export_onnx"
_REUSABLE = ("queued", "running", "succeeded")


def _asked(job: Job) -> tuple[list[str], float | None]:
    """The classes and working scale an export job ran (or will run) with."""
    onnx = (job.result or {}).get("onnx") or {}
    classes = onnx.get("classes") if job.state == "succeeded" else None
    return list(classes or job.params.get("classes") or []), job.params.get("working_scale")


def start_export(
    session: Session, project_id: int, user: User, model_id: int, working_scale: float | None
) -> tuple[Job, bool]:
    """The export job of ``model_id`` with the project's classes: an existing one that is
    queued, running or succeeded with the same classes and working scale (nothing is queued
    again), else a new one; and whether it is new.

    Raises:
        NotFound: the model is neither shipped nor the project's.
        Invalid: the project has no classes; a working scale for a ``letterbox`` model.
        TooManyRequests: a new job is needed and ``user`` has MAX_ACTIVE_JOBS_PER_USER jobs
            queued or running.
    """
    model = model_service.get_model(session, project_id, model_id)
    names = [c.name for c in classes_of(session, project_id)]
    if not names:
        raise Invalid(
            f"project {project_id} has no classes: add the classes the model should detect "
            "before exporting it"
        )
    scale_mode = (model.card.get("arch") or {}).get("scale_mode", "letterbox")
    if working_scale is not None and scale_mode != "tiles":
        raise Invalid(
            f"model {model.name!r} letterboxes each image to its input size: a working_scale "
            "applies only to a tiles model; leave it out"
        )
    existing = session.scalars(
        select(Job)
        .where(
            Job.project_id == project_id,
            Job.kind == KIND,
            Job.model_id == model.id,
            Job.state.in_(_REUSABLE),
        )
        .order_by(Job.id.desc())
    )
    for job in existing:
        if _asked(job) == (names, working_scale):
            return job, False
    limits.check_job_quota(session, user)
    job = Job(
        project_id=project_id,
        kind=KIND,
        model_id=model.id,
        params={"model_id": model.id, "classes": names, "working_scale": working_scale},
        created_by_id=user.id,
    )
    persist_job(session, job)
    add_task(session, job, KIND, {"model_id": model.id})
    session.commit()
    return job, True


def _newest(session: Session, project_id: int, model: Model) -> Job | None:
    """The newest succeeded export job of ``model`` in the project that names its file."""
    job = session.scalar(
        select(Job)
        .where(
            Job.project_id == project_id,
            Job.kind == KIND,
            Job.model_id == model.id,
            Job.state == "succeeded",
        )
        .order_by(Job.id.desc())
        .limit(1)
    )
    return job if job is not None and (job.result or {}).get("onnx_sha256") else None


def newest_export(session: Session, project_id: int, model: Model) -> Job:
    """The newest succeeded export job of ``model`` in the project.

    Raises:
        NotFound: the model was never exported here (the message says how to export it).
    """
    job = _newest(session, project_id, model)
    if job is None:
        raise NotFound(
            f"model {model.id} ({model.name}) has no finished ONNX export in project "
            f"{project_id}: start one with POST /api/projects/{project_id}/models/{model.id}/onnx "
            "and download it once that job has succeeded"
        )
    return job


def card_section(session: Session, project_id: int, model: Model) -> dict[str, Any] | None:
    """The ``onnx`` section of ``model``'s card as this project shows it: how to use the file of
    its newest succeeded export here, or None before one has succeeded.

    It is that job's ``result.onnx`` (what the worker wrote into the file's ``metaloop``
    metadata: input name, shape and normalisation, outputs, decoding, classes; docs/engine.md,
    "Export to ONNX") with ``download`` (the path its file downloads from, ``GET``),
    ``job_id``, ``onnx_sha256``, ``size`` (bytes) and ``exported_at`` (ISO 8601, UTC) added.
    Computed when read, never stored: a shipped model's card is shared by every project, and
    each project's export has its own classes.
    """
    job = _newest(session, project_id, model)
    if job is None:
        return None
    finished = job.finished_at.isoformat() if job.finished_at else None
    return {
        **(job.result.get("onnx") or {}),
        "download": f"/api/projects/{project_id}/models/{model.id}/onnx",
        "job_id": job.id,
        "onnx_sha256": job.result["onnx_sha256"],
        "size": job.result.get("size"),
        "exported_at": finished,
    }
