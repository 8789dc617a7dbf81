"""Update routines (docs/contracts.md §3): request overrides merged over the model card's preset."""

from __future__ import annotations

from typing import Any

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
    routine["checkpoints"] = sorted({int(c) for c in routine["checkpoints"] if 0 < int(c) <= steps})
    return routine
