"""Boxes on images, validated against the image size and the project's classes."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from backend.db import Annotation, Image, LabelClass, utcnow
from backend.services.errors import Invalid, NotFound

_EPSILON = 1e-3  # pixels of tolerance on the right and bottom edges (float round trips)


def check_box(box: Sequence[float], image: Image, where: str = "box") -> None:
    x, y, w, h = box
    if w <= 0 or h <= 0:
        raise Invalid(f"{where} {list(box)}: width and height must be > 0")
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


def activity(session: Session, project_id: int) -> list[Annotation]:
    """Every annotation of a project, oldest write first (for the loop timeline)."""
    return list(
        session.scalars(
            select(Annotation)
            .join(Image, Image.id == Annotation.image_id)
            .where(Image.project_id == project_id)
            .order_by(Annotation.updated_at, Annotation.id)
        )
    )


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
) -> Annotation:
    check_class(session, image.project_id, class_id)
    check_box(box, image)
    annotation = _new(image, class_id, box, author_id, time_spent_ms)
    session.add(annotation)
    session.commit()
    return annotation


def replace_all(
    session: Session,
    image: Image,
    items: Sequence[tuple[int, Sequence[float], int]],
    author_id: int | None,
) -> list[Annotation]:
    """Replace every annotation of an image; on any invalid item nothing changes."""
    for index, (class_id, box, _) in enumerate(items):
        check_class(session, image.project_id, class_id, where=f"annotations[{index}]: ")
        check_box(box, image, where=f"annotations[{index}]: box")
    session.execute(delete(Annotation).where(Annotation.image_id == image.id))
    created = [_new(image, class_id, box, author_id, spent) for class_id, box, spent in items]
    session.add_all(created)
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
) -> Annotation:
    annotation, image = get(session, project_id, annotation_id)
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
    session.commit()
    return annotation


def remove(session: Session, project_id: int, annotation_id: int) -> None:
    annotation, _ = get(session, project_id, annotation_id)
    session.delete(annotation)
    session.commit()
