"""Boxes on images, validated against the image size and the project's classes; each image's
state and the version of its annotations.

States (``backend.db.images.IMAGE_STATES``): ``unlabelled`` (no box), ``in_progress`` (some
objects boxed, maybe not all), ``complete`` (a person confirmed every object is boxed; zero boxes
is a valid negative image). Without an explicit state a write moves an unlabelled image that
gains a box to in_progress and an in-progress image left without boxes back to unlabelled; a
complete image stays complete (a person corrected a confirmed image).

Every change of an image's boxes or state bumps ``annotations_version``, the ETag of its
annotations: a write with ``If-Match`` on an older version is refused with 412, so two people
editing one image cannot silently overwrite each other.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from backend.db import Annotation, Image, LabelClass, utcnow
from backend.services.errors import Invalid, NotFound, PreconditionFailed
from backend.services.paging import SortKey, encode_cursor, ordered, page_query

_EPSILON = 1e-3  # pixels of tolerance on the right and bottom edges (float round trips)
MIN_BOX_SIDE = 1.0  # pixels: a smaller box is no object anyone drew


def etag(image: Image) -> str:
    return f'"{image.annotations_version}"'


def check_version(image: Image, if_match: str | None) -> None:
    """Refuse a write based on an outdated copy (``If-Match`` with another version)."""
    if if_match is None or if_match.strip() == "*":
        return
    wanted = [v.strip().removeprefix("W/").strip('"') for v in if_match.split(",")]
    if str(image.annotations_version) not in wanted:
        raise PreconditionFailed(
            f"image {image.id}'s annotations changed since you loaded them (you have version "
            f"{', '.join(wanted)}, the server has {image.annotations_version}): reload them and "
            "apply your change again"
        )


def mark_changed(image: Image, state: str | None = None, boxes: int | None = None) -> None:
    """Bump the image's annotation version and set its state: ``state`` if given, else the rule
    of the module docstring from its number of ``boxes`` (None: it gained a box)."""
    image.annotations_version += 1
    if state is not None:
        image.state = state
    elif boxes is None or boxes > 0:
        if image.state == "unlabelled":
            image.state = "in_progress"
    elif image.state == "in_progress":
        image.state = "unlabelled"


def set_state(session: Session, image: Image, state: str, if_match: str | None = None) -> None:
    check_version(image, if_match)
    boxes = count_for_image(session, image.id)
    if state == "unlabelled" and boxes:
        raise Invalid(
            f"image {image.id} has {boxes} boxes: delete them to make it unlabelled, or mark it "
            "in_progress or complete"
        )
    if state == "in_progress" and not boxes:
        raise Invalid(
            f"image {image.id} has no box: it is unlabelled, or complete if it shows no object"
        )
    if state != image.state:
        mark_changed(image, state)


def count_for_image(session: Session, image_id: int) -> int:
    return session.scalar(select(func.count()).where(Annotation.image_id == image_id)) or 0


def check_box(box: Sequence[float], image: Image, where: str = "box") -> None:
    x, y, w, h = box
    if not all(math.isfinite(v) for v in box):
        raise Invalid(f"{where} {list(box)}: every number must be finite")
    if w < MIN_BOX_SIDE or h < MIN_BOX_SIDE:
        raise Invalid(f"{where} {list(box)}: width and height must be at least 1 pixel")
    if (
        x < -_EPSILON
        or y < -_EPSILON
        or x + w > image.width + _EPSILON
        or y + h > image.height + _EPSILON
    ):
        raise Invalid(
            f"{where} {list(box)} lies outside image {image.id} ({image.width}x{image.height})"
        )


def check_class(session: Session, project_id: int, class_id: int, where: str = "") -> None:
    label = session.get(LabelClass, class_id)
    if label is None or label.project_id != project_id:
        raise Invalid(f"{where}unknown label class id {class_id} in project {project_id}")


def list_for_image(session: Session, image_id: int) -> list[Annotation]:
    return list(
        session.scalars(
            select(Annotation).where(Annotation.image_id == image_id).order_by(Annotation.id)
        )
    )


ACTIVITY_ORDER = (
    SortKey(Annotation.updated_at, False, "datetime"),
    SortKey(Annotation.id, False, "int"),
)


def activity(
    session: Session,
    project_id: int,
    limit: int | None = None,
    cursor: str | None = None,
) -> tuple[list[Annotation], str | None]:
    """The project's annotations, oldest write first (for the loop timeline): all of them, or
    with `limit` a page and the next page's cursor (None on the last page)."""
    query = (
        select(Annotation)
        .join(Image, Image.id == Annotation.image_id)
        .where(Image.project_id == project_id)
    )
    if limit is None:
        if cursor is not None:
            raise Invalid("a cursor pages: give limit too")
        return list(session.scalars(query.order_by(*ordered(ACTIVITY_ORDER)))), None
    rows = list(session.scalars(page_query(query, "activity", ACTIVITY_ORDER, cursor, 0, limit)))
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    return rows[:limit], encode_cursor("activity", (last.updated_at, last.id))


def _new(
    image: Image,
    class_id: int,
    box: Sequence[float],
    author_id: int | None,
    time_spent_ms: int,
    source: str = "human",
) -> Annotation:
    x, y, w, h = (float(v) for v in box)
    return Annotation(
        image_id=image.id,
        class_id=class_id,
        x=x,
        y=y,
        w=w,
        h=h,
        source=source,
        author_id=author_id,
        time_spent_ms=time_spent_ms,
    )


def create(
    session: Session,
    image: Image,
    class_id: int,
    box: Sequence[float],
    author_id: int | None,
    time_spent_ms: int = 0,
    if_match: str | None = None,
) -> Annotation:
    check_version(image, if_match)
    check_class(session, image.project_id, class_id)
    check_box(box, image)
    annotation = _new(image, class_id, box, author_id, time_spent_ms)
    session.add(annotation)
    mark_changed(image)
    session.commit()
    return annotation


def replace_all(
    session: Session,
    image: Image,
    items: Sequence[tuple[int, Sequence[float], int]],
    author_id: int | None,
    state: str | None = None,
    if_match: str | None = None,
) -> list[Annotation]:
    """Replace every annotation of an image (and set its state, if given); on any invalid item
    nothing changes."""
    check_version(image, if_match)
    for index, (class_id, box, _) in enumerate(items):
        check_class(session, image.project_id, class_id, where=f"annotations[{index}]: ")
        check_box(box, image, where=f"annotations[{index}]: box")
    if state == "unlabelled" and items:
        raise Invalid("state unlabelled with boxes: send no boxes, or in_progress or complete")
    if state == "in_progress" and not items:
        raise Invalid(
            "state in_progress without boxes: send unlabelled, or complete if the "
            "image shows no object"
        )
    session.execute(delete(Annotation).where(Annotation.image_id == image.id))
    created = [_new(image, class_id, box, author_id, spent) for class_id, box, spent in items]
    session.add_all(created)
    mark_changed(image, state, len(items))
    session.commit()
    return created


def get(session: Session, project_id: int, annotation_id: int) -> tuple[Annotation, Image]:
    annotation = session.get(Annotation, annotation_id)
    image = session.get(Image, annotation.image_id) if annotation else None
    if annotation is None or image is None or image.project_id != project_id:
        raise NotFound(f"annotation {annotation_id} not found in project {project_id}")
    return annotation, image


def update(
    session: Session,
    project_id: int,
    annotation_id: int,
    class_id: int | None,
    box: Sequence[float] | None,
    time_spent_ms: int | None,
    author_id: int | None,
    if_match: str | None = None,
) -> Annotation:
    annotation, image = get(session, project_id, annotation_id)
    check_version(image, if_match)
    if class_id is not None:
        check_class(session, project_id, class_id)
        annotation.class_id = class_id
    if box is not None:
        check_box(box, image)
        annotation.x, annotation.y, annotation.w, annotation.h = (float(v) for v in box)
    if time_spent_ms is not None:
        annotation.time_spent_ms = time_spent_ms
    annotation.author_id = author_id
    annotation.updated_at = utcnow()
    mark_changed(image)
    session.commit()
    return annotation


def remove(
    session: Session, project_id: int, annotation_id: int, if_match: str | None = None
) -> Image:
    annotation, image = get(session, project_id, annotation_id)
    check_version(image, if_match)
    session.delete(annotation)
    session.flush()
    mark_changed(image, boxes=count_for_image(session, image.id))
    session.commit()
    return image
