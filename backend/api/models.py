from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import FileResponse

from backend.api.deps import (
    AddressDep,
    AnnotatorAccess,
    BlobStoreDep,
    CurrentUser,
    SessionDep,
    ViewerAccess,
    ViewerAccessQueryToken,
)
from backend.api.jobs import job_detail
from backend.api.responses import error_responses, file_response
from backend.db import Model
from backend.schemas.common import Id
from backend.schemas.jobs import JobDetail
from backend.schemas.models import ModelDetail, ModelOut, OnnxExportRequest
from backend.services import audit, models, onnx_exports
from backend.services.errors import NotFound
from backend.services.routines import merge_routine

router = APIRouter(tags=["models"])


def _out(model: Model, default_id: int | None, current_id: int | None = None) -> ModelOut:
    return ModelOut.model_validate(model).model_copy(
        update={"is_default": model.id == default_id, "is_current": model.id == current_id}
    )


def _detail(
    model: Model, default_id: int | None, current_id: int | None, onnx: dict[str, Any] | None
) -> ModelDetail:
    card = {key: value for key, value in model.card.items() if key != "onnx"}
    if onnx is not None:
        card["onnx"] = onnx
    return ModelDetail.model_validate(model).model_copy(
        update={
            "card": card,
            "is_default": model.id == default_id,
            "is_current": model.id == current_id,
            "preset": merge_routine(model),
        }
    )


def _current_id(session: SessionDep, project_id: int) -> int | None:
    current = models.current_model(session, project_id)
    return current.id if current else None


def _default_id(session: SessionDep, project_id: int | None = None) -> int | None:
    default = models.default_base_model(session, project_id)
    return default.id if default else None


@router.get("/models", name="list-base")
def list_base_models(session: SessionDep, _user: CurrentUser) -> list[ModelOut]:
    """The shipped base models (meta-learned initializations)."""
    default_id = _default_id(session)
    return [_out(m, default_id) for m in models.shipped_models(session)]


@router.get("/projects/{project_id}/models", name="list")
def list_models(access: ViewerAccess, session: SessionDep) -> list[ModelOut]:
    """Shipped base models and the project's adapted versions; ``is_default`` marks the model
    adapt jobs start from here (the project's base model, else the server's default). A model's
    ``metrics.holdout`` is its latest evaluation on this project's holdout pool (absent: never
    evaluated here), a shipped model's included."""
    default_id = _default_id(session, access.project.id)
    current_id = _current_id(session, access.project.id)
    # a shipped model's holdout numbers are this project's (its latest evaluation here)
    evaluated = models.shipped_holdout(session, access.project.id)
    listed = [
        _out(m, default_id, current_id) for m in models.list_models(session, access.project.id)
    ]
    return [
        m.model_copy(update={"metrics": {**m.metrics, **evaluated[m.id]}})
        if m.project_id is None and m.id in evaluated
        else m
        for m in listed
    ]


@router.get("/projects/{project_id}/models/{model_id}", name="get")
def get_model(model_id: Id, access: ViewerAccess, session: SessionDep) -> ModelDetail:
    """The model with its card; once an ONNX export of it has succeeded in this project, the
    card's `onnx` says how to use that file (see ModelDetail.card)."""
    project_id = access.project.id
    model = models.get_model(session, project_id, model_id)
    return _detail(
        model,
        _default_id(session, project_id),
        _current_id(session, project_id),
        onnx_exports.card_section(session, project_id, model),
    )


@router.post("/projects/{project_id}/models/{model_id}/promote", name="promote")
def promote_model(model_id: Id, access: AnnotatorAccess, session: SessionDep) -> ModelOut:
    """Make this model the project's current one: what detect and evaluate use by default."""
    model = models.promote(session, access.project.id, model_id)
    session.commit()
    return _out(model, _default_id(session, access.project.id), model.id)


@router.get("/projects/{project_id}/models/{model_id}/lineage", name="lineage")
def model_lineage(model_id: Id, access: ViewerAccess, session: SessionDep) -> list[ModelOut]:
    """The model and its parents, newest first, each with routine, training set and metrics."""
    model = models.get_model(session, access.project.id, model_id)
    default_id = _default_id(session, access.project.id)
    current_id = _current_id(session, access.project.id)
    return [_out(m, default_id, current_id) for m in models.lineage(session, model)]


@router.get(
    "/projects/{project_id}/models/{model_id}/weights",
    name="weights",
    response_class=FileResponse,
    responses=file_response(
        "the weights (safetensors), as an attachment named after the model",
        "application/octet-stream",
    ),
)
def model_weights(
    model_id: Id,
    access: ViewerAccess,
    session: SessionDep,
    store: BlobStoreDep,
    address: AddressDep,
) -> FileResponse:
    """The weights as safetensors."""
    model = models.get_model(session, access.project.id, model_id)
    audit.record_alone(
        "export.model", access.user.username, address, {}, access.project.id, model.name
    )
    return FileResponse(
        store.path(model.weights_sha256),
        media_type="application/octet-stream",
        filename=f"{model.name.replace('/', '_')}.safetensors",
    )


@router.post(
    "/projects/{project_id}/models/{model_id}/onnx",
    name="export-onnx",
    status_code=202,
    responses=error_responses(429),
)
def export_onnx(
    model_id: Id,
    access: AnnotatorAccess,
    session: SessionDep,
    body: OnnxExportRequest | None = None,
) -> JobDetail:
    """Export the model (shipped or adapted here) to ONNX with the project's classes, on a
    worker: answers the `export_onnx` job, whose progress the job events report. When this
    model already has an export job with the same classes and working scale that is queued,
    running or succeeded, that job is answered and nothing is queued again. Once it has
    succeeded, `GET .../onnx` downloads the file; its `result` holds `onnx_sha256`, `size` and
    the `onnx` card section (input, normalisation, outputs, pre- and post-processing:
    docs/engine.md, "Export to ONNX"). 422 when the project has no classes; 429 when you have
    MAX_ACTIVE_JOBS_PER_USER jobs queued or running."""
    scale = body.working_scale if body else None
    job, _new = onnx_exports.start_export(session, access.project.id, access.user, model_id, scale)
    return job_detail(session, job)


@router.get(
    "/projects/{project_id}/models/{model_id}/onnx",
    name="onnx",
    response_class=FileResponse,
    responses=file_response(
        "the ONNX file, as an attachment named after the model; the header X-MetaLoop-Job "
        "names the export job it came from",
        "application/octet-stream",
    ),
)
def model_onnx(
    model_id: Id,
    access: ViewerAccessQueryToken,
    session: SessionDep,
    store: BlobStoreDep,
    address: AddressDep,
) -> FileResponse:
    """The model's newest finished ONNX export (`POST .../onnx` makes one; 404 before it has
    succeeded). Its graph holds the network and the box decoding; the `metaloop` metadata key
    holds the card section that says how to prepare images and finish the detections.
    Accepts `?ticket=` (files)."""
    model = models.get_model(session, access.project.id, model_id)
    job = onnx_exports.newest_export(session, access.project.id, model)
    audit.record_alone(
        "export.onnx", access.user.username, address, {"job_id": job.id}, access.project.id,
        model.name,
    )  # fmt: skip
    if not store.exists(job.result["onnx_sha256"]):
        raise NotFound(
            f"the ONNX file of export job {job.id} is missing from the blob store: export the "
            "model again"
        )
    name = model.name.replace("/", "_").replace('"', "_")
    return FileResponse(
        store.path(job.result["onnx_sha256"]),
        media_type="application/octet-stream",
        filename=f"{name}.onnx",
        headers={"X-MetaLoop-Job": str(job.id)},
    )
