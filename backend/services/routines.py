"""Update routines (docs/contracts.md §3): request overrides merged over the model card's preset,
over the defaults of ``contracts.Routine``."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from backend.db import Model
from backend.services.errors import Invalid
from contracts.routine import TRAIN_LAYERS, Routine


def merge_routine(base: Model, overrides: dict[str, Any] | None = None) -> Routine:
    """The routine an adapt job from ``base`` runs: the request's fields over the model's preset
    (its card's, else the routine it was adapted with), over the defaults.

    A preset's keys that are no routine field (a card written by another version) are left out;
    the request's were refused already (``RoutineOverrides`` forbids unknown fields)."""
    preset = base.card.get("preset") or base.routine or {}
    known = {k: v for k, v in preset.items() if k in Routine.model_fields}
    known.update({k: v for k, v in (overrides or {}).items() if v is not None})
    try:
        return Routine.model_validate(known)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise Invalid(f"invalid update routine: {problems}") from None


# train_layers in the words of the web client's form (frontend/src/lib/field-labels.ts)
LAYER_WORDS = {"all": "all", "head": "head only", "classifier": "class layer only"}

# what each train_layers setting adapts, narrowest first: each adapts what the ones before it do
LAYER_SCOPES = tuple(reversed(TRAIN_LAYERS))


def check_learned_rates(card: dict[str, Any], routine: dict[str, Any]) -> None:
    """The metasgd optimizer steps each weight by the rate the model learned for it: refuse a
    model without learned rates, or layers beyond those it learned rates for."""
    if routine.get("optimizer") != "metasgd":
        return
    name = card.get("name", "this model")
    covered = card.get("learned_rates")  # the train_layers its rates cover (docs/contracts.md §4)
    if covered is None:
        raise Invalid(
            f"the Meta-SGD optimizer uses a Meta-SGD model's learned learning rates, and {name} "
            "has none: choose the Adam or SGD optimizer, or a Meta-SGD base model"
        )
    wanted = routine.get("train_layers", "all")
    known = {wanted, covered} <= set(LAYER_SCOPES)
    if known and LAYER_SCOPES.index(wanted) > LAYER_SCOPES.index(covered):
        have, want = LAYER_WORDS.get(covered, covered), LAYER_WORDS.get(wanted, wanted)
        raise Invalid(
            f"{name} learned rates for “Layers trained: {have}” only, not “{want}”: keep "
            f"“Layers trained: {have}” with the Meta-SGD optimizer, or choose Adam or SGD"
        )
