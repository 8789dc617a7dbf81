from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class MetricOut(BaseModel):
    id: int
    job_id: int | None
    model_id: int | None
    class_id: int | None
    class_name: str | None
    name: str
    value: float
    step: int | None


class PrCurveOut(BaseModel):
    id: int
    job_id: int | None
    model_id: int | None
    class_id: int | None
    class_name: str | None
    iou: float
    recall: list[float]
    precision: list[float]


class MetricsOut(BaseModel):
    metrics: list[MetricOut]
    pr_curves: list[PrCurveOut]


class CheckpointOut(BaseModel):
    step: int
    metrics: dict[str, float]


class AdaptationCurveOut(BaseModel):
    model_id: int
    job_id: int | None
    checkpoints: list[CheckpointOut]
    loss_curve: list[Any]
