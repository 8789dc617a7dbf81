"""Update routines (docs/contracts.md §3): request overrides merged over the model card's preset."""

from __future__ import annotations

from typing import Any, get_args

from backend.schemas.jobs import TrainLayers
from backend.services.errors import Invalid

ROUTINE_DEFAULTS: dict[str, Any] = {
    "optimizer": "adam",
    "lr": 0.001,
    "steps": 50,
    "batch_size": 8,
    "early_stopping": True,
    "train_layers": "all",
    "seed": 0,
}


def merge_routine(
    preset: dict[str, Any] | None, overrides: dict[str, Any] | None
) -> dict[str, Any]:
    routine = {**ROUTINE_DEFAULTS, **(preset or {})}
    routine.update({k: v for k, v in (overrides or {}).items() if v is not None})
    steps = int(routine["steps"])
    if not routine.get("checkpoints"):
        routine["checkpoints"] = sorted({min(10, steps), steps})
    # 0: the model the first step starts from (after the class layer's start)
    routine["checkpoints"] = sorted({int(c) for c in routine["checkpoints"] if 0 <= int(c) <= steps})
    return routine


# what each train_layers setting adapts, narrowest first: each adapts what the ones before it do
LAYER_SCOPES = tuple(reversed(get_args(TrainLayers)))


def check_learned_rates(card: dict[str, Any], routine: dict[str, Any]) -> None:
    """The metasgd optimizer steps each weight by the rate the model learned for it: refuse a
    model without learned rates, or layers beyond those it learned rates for."""
    if routine.get("optimizer") != "metasgd":
        return
    name = card.get("name", "this model")
    covered = card.get("learned_rates")  # the train_layers its rates cover (docs/contracts.md §4)
    if covered is None:
        raise Invalid(
            f"the metasgd optimizer uses a Meta-SGD model's learned learning rates, and {name} has "
            "none: choose the adam or sgd optimizer, or a Meta-SGD base model"
        )
    wanted = routine.get("train_layers", "all")
    known = {wanted, covered} <= set(LAYER_SCOPES)
    if known and LAYER_SCOPES.index(wanted) > LAYER_SCOPES.index(covered):
        raise Invalid(
            f"{name} learned rates for train_layers={covered!r} only, not {wanted!r}: keep "
            f"train_layers={covered!r} with the metasgd optimizer, or choose adam or sgd"
        )
