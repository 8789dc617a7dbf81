"""Project images: all-or-nothing upload, listing with filters, pools, deletion."""

from __future__ import annotations

from typing import Any, BinaryIO

from sqlalchemy import Exists, Select, delete, exists, func, select, update
from sqlalchemy.orm import Session

from backend.db import (
    Annotation,
    EvaluationImage,
    Image,
    ImageUncertainty,
    Prediction,
    Project,
    User,
)
from backend.services import annotations, limits
from backend.services.blobs import BlobStore
from backend.services.errors import Conflict, Invalid, NotFound
from backend.services.paging import CountMode, PageResult, SortKey, paged
from backend.services.uploads import (
    CheckedImage,
    check_file_name,
    check_image,
    check_request_pixels,
)
from backend.settings import get_settings


def read_limited(handle: BinaryIO, limit: int) -> bytes:
    """Read at most limit + 1 bytes: enough to tell that a file is over the limit."""
    return handle.read(limit + 1)


def upload(
    session: Session,
    store: BlobStore,
    project: Project,
    user: User,
    files: list[tuple[str | None, BinaryIO]],
    pool: str,
) -> list[Image]:
    """Check every file first; store nothing unless all of them pass.

    An image is its file's bytes (the sha256 of the file as uploaded), once per project: a file
    already in `pool` is that image again (nothing new is stored, its row is returned as it is),
    a file already in the project's other pool is refused with 409 (and nothing of the request is
    stored), and identical files within one request are one image (the first one's name). The
    images come back once each, in the order of the files.
    """
    if not files:
        raise Invalid("no file in the request (multipart field 'files')")
    settings = get_settings()
    received: list[tuple[str | None, bytes]] = []
    for name, handle in files:
        check_file_name(name)
        received.append((name, read_limited(handle, settings.max_upload_bytes)))
    # every header first: a request of many large images is refused before any is decoded
    check_request_pixels(received, settings.max_image_pixels, settings.max_request_pixels)
    limits.check_storage_quota(session, user, sum(len(data) for _, data in received))
    checked: dict[str, CheckedImage] = {}
    for name, data in received:
        item = check_image(
            name,
            data,
            settings.max_upload_bytes,
            settings.max_image_pixels,
            settings.thumbnail_size,
        )
        checked.setdefault(item.sha256, item)
    # One upload to a project at a time from here to the commit, so that two requests with the
    # same file cannot both find it absent (PostgreSQL: this row lock; SQLite: every transaction
    # is BEGIN IMMEDIATE, which serialises writers already).
    session.execute(select(Project.id).where(Project.id == project.id).with_for_update())
    existing: dict[str, Image] = {}  # by sha256: the oldest such image in `pool`, else the oldest
    rows = session.scalars(
        select(Image)
        .where(Image.project_id == project.id, Image.sha256.in_(list(checked)))
        .order_by(Image.id)
    )
    for row in rows:
        current = existing.get(row.sha256)
        if current is None or (current.pool != pool and row.pool == pool):
            existing[row.sha256] = row
    for sha256, item in checked.items():
        found = existing.get(sha256)
        if found is not None and found.pool != pool:
            raise Conflict(
                f"file {item.file_name!r} is already image {found.id} ({found.file_name!r}) in "
                f"the {found.pool} pool of this project; an image is in one pool only (move it "
                "to another pool instead of uploading it again)"
            )
    images = [
        existing[sha256]
        if sha256 in existing
        else add_checked(session, store, project.id, item, pool, user.id)
        for sha256, item in checked.items()
    ]
    session.commit()
    return images


def add_checked(
    session: Session,
    store: BlobStore,
    project_id: int,
    item: CheckedImage,
    pool: str,
    user_id: int | None,
) -> Image:
    """A new image row for a checked file; stores the file, its rendition and its thumbnail."""
    image = Image(
        project_id=project_id,
        sha256=store.put_bytes(item.data),
        rendition_sha256=store.put_bytes(item.rendition),
        thumbnail_sha256=store.put_bytes(item.thumbnail),
        file_name=item.file_name,
        format=item.format,
        size_bytes=len(item.data),
        width=item.width,
        height=item.height,
        pool=pool,
        uploaded_by_id=user_id,
    )
    session.add(image)
    session.flush()
    return image


def get_image(session: Session, project_id: int, image_id: int) -> Image:
    image = session.get(Image, image_id)
    if image is None or image.project_id != project_id:
        raise NotFound(f"image {image_id} not found in project {project_id}")
    return image


def has_annotations() -> Exists:
    """`EXISTS` clause: the image (of the enclosing query) has at least one annotation."""
    return exists().where(Annotation.image_id == Image.id)


def has_predictions_clause() -> Exists:
    return exists().where(Prediction.image_id == Image.id)


def filtered_query(
    project_id: int,
    pool: str | None,
    annotated: bool | None,
    has_predictions: bool | None,
    state: str | None = None,
) -> Select[tuple[Image]]:
    query = select(Image).where(Image.project_id == project_id)
    if pool is not None:
        query = query.where(Image.pool == pool)
    if state is not None:
        query = query.where(Image.state == state)
    if annotated is not None:
        query = query.where(has_annotations() if annotated else ~has_annotations())
    if has_predictions is not None:
        query = query.where(
            has_predictions_clause() if has_predictions else ~has_predictions_clause()
        )
    return query


IMAGE_ORDER = (SortKey(Image.id, False, "int"),)


def list_images(
    session: Session,
    project_id: int,
    pool: str | None,
    annotated: bool | None,
    has_predictions: bool | None,
    offset: int,
    limit: int,
    state: str | None = None,
    cursor: str | None = None,
    count_mode: CountMode = "bounded",
) -> PageResult[dict[str, Any]]:
    """A page of the project's images in id order (indexes: project_id, pool, state, id)."""
    query = filtered_query(project_id, pool, annotated, has_predictions, state)
    page = paged(
        session,
        query,
        name="images",
        order=IMAGE_ORDER,
        id_column=Image.id,
        key_of=lambda image: (image.id,),
        cursor=cursor,
        offset=offset,
        limit=limit,
        count_mode=count_mode,
    )
    return PageResult(describe_many(session, page.rows), page.total, page.total_exact,
                      page.next_cursor)  # fmt: skip


_FIELDS = ("id", "project_id", "file_name", "sha256", "format", "size_bytes", "width", "height",
           "pool", "state", "annotations_version", "created_at")  # fmt: skip


def describe_many(session: Session, images: list[Image]) -> list[dict[str, Any]]:
    """Image rows with their annotation count and whether they have predictions (two queries)."""
    ids = [image.id for image in images]
    counts = dict(
        session.execute(
            select(Annotation.image_id, func.count())
            .where(Annotation.image_id.in_(ids))
            .group_by(Annotation.image_id)
        ).all()
    )
    predicted = set(
        session.scalars(select(Prediction.image_id).where(Prediction.image_id.in_(ids)).distinct())
    )
    return [
        {
            **{name: getattr(image, name) for name in _FIELDS},
            "annotation_count": counts.get(image.id, 0),
            "has_predictions": image.id in predicted,
        }
        for image in images
    ]


def describe(session: Session, image: Image) -> dict[str, Any]:
    return describe_many(session, [image])[0]


def set_states(session: Session, project_id: int, image_ids: list[int], state: str) -> int:
    """Set several images' state; all or nothing (an image that cannot take it refuses all)."""
    found = list(
        session.scalars(
            select(Image).where(Image.project_id == project_id, Image.id.in_(image_ids))
        )
    )
    missing = sorted(set(image_ids) - {image.id for image in found})
    if missing:
        raise NotFound(f"images not found in project {project_id}: {missing}")
    for image in found:
        annotations.set_state(session, image, state)
    session.commit()
    return len(found)


def set_pool(session: Session, project_id: int, image_ids: list[int], pool: str) -> int:
    found = set(
        session.scalars(
            select(Image.id).where(Image.project_id == project_id, Image.id.in_(image_ids))
        )
    )
    missing = sorted(set(image_ids) - found)
    if missing:
        raise NotFound(f"images not found in project {project_id}: {missing}")
    session.execute(update(Image).where(Image.id.in_(image_ids)).values(pool=pool))
    session.commit()
    return len(found)


def delete_image(session: Session, project_id: int, image_id: int) -> None:
    """Delete the image and every row that hangs from it, in one transaction (children first:
    the database's cascades are not relied on). Its blobs stay: other images may share them."""

    image = get_image(session, project_id, image_id)
    for table in (Prediction, ImageUncertainty, EvaluationImage, Annotation):
        session.execute(
            delete(table).where(table.image_id == image.id),
            execution_options={"synchronize_session": False},
        )
    session.execute(
        delete(Image).where(Image.id == image.id), execution_options={"synchronize_session": False}
    )
    session.commit()
