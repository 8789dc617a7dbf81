from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.class_init import ClassInit
from ..models.optimizer import Optimizer
from ..models.train_layers import TrainLayers
from ..types import UNSET, Unset

T = TypeVar("T", bound="RoutineOverrides")


@_attrs_define
class RoutineOverrides:
    """Update routine overrides: the fields of Routine, each optional; an unset field comes from the model's preset, then
    from Routine's default. Unknown fields are refused.

        Attributes:
            optimizer (None | Optimizer | Unset): adam (β1 = 0), sgd, or metasgd: SGD with the per-weight rates a Meta-SGD
                model learned (only for a model whose card has learned_rates, within those layers)
            lr (float | None | Unset): learning rate
            steps (int | None | Unset): maximum gradient steps
            batch_size (int | None | Unset): images per step
            early_stopping (bool | None | Unset): running mean of the last 30 losses; stop when it reaches twice its minimum
                and keep the weights of the minimum
            checkpoints (list[int] | None | Unset): steps at which metrics are computed on the evaluation images (0: the
                model the first step starts from); empty: [min(10, steps), steps]; steps past the last are dropped
            train_layers (None | TrainLayers | Unset): all; head (backbone frozen); or classifier (only the class-logit
                layer)
            class_init (ClassInit | None | Unset): the class layer before the first step: the rows as loaded (model), or
                moved towards each class's prototype in the annotated images (prototype)
            class_init_scale (float | None | Unset): with class_init=prototype: the mean logit rise at a class's own
                prototype
            seed (int | None | Unset): random seed (batch order)
    """

    optimizer: None | Optimizer | Unset = UNSET
    lr: float | None | Unset = UNSET
    steps: int | None | Unset = UNSET
    batch_size: int | None | Unset = UNSET
    early_stopping: bool | None | Unset = UNSET
    checkpoints: list[int] | None | Unset = UNSET
    train_layers: None | TrainLayers | Unset = UNSET
    class_init: ClassInit | None | Unset = UNSET
    class_init_scale: float | None | Unset = UNSET
    seed: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        optimizer: None | str | Unset
        if isinstance(self.optimizer, Unset):
            optimizer = UNSET
        elif isinstance(self.optimizer, Optimizer):
            optimizer = self.optimizer.value
        else:
            optimizer = self.optimizer

        lr: float | None | Unset
        if isinstance(self.lr, Unset):
            lr = UNSET
        else:
            lr = self.lr

        steps: int | None | Unset
        if isinstance(self.steps, Unset):
            steps = UNSET
        else:
            steps = self.steps

        batch_size: int | None | Unset
        if isinstance(self.batch_size, Unset):
            batch_size = UNSET
        else:
            batch_size = self.batch_size

        early_stopping: bool | None | Unset
        if isinstance(self.early_stopping, Unset):
            early_stopping = UNSET
        else:
            early_stopping = self.early_stopping

        checkpoints: list[int] | None | Unset
        if isinstance(self.checkpoints, Unset):
            checkpoints = UNSET
        elif isinstance(self.checkpoints, list):
            checkpoints = self.checkpoints

        else:
            checkpoints = self.checkpoints

        train_layers: None | str | Unset
        if isinstance(self.train_layers, Unset):
            train_layers = UNSET
        elif isinstance(self.train_layers, TrainLayers):
            train_layers = self.train_layers.value
        else:
            train_layers = self.train_layers

        class_init: None | str | Unset
        if isinstance(self.class_init, Unset):
            class_init = UNSET
        elif isinstance(self.class_init, ClassInit):
            class_init = self.class_init.value
        else:
            class_init = self.class_init

        class_init_scale: float | None | Unset
        if isinstance(self.class_init_scale, Unset):
            class_init_scale = UNSET
        else:
            class_init_scale = self.class_init_scale

        seed: int | None | Unset
        if isinstance(self.seed, Unset):
            seed = UNSET
        else:
            seed = self.seed

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if optimizer is not UNSET:
            field_dict["optimizer"] = optimizer
        if lr is not UNSET:
            field_dict["lr"] = lr
        if steps is not UNSET:
            field_dict["steps"] = steps
        if batch_size is not UNSET:
            field_dict["batch_size"] = batch_size
        if early_stopping is not UNSET:
            field_dict["early_stopping"] = early_stopping
        if checkpoints is not UNSET:
            field_dict["checkpoints"] = checkpoints
        if train_layers is not UNSET:
            field_dict["train_layers"] = train_layers
        if class_init is not UNSET:
            field_dict["class_init"] = class_init
        if class_init_scale is not UNSET:
            field_dict["class_init_scale"] = class_init_scale
        if seed is not UNSET:
            field_dict["seed"] = seed

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_optimizer(data: object) -> None | Optimizer | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                optimizer_type_0 = Optimizer(data)

                return optimizer_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Optimizer | Unset, data)

        optimizer = _parse_optimizer(d.pop("optimizer", UNSET))

        def _parse_lr(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        lr = _parse_lr(d.pop("lr", UNSET))

        def _parse_steps(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        steps = _parse_steps(d.pop("steps", UNSET))

        def _parse_batch_size(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        batch_size = _parse_batch_size(d.pop("batch_size", UNSET))

        def _parse_early_stopping(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        early_stopping = _parse_early_stopping(d.pop("early_stopping", UNSET))

        def _parse_checkpoints(data: object) -> list[int] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                checkpoints_type_0 = cast(list[int], data)

                return checkpoints_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[int] | None | Unset, data)

        checkpoints = _parse_checkpoints(d.pop("checkpoints", UNSET))

        def _parse_train_layers(data: object) -> None | TrainLayers | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                train_layers_type_0 = TrainLayers(data)

                return train_layers_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TrainLayers | Unset, data)

        train_layers = _parse_train_layers(d.pop("train_layers", UNSET))

        def _parse_class_init(data: object) -> ClassInit | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                class_init_type_0 = ClassInit(data)

                return class_init_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ClassInit | None | Unset, data)

        class_init = _parse_class_init(d.pop("class_init", UNSET))

        def _parse_class_init_scale(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        class_init_scale = _parse_class_init_scale(d.pop("class_init_scale", UNSET))

        def _parse_seed(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        seed = _parse_seed(d.pop("seed", UNSET))

        routine_overrides = cls(
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

        return routine_overrides
