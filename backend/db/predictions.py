from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, utcnow

PREDICTION_STATUSES = ("pending", "accepted", "rejected")
# detect: a prediction for review; evaluate: a holdout prediction, scored against the ground
# truth and never in the review queue
PREDICTION_STAGES = ("detect", "evaluate")
MATCHES = ("tp", "fp")


class Prediction(Base):
    """One detection of a detect job: a box `[x, y, w, h]`, a class, a score and its uncertainty."""

    __tablename__ = "predictions"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"))
    model_id: Mapped[int | None] = mapped_column(ForeignKey("models.id", ondelete="SET NULL"))
    image_id: Mapped[int] = mapped_column(ForeignKey("images.id", ondelete="CASCADE"), index=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("label_classes.id", ondelete="CASCADE"))
    x: Mapped[float]
    y: Mapped[float]
    w: Mapped[float]
    h: Mapped[float]
    score: Mapped[float]
    uncertainty: Mapped[float]
    status: Mapped[str] = mapped_column(String(16), default="pending")
    stage: Mapped[str] = mapped_column(String(16), default="detect", index=True)
    # evaluate stage: "tp" when it matched a ground-truth box of its class at IoU >= 0.5, else "fp"
    match: Mapped[str | None] = mapped_column(String(8), default=None)
    annotation_id: Mapped[int | None] = mapped_column(
        ForeignKey("annotations.id", ondelete="SET NULL")
    )
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def box(self) -> list[float]:
        return [self.x, self.y, self.w, self.h]


class ImageUncertainty(Base):
    """Per image and detect job: the largest uncertainty of its detections (0 with none)."""

    __tablename__ = "image_uncertainties"
    __table_args__ = (UniqueConstraint("job_id", "image_id"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("images.id", ondelete="CASCADE"), index=True)
    model_id: Mapped[int | None] = mapped_column(ForeignKey("models.id", ondelete="SET NULL"))
    uncertainty: Mapped[float]
    num_detections: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class EvaluationImage(Base):
    """Per holdout image and evaluate job: true and false positives and the ground truth missed
    (COCO matching at IoU 0.5, as FiftyOne's per-sample ``eval_tp``/``eval_fp``/``eval_fn``)."""

    __tablename__ = "evaluation_images"
    __table_args__ = (UniqueConstraint("job_id", "image_id"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("images.id", ondelete="CASCADE"), index=True)
    model_id: Mapped[int | None] = mapped_column(ForeignKey("models.id", ondelete="SET NULL"))
    tp: Mapped[int] = mapped_column(default=0)
    fp: Mapped[int] = mapped_column(default=0)
    fn: Mapped[int] = mapped_column(default=0)
    # the ground-truth boxes no detection matched: [{"class_id", "box"}, …]
    missed: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# One index per review sort (services/predictions.py SORTS), for one job and for all of them;
# only detect predictions are reviewed, so only they are in these indexes.
_UNCERTAINTY = (Prediction.uncertainty.desc(), Prediction.score.desc(), Prediction.id)
_CONFIDENCE = (Prediction.score.desc(), Prediction.id)
_DETECT = {"postgresql_where": text("stage = 'detect'"), "sqlite_where": text("stage = 'detect'")}
Index("ix_predictions_job_id_uncertainty", Prediction.job_id, *_UNCERTAINTY, **_DETECT)
Index("ix_predictions_uncertainty", *_UNCERTAINTY, **_DETECT)
Index("ix_predictions_job_id_score", Prediction.job_id, *_CONFIDENCE, **_DETECT)
Index("ix_predictions_score", *_CONFIDENCE, **_DETECT)
Index(
    "ix_predictions_job_id_image_id_score",
    Prediction.job_id,
    Prediction.image_id,
    *_CONFIDENCE,
    **_DETECT,
)
Index("ix_predictions_image_id_score", Prediction.image_id, *_CONFIDENCE, **_DETECT)
# the review board's list: a job's pending predictions by image
Index(
    "ix_predictions_job_id_status_image_id_score",
    Prediction.job_id,
    Prediction.status,
    Prediction.image_id,
    *_CONFIDENCE,
    **_DETECT,
)
Index(
    "ix_image_uncertainties_job_id_uncertainty",
    ImageUncertainty.job_id,
    ImageUncertainty.uncertainty.desc(),
    ImageUncertainty.image_id,
)
