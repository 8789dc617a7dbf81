"""Importing datasets (COCO, Pascal VOC, YOLO) into a project."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import JSONResponse

from backend.api.deps import AnnotatorAccess, BlobStoreDep, SessionDep
from backend.schemas.images import ImageState, Pool
from backend.schemas.imports import DatasetFormat, ImportRefusal, ImportReport
from backend.services import imports
from backend.services.formats import MAX_REPORTED_PROBLEMS, ImportRefused

router = APIRouter(prefix="/projects/{project_id}/imports", tags=["imports"])


@router.post(
    "",
    name="create",
    status_code=201,
    responses={
        422: {
            "model": ImportRefusal,
            "description": "The import was refused and nothing was stored: every problem found, "
            "each naming its item (file, line or annotation id)",
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
    store: BlobStoreDep,
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
) -> ImportReport:
    """Import a dataset; all or nothing: every image, box and class is checked first, and any
    problem refuses the import (422 listing every problem). A split in the files (COCO image
    `pool`/`split`, VOC ImageSets, YOLO train/val folders) is kept; images already in the
    project that the files name get the imported boxes in place of theirs."""
    try:
        report = imports.run_import(
            session,
            store,
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
        body = ImportRefusal(
            detail=refused.detail,
            problems=[
                {"item": p.item, "reason": p.reason}  # type: ignore[misc]
                for p in refused.problems[:MAX_REPORTED_PROBLEMS]
            ],
            problem_count=len(refused.problems),
        )
        return JSONResponse(body.model_dump(), status_code=422)  # type: ignore[return-value]
    return ImportReport(**report)
