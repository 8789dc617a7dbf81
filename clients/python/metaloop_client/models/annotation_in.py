from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AnnotationIn")


@_attrs_define
class AnnotationIn:
    """
    Attributes:
        class_id (int):
        box (list[float]): [x, y, w, h] in pixels: finite numbers, w and h at least 1
        time_spent_ms (int | Unset):  Default: 0.
    """

    class_id: int
    box: list[float]
    time_spent_ms: int | Unset = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        class_id = self.class_id

        box = self.box

        time_spent_ms = self.time_spent_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "class_id": class_id,
                "box": box,
            }
        )
        if time_spent_ms is not UNSET:
            field_dict["time_spent_ms"] = time_spent_ms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        class_id = d.pop("class_id")

        box = cast(list[float], d.pop("box"))

        time_spent_ms = d.pop("time_spent_ms", UNSET)

        annotation_in = cls(
            class_id=class_id,
            box=box,
            time_spent_ms=time_spent_ms,
        )

        annotation_in.additional_properties = d
        return annotation_in

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
