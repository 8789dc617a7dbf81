from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DetectParams")


@_attrs_define
class DetectParams:
    """How a detect task runs; further keys pass through to the worker.

    Attributes:
        score_threshold (float | Unset):  Default: 0.05.
        max_detections (int | None | Unset): detections kept per image; null: the project's setting, else the model's
            (what its adaptation's images needed), else 100
    """

    score_threshold: float | Unset = 0.05
    max_detections: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        score_threshold = self.score_threshold

        max_detections: int | None | Unset
        if isinstance(self.max_detections, Unset):
            max_detections = UNSET
        else:
            max_detections = self.max_detections

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if score_threshold is not UNSET:
            field_dict["score_threshold"] = score_threshold
        if max_detections is not UNSET:
            field_dict["max_detections"] = max_detections

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        score_threshold = d.pop("score_threshold", UNSET)

        def _parse_max_detections(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_detections = _parse_max_detections(d.pop("max_detections", UNSET))

        detect_params = cls(
            score_threshold=score_threshold,
            max_detections=max_detections,
        )

        detect_params.additional_properties = d
        return detect_params

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
