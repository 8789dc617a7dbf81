"""Each task kind's result (docs/contracts.md §2, Results): what a worker posts to
``POST /api/worker/tasks/{task_id}/result``.

Numbers a result must have (box coordinates, scores) are finite; metrics may be missing: a NaN
or an infinity there (no ground truth for it) becomes None, here and nowhere else, because JSON
columns (PostgreSQL's especially) refuse them. Class references are indices into the spec's
``classes``: validated with ``context={"num_classes": n}`` they must lie in ``0..n-1``.

A result may carry more fields than these (the server reads these and ignores the rest), so a
worker can report something new before the server stores it.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    ValidationInfo,
)


def without_nan(value: Any) -> Any:
    """``value`` with every NaN and infinity (in nested dicts and lists too) replaced by None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: without_nan(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [without_nan(v) for v in value]
    return value


def _class_index(index: int, info: ValidationInfo) -> int:
    count = (info.context or {}).get("num_classes")
    if count is not None and not 0 <= index < count:
        raise ValueError(f"class_index {index} is not in 0..{count - 1}")
    return index


# a number that must be there: finite, and a number (not a bool or a string)
Number = Annotated[float, Strict(), Field(allow_inf_nan=False)]
# a metric: None where it has no value (NaN or infinity are turned into None)
Metric = Annotated[Annotated[float, Strict()] | None, BeforeValidator(without_nan)]
Box = Annotated[
    list[Number], Field(min_length=4, max_length=4, description="[x, y, w, h] in pixels")
]
ClassIndex = Annotated[int, Strict(), AfterValidator(_class_index)]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
# free-form JSON (a model card): kept as sent, without NaN
JsonObject = Annotated[dict[str, Any], AfterValidator(without_nan)]


class _Result(BaseModel):
    model_config = ConfigDict(extra="ignore")

    seconds: Number | None = Field(default=None, description="time the worker spent")


class Checkpoint(BaseModel):
    step: Annotated[int, Strict()]
    metrics: dict[str, Metric] = Field(default_factory=dict)


class AdaptResult(_Result):
    weights_sha256: Sha256 = Field(description="the new weights, uploaded to the blob store first")
    card: JsonObject = Field(default_factory=dict, description="the new model's card")
    steps_run: int
    best_step: int
    stopped_early: bool
    final_loss: Metric = None
    loss_curve: list[tuple[int, Metric]] = Field(
        default_factory=list, description="[[step, loss], …]"
    )
    checkpoints: list[Checkpoint] = Field(default_factory=list)
    diverged: bool = Field(
        default=False,
        description="the loss became non-finite or exploded; the weights are the best ones "
        "before it (``best_step``), and ``stop_reason`` says what happened",
    )
    stop_reason: str | None = Field(default=None, description="why the run stopped early")


class Detection(BaseModel):
    class_index: ClassIndex
    box: Box
    score: Number
    uncertainty: Number = 0.0


class ImagePredictions(BaseModel):
    image_id: Annotated[int, Strict()]
    uncertainty: Number = Field(default=0.0, description="the largest of its detections'")
    detections: list[Detection] = Field(default_factory=list)


class DetectResult(_Result):
    predictions: list[ImagePredictions] = Field(default_factory=list)


class ClassMetrics(BaseModel):
    class_index: ClassIndex
    AP: Metric = None
    AP50: Metric = None


class PrCurve(BaseModel):
    class_index: ClassIndex
    iou: Number = 0.5
    recall: list[Metric] = Field(default_factory=list)
    precision: list[Metric] = Field(default_factory=list)


class EvaluatedDetection(BaseModel):
    class_index: ClassIndex
    box: Box
    score: Number
    match: Literal["tp", "fp"] = Field(
        description="tp: it matched a ground-truth box of its class at IoU >= 0.5 (COCO's "
        "greedy matching, highest score first); fp: it did not"
    )


class ImageEvaluation(BaseModel):
    """One holdout image's detections, each marked tp or fp, and the ground truth missed."""

    image_id: Annotated[int, Strict()]
    detections: list[EvaluatedDetection] = Field(default_factory=list)
    missed: list[Annotated[int, Strict()]] = Field(
        default_factory=list,
        description="indices into the spec image's annotations that no detection matched",
    )


class EvaluateResult(_Result):
    metrics: dict[str, Metric] = Field(
        default_factory=dict,
        description="AP, AP50, AP75, APs, APm, APl, AR1, AR10, AR100 (COCO); null where it does "
        "not apply (no ground truth in that area range)",
    )
    per_class: list[ClassMetrics] = Field(default_factory=list)
    pr_curves: list[PrCurve] = Field(default_factory=list)
    num_images: int | None = None
    max_detections: int | None = Field(
        default=None,
        description="COCO's largest max-detections setting used (100 in COCO; more for dense "
        "scenes): AP and AR100 count at most this many detections per image",
    )
    images: list[ImageEvaluation] = Field(
        default_factory=list, description="per image: detections marked tp/fp, and misses"
    )


class GeneratedAnnotation(BaseModel):
    class_index: ClassIndex
    box: Box


class GeneratedImage(BaseModel):
    sha256: Sha256 = Field(description="the PNG, uploaded to the blob store first")
    file_name: str = ""
    pool: Literal["adapt", "holdout"] = "adapt"
    width: int | None = None
    height: int | None = None
    annotations: list[GeneratedAnnotation] = Field(
        default_factory=list, description="empty for an image of an unannotated set"
    )


class GenerateResult(_Result):
    images: list[GeneratedImage] = Field(default_factory=list)


class ExportOnnxResult(_Result):
    onnx_sha256: Sha256 = Field(description="the ONNX file, uploaded to the blob store first")
    size: Annotated[int, Strict(), Field(ge=1)] = Field(description="the file's size in bytes")
    onnx: JsonObject = Field(
        description="the file's ``onnx`` card section (also in its ``metaloop`` metadata): "
        "input shape and normalisation, outputs, classes, pre- and post-processing "
        "(worker/engine/onnx_export.py, onnx_card)"
    )


RESULTS: dict[str, type[_Result]] = {
    "adapt": AdaptResult,
    "detect": DetectResult,
    "evaluate": EvaluateResult,
    "generate": GenerateResult,
    "export_onnx": ExportOnnxResult,
}
