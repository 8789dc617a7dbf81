"""The update routine (docs/contracts.md §3): what an adaptation runs, as a Pydantic model of the
choices and defaults written in :mod:`contracts.defaults`.

:class:`Routine` is a complete routine: what a job stores, a task spec carries and a model card's
preset fills in. :class:`RoutineOverrides` is what a request may change, field for field the
same with every field optional (unset: the model's preset, then these defaults). The engine's
``UpdateRoutine`` and the meta-training inner loop read the same defaults in ``contracts.defaults``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator
from typing_extensions import TypeAliasType

from contracts.defaults import (
    CLASS_INITS,
    OPTIMIZERS,
    ROUTINE_DEFAULTS,
    TRAIN_LAYERS,
    resolve_checkpoints,
)

# named aliases: each becomes one schema in the OpenAPI document (and one generated TS type)
Optimizer = TypeAliasType("Optimizer", Literal[OPTIMIZERS])  # type: ignore[valid-type]
TrainLayers = TypeAliasType("TrainLayers", Literal[TRAIN_LAYERS])  # type: ignore[valid-type]
ClassInit = TypeAliasType("ClassInit", Literal[CLASS_INITS])  # type: ignore[valid-type]


class Routine(BaseModel):
    """A complete update routine; a field left out takes its default."""

    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)

    optimizer: Optimizer = Field(
        default=ROUTINE_DEFAULTS["optimizer"],
        description="adam (β1 = 0), sgd, or metasgd: SGD with the per-weight rates a Meta-SGD "
        "model learned (only for a model whose card has learned_rates, within those layers)",
    )
    lr: float = Field(
        default=ROUTINE_DEFAULTS["lr"], gt=0, allow_inf_nan=False, description="learning rate"
    )
    steps: int = Field(
        default=ROUTINE_DEFAULTS["steps"], ge=1, description="maximum gradient steps"
    )
    batch_size: int = Field(
        default=ROUTINE_DEFAULTS["batch_size"], ge=1, description="images per step"
    )
    early_stopping: bool = Field(
        default=ROUTINE_DEFAULTS["early_stopping"],
        description="running mean of the last 30 losses; stop when it reaches twice its minimum "
        "and keep the weights of the minimum",
    )
    checkpoints: list[int] = Field(
        default_factory=lambda: list(ROUTINE_DEFAULTS["checkpoints"]),
        description="steps at which metrics are computed on the evaluation images (0: the model "
        "the first step starts from); empty: [min(10, steps), steps]; steps past the last are "
        "dropped",
    )
    train_layers: TrainLayers = Field(
        default=ROUTINE_DEFAULTS["train_layers"],
        description="all; head (backbone frozen); or classifier (only the class-logit layer)",
    )
    class_init: ClassInit = Field(
        default=ROUTINE_DEFAULTS["class_init"],
        description="the class layer before the first step: the rows as loaded (model), or moved "
        "towards each class's prototype in the annotated images (prototype)",
    )
    class_init_scale: float = Field(
        default=ROUTINE_DEFAULTS["class_init_scale"],
        ge=0,
        allow_inf_nan=False,
        description="with class_init=prototype: the mean logit rise at a class's own prototype",
    )
    seed: int = Field(
        default=ROUTINE_DEFAULTS["seed"],
        ge=0,
        le=2**32 - 1,
        description="random seed (batch order)",
    )

    @model_validator(mode="after")
    def _resolve_checkpoints(self) -> Routine:
        self.checkpoints = resolve_checkpoints(self.checkpoints, self.steps)
        return self


def _optional(name: str) -> tuple[Any, Any]:
    field = Routine.model_fields[name]
    kind = Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation
    return kind | None, Field(default=None, description=field.description)


RoutineOverrides = create_model(
    "RoutineOverrides",
    __config__=ConfigDict(extra="forbid"),
    __doc__="Update routine overrides: the fields of Routine, each optional; an unset field "
    "comes from the model's preset, then from Routine's default. Unknown fields are refused.",
    __module__=__name__,
    **{name: _optional(name) for name in Routine.model_fields},
)
