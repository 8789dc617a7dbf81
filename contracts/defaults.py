"""The update routine's choices and defaults, written once, in plain Python.

:mod:`contracts.routine` makes the Pydantic model of them (what the server validates and
documents); the engine reads them here, so that it runs where pydantic is not installed.
"""

from __future__ import annotations

from typing import Any

OPTIMIZERS = ("adam", "sgd", "metasgd")  # metasgd: the rates a Meta-SGD model learned
TRAIN_LAYERS = ("all", "head", "classifier")  # widest first: each adapts what the ones after do
CLASS_INITS = ("model", "prototype")

ROUTINE_DEFAULTS: dict[str, Any] = {
    "optimizer": "adam",
    "lr": 1e-3,
    "steps": 50,
    "batch_size": 8,
    "early_stopping": True,
    "checkpoints": [],  # none named: see default_checkpoints
    "train_layers": "all",
    "class_init": "model",
    "class_init_scale": 3.0,
    "seed": 0,
}


def default_checkpoints(steps: int) -> list[int]:
    """Where metrics are taken when a routine names none: after 10 steps and at the end."""
    return sorted({min(10, steps), steps})


def resolve_checkpoints(checkpoints: list[int] | None, steps: int) -> list[int]:
    """The steps metrics are taken at: those named (the defaults where none are) within
    ``0..steps``, sorted, each once. Step 0 is the model the first step starts from."""
    wanted = checkpoints or default_checkpoints(steps)
    return sorted({int(c) for c in wanted if 0 <= int(c) <= steps})
