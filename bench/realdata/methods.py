"""The methods compared: model cards with their presets, and two conventional fine-tuning
baselines that need no card.

A card method is ``bench.fewshot``'s :class:`~bench.fewshot.grid.Method` (``name=card.json``
with ``?key=value&...`` overrides of the card's preset). The baselines start from the ImageNet
EfficientNet-Lite0 backbone with a freshly initialised neck and head of a reference card's
architecture and train with Adam:

    finetune-head   the backbone frozen, the new neck and head trained (``train_layers=head``)
    finetune-all    every layer trained (``train_layers=all``)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import torch

from bench.fewshot.cli import parse_methods
from bench.fewshot.grid import META_LEARNERS, PRESET_KEYS, Method, initial_model, method_preset
from contracts.defaults import ROUTINE_DEFAULTS
from worker.engine.backbones import LITE0, imagenet_lite0_state
from worker.engine.detector import DenseDetector, DetectorConfig
from worker.engine.model_io import read_card, weights_sha256

# the baselines' presets (the steps and early stopping are the reference card's): Adam at the
# routine's default 1e-3 for the new head; 3e-4 when the pretrained backbone trains too, the
# rate bench.fewshot's learning-rate pilot chose for all-layer fine-tuning
BASELINES = {
    "finetune-head": {"optimizer": "adam", "lr": 1e-3, "train_layers": "head"},
    "finetune-all": {"optimizer": "adam", "lr": 3e-4, "train_layers": "all"},
}


@dataclass
class Baseline:
    """A conventional fine-tuning baseline (see the module docstring)."""

    name: str
    kind: str  # a key of BASELINES
    preset: dict = field(default_factory=dict)  # overrides
    card: None = None


AnyMethod = Method | Baseline


def parse(text: str) -> list[AnyMethod]:
    """``name=card.json[?key=value&...]`` or ``name=finetune-head|finetune-all[?key=value&...]``,
    comma-separated. Card items go through ``bench.fewshot``'s parser (a missing card is skipped
    with a message); ``scratch`` is not offered here."""
    methods: list[AnyMethod] = []
    for item in filter(None, text.split(",")):
        name, _, spec = item.partition("=")
        kind, _, query = spec.partition("?")
        if any(m.name == name for m in methods):
            raise SystemExit(f"--methods: {name!r} is given twice")
        if kind == "scratch":
            raise SystemExit(f"--methods: {name}: from-scratch is not part of this benchmark")
        if kind in BASELINES:
            overrides = {}
            for kv in filter(None, query.split("&")):
                key, eq, value = kv.partition("=")
                if key not in PRESET_KEYS or not eq:
                    raise SystemExit(
                        f"--methods: {name}: {kv!r} is not key=value with a key in {PRESET_KEYS}"
                    )
                overrides[key] = _number(value)
            methods.append(Baseline(name, kind, overrides))
        else:
            methods += parse_methods(item)
    return methods


def _number(text: str):
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def reference_card(path: str | None, methods: list[AnyMethod]) -> dict | None:
    """The card whose architecture the baselines take: ``path`` where it exists, else the first
    card method on the EfficientNet-Lite0 trunk; None when there is none."""
    candidates = ([path] if path and Path(path).exists() else []) + [
        m.card for m in methods if m.card
    ]
    for candidate in candidates:
        card = read_card(candidate)
        if card.get("arch", {}).get("trunk") == LITE0:
            return {**card, "path": candidate}
    return None


class Starts:
    """Each method's starting point for a task: a fresh model, the preset it adapts with, and
    Meta-SGD's learned rates where its optimizer is ``metasgd``."""

    def __init__(self, reference: dict | None, device: str = "cpu"):
        self.reference, self.device = reference, device
        self._imagenet: tuple[dict, dict] | None = None

    @property
    def imagenet(self) -> tuple[dict, dict]:
        """The backbone's ImageNet state and its source, read once."""
        if self._imagenet is None:
            self._imagenet = imagenet_lite0_state(prefix="trunk.body.")
        return self._imagenet

    def preset(self, method: AnyMethod) -> dict:
        if isinstance(method, Method):
            return method_preset(method)
        own = self.reference.get("preset", {}) if self.reference else {}
        return {
            "batch_size": own.get("batch_size", ROUTINE_DEFAULTS["batch_size"]),
            "steps": own.get("steps", ROUTINE_DEFAULTS["steps"]),
            "early_stopping": own.get("early_stopping", ROUTINE_DEFAULTS["early_stopping"]),
            **BASELINES[method.kind],
            **method.preset,
        }

    def start(
        self, method: AnyMethod, classes: list[str], seed: int
    ) -> tuple[DenseDetector, dict, dict | None]:
        if isinstance(method, Method):
            return initial_model(method, classes, DetectorConfig(), self.device, seed)
        if self.reference is None:
            raise ValueError(f"{method.name} needs a reference card on the {LITE0} trunk")
        torch.manual_seed(seed)  # the fresh neck and head
        model = DenseDetector(DetectorConfig.from_dict(self.reference["arch"]), len(classes))
        missing, unexpected = model.load_state_dict(self.imagenet[0], strict=False)
        if unexpected or any(k.startswith("trunk.") for k in missing):
            raise ValueError(
                f"the ImageNet state does not fit the trunk: {(unexpected or missing)[:3]}"
            )
        return model.to(self.device), self.preset(method), None

    def describe(self, method: AnyMethod) -> dict:
        """What the output says about a method: where it starts and the preset it runs."""
        if isinstance(method, Baseline):
            return {
                "kind": "fine-tuning baseline",
                "start": f"ImageNet {LITE0} backbone, new neck and head",
                "reference_card": self.reference["path"] if self.reference else None,
                "arch": self.reference["arch"] if self.reference else None,
                "backbone_weights": self.imagenet[1],
                "preset": self.preset(method),
            }
        card = read_card(method.card)
        algorithm = card.get("algorithm")
        return {
            "kind": "meta-learned" if algorithm in META_LEARNERS else "pretrained",
            "card": method.card,
            "algorithm": algorithm,
            "arch": card.get("arch"),
            "init_sha256": weights_sha256(method.weights, card)[:16],
            "preset": self.preset(method),
            "overrides": method.preset,
        }
