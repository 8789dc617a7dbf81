"""Importing datasets (COCO, Pascal VOC, YOLO) into a project."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import JSONResponse

from backend.api.deps import AnnotatorAccess, SessionDep, ViewerAccess
from backend.schemas.common import Id
from backend.schemas.images import ImageState, Pool
from backend.schemas.imports import DatasetFormat, ImportOutcome, ImportRefusal, ImportReport
from backend.schemas.jobs import JobDetail, JobOut
from backend.services import import_jobs, jobs, limits
from backend.services.errors import NotFound
from backend.services.formats import ImportRefused

router = APIRouter(prefix="/projects/{project_id}/imports", tags=["imports"])


@router.post(
    "",
    name="create",
    status_code=202,
    responses={
        422: {
            "model": ImportRefusal,
            "description": "The upload was refused at once (not a readable zip or annotation "
            "file, unsafe archive members, no annotation file) and no job was created",
        }
    },
)
def create_import(
    file: Annotated[
        UploadFile,
        File(
            description="a .zip of images and annotation files, or one annotation file for "
            "images already in the project (matched by file name)"
        ),
    ],  # fmt: skip
    access: AnnotatorAccess,
    session: SessionDep,
    format: Annotated[
        DatasetFormat | None, Form(description="coco, voc or yolo; left out: detected")
    ] = None,
    pool: Annotated[
        Pool, Form(description="the pool of new images whose file gives no split")
    ] = "adapt",
    add_classes: Annotated[
        bool, Form(description="add classes the project lacks (else they are refused)")
    ] = False,
    state: Annotated[
        ImageState,
        Form(
            description="the imported images' state; complete (the default): a dataset's "
            "ground truth boxes every object"
        ),
    ] = "complete",  # fmt: skip
) -> JobDetail:
    """Start an import job and return it at once (202); its progress arrives as job events and
    on `GET /api/projects/{id}/jobs/{job_id}`. All or nothing: every image, box and class is
    checked before anything is stored. The job then ends `succeeded` with the report in
    `result` (images added and matched, boxes, classes added, boxes clipped, pools, skipped
    files), or `failed` with every problem in `result.problems` (each naming its item: file,
    line or annotation id) and nothing stored. A split in the files (COCO image `pool`/`split`,
    VOC ImageSets, YOLO train/val folders) is kept; images already in the project that the
    files name get the imported boxes in place of theirs."""
    limits.check_job_quota(session, access.user)
    file.file.seek(0, 2)  # the upload's size, as a bound of the image bytes it can add
    limits.check_storage_quota(session, access.user, file.file.tell())
    file.file.seek(0)
    try:
        job = import_jobs.start_import(
            session,
            access.project,
            access.user,
            file.filename,
            file.file,
            format,
            pool,
            add_classes,
            state,
        )
    except ImportRefused as refused:
        session.rollback()
        body = ImportRefusal(detail=refused.detail, **refused.listed())
        return JSONResponse(body.model_dump(), status_code=422)  # type: ignore[return-value]
    return JobDetail(**JobOut.model_validate(job).model_dump(), tasks=[])


@router.get("/{job_id}", name="get")
def get_import(job_id: Id, access: ViewerAccess, session: SessionDep) -> ImportOutcome:
    """An import job's progress, then its report or its problems."""
    job = jobs.get_job(session, access.project.id, job_id)
    if job.kind != "import":
        raise NotFound(f"job {job_id} is a {job.kind} job, not an import")
    report = ImportReport(**job.result) if job.state == "succeeded" else None
    refusal = None
    if job.state == "failed" and "problems" in job.result:
        refusal = ImportRefusal(detail=job.error or "", **job.result)
    return ImportOutcome(
        job_id=job.id,
        state=job.state,
        progress=job.progress,
        stage=job.stage,
        error=job.error,
        report=report,
        refusal=refusal,
    )
