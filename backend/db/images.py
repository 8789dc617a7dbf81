from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, utcnow

POOLS = ("adapt", "holdout")
# unlabelled: no box yet; in_progress: some objects are boxed, maybe not all (boxes are trained
# as objects, nothing of the image as background); complete: a person confirmed that every
# object is boxed (zero boxes: a negative image). Only complete holdout images are evaluated.
IMAGE_STATES = ("unlabelled", "in_progress", "complete")
ANNOTATION_SOURCES = ("human", "accepted_prediction")


class Image(Base):
    """An image of a project. The bytes live in the blob store under `sha256`."""

    __tablename__ = "images"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    sha256: Mapped[str] = mapped_column(String(64), index=True)  # the file as uploaded
    # 8-bit sRGB, EXIF-oriented, browser-safe: what the web client shows and the model reads
    rendition_sha256: Mapped[str] = mapped_column(String(64))
    thumbnail_sha256: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(255))
    format: Mapped[str] = mapped_column(String(16))
    size_bytes: Mapped[int]
    width: Mapped[int]
    height: Mapped[int]
    pool: Mapped[str] = mapped_column(String(16), default="adapt")
    state: Mapped[str] = mapped_column(String(16), default="unlabelled")
    # bumped by every change of the image's annotations or state (the ETag of its annotations)
    annotations_version: Mapped[int] = mapped_column(default=1)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Annotation(Base):
    """A box `[x, y, w, h]` in pixels of the (EXIF-oriented) image."""

    __tablename__ = "annotations"

    id: Mapped[int] = mapped_column(primary_key=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("images.id", ondelete="CASCADE"))
    class_id: Mapped[int] = mapped_column(
        ForeignKey("label_classes.id", ondelete="RESTRICT"), index=True
    )
    x: Mapped[float]
    y: Mapped[float]
    w: Mapped[float]
    h: Mapped[float]
    source: Mapped[str] = mapped_column(String(32), default="human")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    time_spent_ms: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def box(self) -> list[float]:
        return [self.x, self.y, self.w, self.h]


# The list endpoints page by keyset in id order within a project, filtered by pool and/or state
# (services/images.py); the annotation timeline pages by write time. These replace the indexes
# of project_id, pool, state and image_id alone (a prefix of them, or too coarse to help).
Index("ix_images_project_id_id", Image.project_id, Image.id)
Index("ix_images_project_id_pool_id", Image.project_id, Image.pool, Image.id)
Index("ix_images_project_id_state_id", Image.project_id, Image.state, Image.id)
Index("ix_images_project_id_pool_state_id", Image.project_id, Image.pool, Image.state, Image.id)
Index("ix_annotations_image_id_id", Annotation.image_id, Annotation.id)
Index("ix_annotations_updated_at_id", Annotation.updated_at, Annotation.id)
