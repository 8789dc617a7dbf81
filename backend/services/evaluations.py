"""What an evaluation got right and wrong on each holdout image: its detections marked true or
false positive, and the ground truth it missed (COCO matching at IoU 0.5, from the worker), as
FiftyOne shows per sample. Kept apart from the review queue."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.db import EvaluationImage, Image, Prediction


def image_evaluations(session: Session, job_id: int) -> list[dict[str, Any]]:
    """Per evaluated image of a job, the images with the most errors (fp + fn) first."""
    rows = session.execute(
        select(EvaluationImage, Image)
        .join(Image, Image.id == EvaluationImage.image_id)
        .where(EvaluationImage.job_id == job_id)
    ).all()
    detections: dict[int, list[dict[str, Any]]] = {}
    for p in session.scalars(
        select(Prediction)
        .where(Prediction.job_id == job_id, Prediction.stage == "evaluate")
        .order_by(Prediction.score.desc(), Prediction.id)
    ):
        detections.setdefault(p.image_id, []).append(
            {"class_id": p.class_id, "box": p.box, "score": p.score, "match": p.match}
        )
    items = [
        {
            "image_id": image.id,
            "file_name": image.file_name,
            "width": image.width,
            "height": image.height,
            "tp": row.tp,
            "fp": row.fp,
            "fn": row.fn,
            "detections": detections.get(image.id, []),
            "missed": row.missed,
        }
        for row, image in rows
    ]
    items.sort(key=lambda i: (-(i["fp"] + i["fn"]), i["image_id"]))
    return items
