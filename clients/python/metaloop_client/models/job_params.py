from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.routine_overrides import RoutineOverrides


T = TypeVar("T", bound="JobParams")


@_attrs_define
class JobParams:
    """A job's parameters; score_threshold and max_detections are its detect tasks' (detect and
    iterate).

        Attributes:
            score_threshold (float | Unset):  Default: 0.05.
            max_detections (int | None | Unset): detections kept per image; null: the project's setting, else the model's
                (what its adaptation's images needed), else 100
            model_id (int | None | Unset): adapt/iterate: the base model (default: the default base model); detect/evaluate:
                the model to run (default: the project's current model)
            routine (None | RoutineOverrides | Unset):
            image_ids (list[int] | None | Unset): detect/iterate: images to run on (default: the adapt pool's images that
                are not complete)
    """

    score_threshold: float | Unset = 0.05
    max_detections: int | None | Unset = UNSET
    model_id: int | None | Unset = UNSET
    routine: None | RoutineOverrides | Unset = UNSET
    image_ids: list[int] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.routine_overrides import RoutineOverrides  # noqa: PLC0415

        score_threshold = self.score_threshold

        max_detections: int | None | Unset
        if isinstance(self.max_detections, Unset):
            max_detections = UNSET
        else:
            max_detections = self.max_detections

        model_id: int | None | Unset
        if isinstance(self.model_id, Unset):
            model_id = UNSET
        else:
            model_id = self.model_id

        routine: dict[str, Any] | None | Unset
        if isinstance(self.routine, Unset):
            routine = UNSET
        elif isinstance(self.routine, RoutineOverrides):
            routine = self.routine.to_dict()
        else:
            routine = self.routine

        image_ids: list[int] | None | Unset
        if isinstance(self.image_ids, Unset):
            image_ids = UNSET
        elif isinstance(self.image_ids, list):
            image_ids = self.image_ids

        else:
            image_ids = self.image_ids

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if score_threshold is not UNSET:
            field_dict["score_threshold"] = score_threshold
        if max_detections is not UNSET:
            field_dict["max_detections"] = max_detections
        if model_id is not UNSET:
            field_dict["model_id"] = model_id
        if routine is not UNSET:
            field_dict["routine"] = routine
        if image_ids is not UNSET:
            field_dict["image_ids"] = image_ids

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.routine_overrides import RoutineOverrides  # noqa: PLC0415

        d = dict(src_dict)
        score_threshold = d.pop("score_threshold", UNSET)

        def _parse_max_detections(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_detections = _parse_max_detections(d.pop("max_detections", UNSET))

        def _parse_model_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        model_id = _parse_model_id(d.pop("model_id", UNSET))

        def _parse_routine(data: object) -> None | RoutineOverrides | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                routine_type_0 = RoutineOverrides.from_dict(data)

                return routine_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RoutineOverrides | Unset, data)

        routine = _parse_routine(d.pop("routine", UNSET))

        def _parse_image_ids(data: object) -> list[int] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                image_ids_type_0 = cast(list[int], data)

                return image_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[int] | None | Unset, data)

        image_ids = _parse_image_ids(d.pop("image_ids", UNSET))

        job_params = cls(
            score_threshold=score_threshold,
            max_detections=max_detections,
            model_id=model_id,
            routine=routine,
            image_ids=image_ids,
        )

        return job_params
