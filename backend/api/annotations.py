from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response

from backend.api.deps import AnnotatorAccess, SessionDep, ViewerAccess
from backend.api.paging import NEXT_PAGE_HEADERS, CursorParam, set_next_cursor
from backend.schemas.common import Id
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
IfMatch = Annotated[
    str | None,
    Header(
        description="the ETag of the image's annotations the change is based on; another "
        "version → 412 (someone changed them since)"
    ),
]


@router.get("/images/{image_id}/annotations", name="list")
def list_annotations(
    image_id: Id, access: ViewerAccess, session: SessionDep, response: Response
) -> list[AnnotationOut]:
    """The image's boxes; the `ETag` header is their version, to send back as `If-Match`."""
    image = get_image(session, access.project.id, image_id)
    response.headers["ETag"] = annotations.etag(image)
    return [AnnotationOut.model_validate(a) for a in annotations.list_for_image(session, image.id)]


@router.post("/images/{image_id}/annotations", name="create", status_code=201)
def create_annotation(
    image_id: Id,
    body: AnnotationIn,
    access: AnnotatorAccess,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> AnnotationOut:
    """Add a box `[x, y, w, h]` (pixels) of a class of the project."""
    image = get_image(session, access.project.id, image_id)
    annotation = annotations.create(
        session, image, body.class_id, body.box, access.user.id, body.time_spent_ms, if_match
    )
    response.headers["ETag"] = annotations.etag(image)
    return AnnotationOut.model_validate(annotation)


@router.put("/images/{image_id}/annotations", name="replace")
def replace_annotations(
    image_id: Id,
    body: AnnotationsReplace,
    access: AnnotatorAccess,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> list[AnnotationOut]:
    """Replace all the boxes of an image (the editor saves this way) and, with `state`, set its
    state (`complete`: every object is boxed; zero boxes is a negative image). Without `state`
    an unlabelled image that gains a box becomes `in_progress`. Invalid → nothing changes; an
    outdated `If-Match` → 412."""
    image = get_image(session, access.project.id, image_id)
    items = [(a.class_id, a.box, a.time_spent_ms) for a in body.annotations]
    created = annotations.replace_all(session, image, items, access.user.id, body.state, if_match)
    response.headers["ETag"] = annotations.etag(image)
    return [AnnotationOut.model_validate(a) for a in created]


@router.patch("/annotations/{annotation_id}", name="update")
def update_annotation(
    annotation_id: Id,
    body: AnnotationUpdate,
    access: AnnotatorAccess,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> AnnotationOut:
    annotation = annotations.update(
        session,
        access.project.id,
        annotation_id,
        body.class_id,
        body.box,
        body.time_spent_ms,
        access.user.id,
        if_match,
    )
    image = get_image(session, access.project.id, annotation.image_id)
    response.headers["ETag"] = annotations.etag(image)
    return AnnotationOut.model_validate(annotation)


@router.delete("/annotations/{annotation_id}", name="delete", status_code=204)
def delete_annotation(
    annotation_id: Id, access: AnnotatorAccess, session: SessionDep, if_match: IfMatch = None
) -> Response:
    image = annotations.remove(session, access.project.id, annotation_id, if_match)
    return Response(status_code=204, headers={"ETag": annotations.etag(image)})


@router.get("/annotations/activity", name="activity", responses=NEXT_PAGE_HEADERS)
def annotation_activity(
    access: ViewerAccess,
    session: SessionDep,
    request: Request,
    response: Response,
    limit: Annotated[
        int | None, Query(ge=1, le=10_000, description="page size (default: every annotation)")
    ] = None,
    cursor: CursorParam = None,
) -> list[AnnotationActivityOut]:
    """When each annotation of the project was written, by whom, with the time spent on it
    (without boxes), oldest write first: what the web client's loop timeline is computed from.
    With `limit`, a page: the `X-Next-Cursor` header (and `Link: rel="next"`) gives the
    `cursor` of the next one."""
    rows, next_cursor = annotations.activity(session, access.project.id, limit, cursor)
    set_next_cursor(request, response, next_cursor)
    return [AnnotationActivityOut.model_validate(a) for a in rows]
