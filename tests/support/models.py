"""Shipped-model files for tests (a card and a stand-in weights file in a MODELS_DIR)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

# the standard-pretrained model shipped in models/ (integration tests start from it)
SHIPPED_BASE_MODEL = "letters-base"


def write_model(
    models_dir: Path,
    name: str,
    default: bool = False,
    preset: dict[str, Any] | None = None,
    weights: bytes | None = None,
    card_extra: dict[str, Any] | None = None,
) -> str:
    """A shipped model for tests: a card and a (not really) safetensors file; returns its sha256."""
    models_dir.mkdir(parents=True, exist_ok=True)
    card = {
        "name": name,
        "format": 1,
        "architecture": "dense-detector",
        "task_type": "detection",
        "classes": ["A", "B", "D"],
        "class_head": "shared",
        "algorithm": "reptile",
        "preset": preset or {"optimizer": "adam", "lr": 0.001, "steps": 20, "train_layers": "all"},
        "metrics": {"AP50": 0.5},
        "created_at": "2026-01-01T00:00:00Z",
    }
    if default:
        card["default"] = True
    card.update(card_extra or {})
    data = weights if weights is not None else f"weights of {name}".encode()
    (models_dir / f"{name}.json").write_text(json.dumps(card))
    (models_dir / f"{name}.safetensors").write_bytes(data)
    return hashlib.sha256(data).hexdigest()
