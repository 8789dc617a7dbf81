from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.class_init import ClassInit
from ..models.optimizer import Optimizer
from ..models.train_layers import TrainLayers

T = TypeVar("T", bound="Routine")


@_attrs_define
class Routine:
    """A complete update routine; a field left out takes its default.

    Attributes:
        optimizer (Optimizer):
        lr (float): learning rate Default: 0.001.
        steps (int): maximum gradient steps Default: 50.
        batch_size (int): images per step Default: 8.
        early_stopping (bool): running mean of the last 30 losses; stop when it reaches twice its minimum and keep the
            weights of the minimum Default: True.
        checkpoints (list[int]): steps at which metrics are computed on the evaluation images (0: the model the first
            step starts from); empty: [min(10, steps), steps]; steps past the last are dropped
        train_layers (TrainLayers):
        class_init (ClassInit):
        class_init_scale (float): with class_init=prototype: the mean logit rise at a class's own prototype Default:
            3.0.
        seed (int): random seed (batch order) Default: 0.
    """

    optimizer: Optimizer
    checkpoints: list[int]
    train_layers: TrainLayers
    class_init: ClassInit
    lr: float = 0.001
    steps: int = 50
    batch_size: int = 8
    early_stopping: bool = True
    class_init_scale: float = 3.0
    seed: int = 0

    def to_dict(self) -> dict[str, Any]:
        optimizer = self.optimizer.value

        lr = self.lr

        steps = self.steps

        batch_size = self.batch_size

        early_stopping = self.early_stopping

        checkpoints = self.checkpoints

        train_layers = self.train_layers.value

        class_init = self.class_init.value

        class_init_scale = self.class_init_scale

        seed = self.seed

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "optimizer": optimizer,
                "lr": lr,
                "steps": steps,
                "batch_size": batch_size,
                "early_stopping": early_stopping,
                "checkpoints": checkpoints,
                "train_layers": train_layers,
                "class_init": class_init,
                "class_init_scale": class_init_scale,
                "seed": seed,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        optimizer = Optimizer(d.pop("optimizer"))

        lr = d.pop("lr")

        steps = d.pop("steps")

        batch_size = d.pop("batch_size")

        early_stopping = d.pop("early_stopping")

        checkpoints = cast(list[int], d.pop("checkpoints"))

        train_layers = TrainLayers(d.pop("train_layers"))

        class_init = ClassInit(d.pop("class_init"))

        class_init_scale = d.pop("class_init_scale")

        seed = d.pop("seed")

        routine = cls(
            optimizer=optimizer,
            lr=lr,
            steps=steps,
            batch_size=batch_size,
            early_stopping=early_stopping,
            checkpoints=checkpoints,
            train_layers=train_layers,
            class_init=class_init,
            class_init_scale=class_init_scale,
            seed=seed,
        )

        return routine
