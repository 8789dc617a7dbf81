from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, utcnow

ROLES = ("owner", "annotator", "viewer")
TASK_TYPES = ("detection", "segmentation")


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    task_type: Mapped[str] = mapped_column(String(16), default="detection")
    # image → model input scale for real images (None: derived from the annotated boxes' sizes)
    working_scale: Mapped[float | None] = mapped_column(default=None)
    # the most detections kept per image, and COCO's max-detections (None: derived from the data)
    max_detections: Mapped[int | None] = mapped_column(default=None)
    # the shipped model adapt jobs start from here (None: the server's default base model)
    base_model_id: Mapped[int | None] = mapped_column(
        ForeignKey("models.id", ondelete="SET NULL", use_alter=True), default=None
    )
    # the model detect and evaluate use unless told otherwise (None: the base model). A new model
    # becomes current when its holdout AP50 is not lower than the current one's, or when promoted
    current_model_id: Mapped[int | None] = mapped_column(
        ForeignKey("models.id", ondelete="SET NULL", use_alter=True), default=None
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProjectMember(Base):
    __tablename__ = "project_members"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LabelClass(Base):
    __tablename__ = "label_classes"
    __table_args__ = (UniqueConstraint("project_id", "name"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    color: Mapped[str] = mapped_column(String(7))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
