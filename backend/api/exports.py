"""Exporting a project's annotations, or a job's predictions, as a COCO, VOC or YOLO zip."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from backend.api.deps import AddressDep, BlobStoreDep, SessionDep, ViewerAccessQueryToken
from backend.api.responses import file_response
from backend.schemas.common import Id
from backend.schemas.images import ImageState
from backend.schemas.imports import DatasetFormat, ExportPool
from backend.services import audit, exports

router = APIRouter(prefix="/projects/{project_id}", tags=["exports"])
PredictionStatus = Literal["pending", "accepted", "rejected"]
_ZIP = file_response("a zip, streamed", "application/zip")


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@router.get("/exports", name="annotations", response_class=StreamingResponse, responses=_ZIP)
def export_annotations(
    access: ViewerAccessQueryToken,
    session: SessionDep,
    store: BlobStoreDep,
    address: AddressDep,
    format: DatasetFormat = "coco",
    pool: ExportPool = "all",
    state: Annotated[
        ImageState | None, Query(description="only images in this state (left out: all)")
    ] = None,
    images: Annotated[bool, Query(description="include the image files (originals)")] = True,
) -> StreamingResponse:
    """The project's annotations as a zip (streamed): COCO (`annotations.json`, `images/`),
    Pascal VOC (`Annotations/`, `JPEGImages/`, `ImageSets/Main/`) or YOLO (`data.yaml`,
    `images/{train,val}/`, `labels/{train,val}/`); adapt is train, holdout is val. Images are
    the files as uploaded, under their file names made unique. Accepts `?ticket=` (files)."""
    project = access.project
    audit.record_alone(
        "export.annotations", access.user.username, address,
        {"format": format, "pool": pool, "images": images}, project.id,
    )  # fmt: skip
    body = exports.annotations_zip(
        session, store, project.id, format, None if pool == "all" else pool, state, images
    )
    name = f"project-{project.id}-{format}-{pool}.zip"
    return StreamingResponse(body, media_type="application/zip", headers=_attachment(name))


@router.get(
    "/jobs/{job_id}/predictions/export",
    name="predictions",
    response_class=StreamingResponse,
    responses=_ZIP,
)
def export_predictions(
    job_id: Id,
    access: ViewerAccessQueryToken,
    session: SessionDep,
    store: BlobStoreDep,
    address: AddressDep,
    format: DatasetFormat = "coco",
    stage: Annotated[
        Literal["detect", "evaluate"],
        Query(description="detect (for review) or evaluate (on the holdout pool)"),
    ] = "detect",
    images: Annotated[bool, Query(description="include the image files (originals)")] = False,
    status: Annotated[
        list[PredictionStatus] | None,
        Query(
            description="only predictions in these review statuses (repeat the parameter for "
            "several: `?status=pending&status=accepted`); left out: all"
        ),
    ] = None,
) -> StreamingResponse:
    """A job's predictions with their scores as a zip: COCO's results format (`results.json`,
    with `annotations.json` holding the images, categories and ground truth), VOC with a
    `<score>` per object, or YOLO with the score as a sixth number. Only images with a
    prediction left by the `status` filter are in it. Accepts `?ticket=`. 422 for an unknown
    status."""
    statuses = sorted(set(status)) if status else None
    audit.record_alone(
        "export.predictions", access.user.username, address,
        {"format": format, "stage": stage, "images": images, "status": statuses},
        access.project.id, f"job {job_id}",
    )  # fmt: skip
    body = exports.predictions_zip(
        session, store, access.project.id, job_id, format, stage, images, statuses
    )
    name = f"project-{access.project.id}-job-{job_id}-predictions-{format}.zip"
    return StreamingResponse(body, media_type="application/zip", headers=_attachment(name))
