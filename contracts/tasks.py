"""The task spec (docs/contracts.md §2, TaskSpec): what a worker receives when it starts an
attempt of a task, one model per task kind, told apart by ``kind``.

Every spec has every key (an empty list, an empty dict or null where a kind has nothing), so a
worker may read any of them. Boxes are ``[x, y, w, h]`` in pixels of the original image; class
references are indices into ``classes``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from contracts.results import Box
from contracts.routine import Routine


class ClassRef(BaseModel):
    id: int
    name: str


class SpecAnnotation(BaseModel):
    class_index: int = Field(description="index into the spec's classes")
    box: Box


class SpecImage(BaseModel):
    id: int
    sha256: str
    width: int
    height: int
    file_name: str = Field(default="", description="informative only")
    annotations: list[SpecAnnotation] = Field(default_factory=list)
    complete: bool = Field(
        default=True,
        description="a person confirmed that every object is boxed (zero boxes: a negative "
        "image); false: only the boxes are known, so no part of the image may be trained as "
        "background",
    )


class ModelSummary(BaseModel):
    id: int
    name: str
    weights_sha256: str
    card: dict[str, Any] = Field(description="the model card (docs/contracts.md §4)")


class DetectParams(BaseModel):
    """How a detect task runs; further keys pass through to the worker."""

    model_config = ConfigDict(extra="allow")

    score_threshold: float = Field(default=0.05, ge=0, le=1)
    max_detections: int | None = Field(
        default=None,
        ge=1,
        le=10_000,
        description="detections kept per image; null: the project's setting, else the model's "
        "(what its adaptation's images needed), else 100",
    )


class GeneratePool(BaseModel):
    pool: Literal["adapt", "holdout"] = "adapt"
    count: int = Field(ge=0)
    annotated: bool = True


class GenerateParams(BaseModel):
    """Synthetic letter images for a demo project; an annotated adapt set is K-shot: each class
    in about ``count / len(classes)`` images."""

    model_config = ConfigDict(extra="allow")

    seed: int = 0
    classes: list[str] = Field(description="the letters to draw")
    pools: list[GeneratePool] = Field(default_factory=list)
    image_size: int = Field(default=256, ge=16)


class ExportOnnxParams(BaseModel):
    """How an export_onnx task runs; further keys pass through to the worker."""

    model_config = ConfigDict(extra="allow")

    working_scale: float | None = Field(
        default=None,
        gt=0,
        description="a ``tiles`` model's working scale (image pixels → model pixels), written "
        "into the ONNX card; null: the model's own (its card's ``working_scale``), else 1 — the "
        "scale detect runs it at. Ignored for a ``letterbox`` model",
    )


class _Spec(BaseModel):
    task_id: int
    job_id: int
    attempt: int
    attempt_token: str
    lease_seconds: float
    classes: list[ClassRef]


class AdaptSpec(_Spec):
    """Adapt ``model`` (the base) to ``images`` (the adapt pool's complete and in-progress
    images); ``eval_images`` (the complete holdout images, maybe none) are scored at the
    routine's checkpoints."""

    kind: Literal["adapt"]
    model: ModelSummary
    images: list[SpecImage]
    eval_images: list[SpecImage] = Field(default_factory=list)
    routine: Routine
    params: dict[str, Any] = Field(default_factory=dict)


class DetectSpec(_Spec):
    """Run ``model`` over ``images`` (a chunk, without annotations)."""

    kind: Literal["detect"]
    model: ModelSummary
    images: list[SpecImage]
    eval_images: list[SpecImage] = Field(default_factory=list)
    routine: None = None
    params: DetectParams = Field(default_factory=DetectParams)


class EvaluateSpec(_Spec):
    """Score ``model`` on ``images`` (the complete holdout images)."""

    kind: Literal["evaluate"]
    model: ModelSummary
    images: list[SpecImage]
    eval_images: list[SpecImage] = Field(default_factory=list)
    routine: None = None
    params: dict[str, Any] = Field(default_factory=dict)


class GenerateSpec(_Spec):
    """Draw synthetic images as ``params`` say; there is no model."""

    kind: Literal["generate"]
    model: None = None
    images: list[SpecImage] = Field(default_factory=list)
    eval_images: list[SpecImage] = Field(default_factory=list)
    routine: None = None
    params: GenerateParams


class ExportOnnxSpec(_Spec):
    """Export ``model`` (with the spec's ``classes``, as detect runs it) to one ONNX file, upload
    it as a blob and answer its sha256 (docs/engine.md, "Export to ONNX")."""

    kind: Literal["export_onnx"]
    model: ModelSummary
    images: list[SpecImage] = Field(default_factory=list)
    eval_images: list[SpecImage] = Field(default_factory=list)
    routine: None = None
    params: ExportOnnxParams = Field(default_factory=ExportOnnxParams)


TaskSpec = Annotated[
    AdaptSpec | DetectSpec | EvaluateSpec | GenerateSpec | ExportOnnxSpec,
    Field(discriminator="kind"),
]
