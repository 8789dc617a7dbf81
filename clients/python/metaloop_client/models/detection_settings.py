from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="DetectionSettings")


@_attrs_define
class DetectionSettings:
    """How the models see a project's images. Each ``null`` means automatic; a PATCH changes the
    fields it sends and keeps the others.

        Attributes:
            working_scale (float | None | Unset): image → model input scale; automatic: the median annotated object side
                becomes the base model's object size (about 40 px)
            base_model_id (int | None | Unset): the shipped model adapt jobs start from in this project; automatic: the
                server's default base model
            max_detections (int | None | Unset): detections kept per image, and COCO's max-detections; automatic: twice the
                most annotated objects on one image, rounded up to 100, at least 100
    """

    working_scale: float | None | Unset = UNSET
    base_model_id: int | None | Unset = UNSET
    max_detections: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        working_scale: float | None | Unset
        if isinstance(self.working_scale, Unset):
            working_scale = UNSET
        else:
            working_scale = self.working_scale

        base_model_id: int | None | Unset
        if isinstance(self.base_model_id, Unset):
            base_model_id = UNSET
        else:
            base_model_id = self.base_model_id

        max_detections: int | None | Unset
        if isinstance(self.max_detections, Unset):
            max_detections = UNSET
        else:
            max_detections = self.max_detections

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if working_scale is not UNSET:
            field_dict["working_scale"] = working_scale
        if base_model_id is not UNSET:
            field_dict["base_model_id"] = base_model_id
        if max_detections is not UNSET:
            field_dict["max_detections"] = max_detections

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_working_scale(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        working_scale = _parse_working_scale(d.pop("working_scale", UNSET))

        def _parse_base_model_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        base_model_id = _parse_base_model_id(d.pop("base_model_id", UNSET))

        def _parse_max_detections(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_detections = _parse_max_detections(d.pop("max_detections", UNSET))

        detection_settings = cls(
            working_scale=working_scale,
            base_model_id=base_model_id,
            max_detections=max_detections,
        )

        return detection_settings
