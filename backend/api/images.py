from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Header, Query, Response, UploadFile
from fastapi.responses import FileResponse

from backend.api.deps import (
    AddressDep,
    AnnotatorAccess,
    BlobStoreDep,
    SessionDep,
    ViewerAccess,
    ViewerAccessQueryToken,
)
from backend.api.paging import CountParam, CursorParam
from backend.api.responses import file_response
from backend.schemas.common import MAX_INT, Id, Ok, Page
from backend.schemas.images import (
    ImageOut,
    ImagePoolUpdate,
    ImagesPoolUpdate,
    ImagesStateUpdate,
    ImageState,
    Pool,
)
from backend.services import annotations, audit, images, renditions

router = APIRouter(prefix="/projects/{project_id}/images", tags=["images"])
_IMMUTABLE = {"Cache-Control": "private, max-age=31536000, immutable"}


@router.post("", name="upload", status_code=201)
def upload_images(
    files: Annotated[list[UploadFile], File(description="one or more image files")],
    access: AnnotatorAccess,
    session: SessionDep,
    store: BlobStoreDep,
    pool: Annotated[Pool, Form()] = "adapt",
) -> list[ImageOut]:
    """Upload images; all or nothing: one bad file refuses the request and nothing is stored.

    An image is its file's bytes, once per project. A file already in this pool is that image
    again: it is answered with the existing row and nothing new is stored (the request is still
    201, also when no file was new). A file already in the project's other pool refuses the
    request with 409, naming that image (id, file name, pool). Identical files within a request
    are one image, named after the first. The answer lists each image once, in file order."""
    created = images.upload(
        session, store, access.project, access.user, [(f.filename, f.file) for f in files], pool
    )
    return [ImageOut(**row) for row in images.describe_many(session, created)]


@router.get("", name="list")
def list_images(
    access: ViewerAccess,
    session: SessionDep,
    pool: Pool | None = None,
    state: ImageState | None = None,
    annotated: bool | None = None,
    has_predictions: bool | None = None,
    offset: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: CursorParam = None,
    count: CountParam = "bounded",
) -> Page[ImageOut]:
    """The project's images in id order, filtered; page with `cursor` (or `offset`)."""
    page = images.list_images(
        session, access.project.id, pool, annotated, has_predictions, offset, limit, state,
        cursor, count,
    )  # fmt: skip
    return Page(
        items=[ImageOut(**i) for i in page.rows],
        total=page.total,
        total_exact=page.total_exact,
        offset=offset,
        limit=limit,
        next_cursor=page.next_cursor,
    )


@router.post("/pool", name="set-pool")
def set_pool(body: ImagesPoolUpdate, access: AnnotatorAccess, session: SessionDep) -> Ok:
    """Move several images to the adapt or the holdout pool."""
    images.set_pool(session, access.project.id, body.image_ids, body.pool)
    return Ok()


@router.post("/state", name="set-state")
def set_state(body: ImagesStateUpdate, access: AnnotatorAccess, session: SessionDep) -> Ok:
    """Set several images' state (e.g. mark them complete); all or nothing."""
    images.set_states(session, access.project.id, body.image_ids, body.state)
    return Ok()


@router.get("/{image_id}", name="get")
def get_image(image_id: Id, access: ViewerAccess, session: SessionDep) -> ImageOut:
    return ImageOut(
        **images.describe(session, images.get_image(session, access.project.id, image_id))
    )


def _blob(path: Path, sha256: str, if_none_match: str | None, **kwargs: Any) -> Response:
    """A stored file by its content address: the sha256 is a strong ETag, and the bytes behind
    an image's URL never change (an image is its file; its rendition and thumbnail are made
    once), so the browser may keep them for a year; a revalidation that matches is a 304."""
    etag = f'"{sha256}"'
    headers = {"ETag": etag, **_IMMUTABLE}
    if if_none_match is not None and _etag_matches(if_none_match, etag):
        return Response(status_code=304, headers=headers)
    return FileResponse(path, headers=headers, **kwargs)


def _etag_matches(if_none_match: str, etag: str) -> bool:
    """RFC 9110 13.1.2: `*`, or any listed tag equal under weak comparison."""
    tags = [tag.strip() for tag in if_none_match.split(",")]
    return "*" in tags or any(tag.removeprefix("W/") == etag for tag in tags)


NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not Modified: the `If-None-Match` sent names the current ETag"}
}
IfNoneMatch = Annotated[
    str | None, Header(description="ETags the client holds: the same one answers 304")
]


@router.get(
    "/{image_id}/file",
    name="file",
    response_class=FileResponse,
    responses={
        **file_response("the rendition: a JPEG or a PNG", "image/jpeg", "image/png"),
        **NOT_MODIFIED,
    },
)
def image_file(
    image_id: Id,
    access: ViewerAccessQueryToken,
    session: SessionDep,
    store: BlobStoreDep,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """The image as the web client shows it and the model reads it: its rendition, 8-bit sRGB
    with the EXIF orientation applied, a JPEG (for JPEG and MPO uploads) or a PNG (the file as
    uploaded is at `/original`). Accepts `?ticket=` (a files ticket) for `<img src>`. `ETag`:
    the rendition's sha256; cached as immutable; `If-None-Match` → 304."""
    image = images.get_image(session, access.project.id, image_id)
    path = store.path(image.rendition_sha256)
    with open(path, "rb") as handle:
        media_type = renditions.media_type_of(handle.read(16))
    return _blob(path, image.rendition_sha256, if_none_match, media_type=media_type)


@router.get(
    "/{image_id}/original",
    name="original",
    response_class=FileResponse,
    responses={
        **file_response(
            "the file as uploaded, as an attachment named by its file name",
            *dict.fromkeys(renditions.MEDIA_TYPES.values()),
            "application/octet-stream",
        ),
        **NOT_MODIFIED,
    },
)
def image_original(
    image_id: Id,
    access: ViewerAccessQueryToken,
    session: SessionDep,
    store: BlobStoreDep,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """The file as uploaded, byte for byte, as an attachment named by its file name.
    Accepts `?ticket=` (a files ticket) for a download link. `ETag`: its sha256; cached as
    immutable; `If-None-Match` → 304."""
    image = images.get_image(session, access.project.id, image_id)
    return _blob(
        store.path(image.sha256),
        image.sha256,
        if_none_match,
        media_type=renditions.MEDIA_TYPES.get(image.format, "application/octet-stream"),
        filename=image.file_name,
        content_disposition_type="attachment",
    )


@router.get(
    "/{image_id}/thumbnail",
    name="thumbnail",
    response_class=FileResponse,
    responses={**file_response("a JPEG thumbnail", "image/jpeg"), **NOT_MODIFIED},
)
def image_thumbnail(
    image_id: Id,
    access: ViewerAccessQueryToken,
    session: SessionDep,
    store: BlobStoreDep,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """A JPEG of at most 256 px a side. Accepts `?ticket=` (a files ticket). `ETag`: its
    sha256; cached as immutable; `If-None-Match` → 304."""
    image = images.get_image(session, access.project.id, image_id)
    return _blob(
        store.path(image.thumbnail_sha256), image.thumbnail_sha256, if_none_match,
        media_type="image/jpeg",
    )  # fmt: skip


@router.patch("/{image_id}", name="update")
def update_image(
    image_id: Id,
    body: ImagePoolUpdate,
    access: AnnotatorAccess,
    session: SessionDep,
    if_match: Annotated[str | None, Header()] = None,
) -> ImageOut:
    """Move the image to another pool and/or set its state (`complete`: a person confirmed
    every object is boxed). `If-Match` (the annotations' ETag) guards a state change."""
    image = images.get_image(session, access.project.id, image_id)
    if body.state is not None:
        annotations.set_state(session, image, body.state, if_match)
    if body.pool is not None:
        images.set_pool(session, access.project.id, [image_id], body.pool)
    session.commit()
    return ImageOut(
        **images.describe(session, images.get_image(session, access.project.id, image_id))
    )


@router.delete("/{image_id}", name="delete", status_code=204)
def delete_image(
    image_id: Id, access: AnnotatorAccess, session: SessionDep, address: AddressDep
) -> Response:
    audit.record(
        session, "image.delete", access.user, address=address, project_id=access.project.id,
        target=f"image {image_id}",
    )  # fmt: skip
    images.delete_image(session, access.project.id, image_id)
    return Response(status_code=204)
