from __future__ import annotations

from fastapi import APIRouter, Response

from backend.api.deps import AnnotatorAccess, SessionDep, ViewerAccess
from backend.schemas.images import (
    AnnotationActivityOut,
    AnnotationIn,
    AnnotationOut,
    AnnotationsReplace,
    AnnotationUpdate,
)
from backend.services import annotations
from backend.services.images import get_image

router = APIRouter(prefix="/projects/{project_id}", tags=["annotations"])


@router.get("/images/{image_id}/annotations", name="list")
def list_annotations(
    image_id: int, access: ViewerAccess, session: SessionDep
) -> list[AnnotationOut]:
    image = get_image(session, access.project.id, image_id)
    return [AnnotationOut.model_validate(a) for a in annotations.list_for_image(session, image.id)]


@router.post("/images/{image_id}/annotations", name="create", status_code=201)
def create_annotation(
    image_id: int, body: AnnotationIn, access: AnnotatorAccess, session: SessionDep
) -> AnnotationOut:
    """Add a box `[x, y, w, h]` (pixels) of a class of the project."""
    image = get_image(session, access.project.id, image_id)
    annotation = annotations.create(
        session, image, body.class_id, body.box, access.user.id, body.time_spent_ms
    )
    return AnnotationOut.model_validate(annotation)


@router.put("/images/{image_id}/annotations", name="replace")
def replace_annotations(
    image_id: int, body: AnnotationsReplace, access: AnnotatorAccess, session: SessionDep
) -> list[AnnotationOut]:
    """Replace all the boxes of an image (the editor saves this way); invalid → nothing changes."""
    image = get_image(session, access.project.id, image_id)
    items = [(a.class_id, a.box, a.time_spent_ms) for a in body.annotations]
    created = annotations.replace_all(session, image, items, access.user.id)
    return [AnnotationOut.model_validate(a) for a in created]


@router.patch("/annotations/{annotation_id}", name="update")
def update_annotation(
    annotation_id: int, body: AnnotationUpdate, access: AnnotatorAccess, session: SessionDep
) -> AnnotationOut:
    annotation = annotations.update(
        session,
        access.project.id,
        annotation_id,
        body.class_id,
        body.box,
        body.time_spent_ms,
        access.user.id,
    )
    return AnnotationOut.model_validate(annotation)


@router.delete("/annotations/{annotation_id}", name="delete", status_code=204)
def delete_annotation(annotation_id: int, access: AnnotatorAccess, session: SessionDep) -> Response:
    annotations.remove(session, access.project.id, annotation_id)
    return Response(status_code=204)


@router.get("/annotations/activity", name="activity")
def annotation_activity(access: ViewerAccess, session: SessionDep) -> list[AnnotationActivityOut]:
    """When each annotation of the project was written, by whom, with the time spent on it
    (without boxes): what the web client's loop timeline is computed from."""
    return [
        AnnotationActivityOut.model_validate(a)
        for a in annotations.activity(session, access.project.id)
    ]
