from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AnnotationUpdate")


@_attrs_define
class AnnotationUpdate:
    """
    Attributes:
        class_id (int | None | Unset):
        box (list[float] | None | Unset):
        time_spent_ms (int | None | Unset):
    """

    class_id: int | None | Unset = UNSET
    box: list[float] | None | Unset = UNSET
    time_spent_ms: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        class_id: int | None | Unset
        if isinstance(self.class_id, Unset):
            class_id = UNSET
        else:
            class_id = self.class_id

        box: list[float] | None | Unset
        if isinstance(self.box, Unset):
            box = UNSET
        elif isinstance(self.box, list):
            box = self.box

        else:
            box = self.box

        time_spent_ms: int | None | Unset
        if isinstance(self.time_spent_ms, Unset):
            time_spent_ms = UNSET
        else:
            time_spent_ms = self.time_spent_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if class_id is not UNSET:
            field_dict["class_id"] = class_id
        if box is not UNSET:
            field_dict["box"] = box
        if time_spent_ms is not UNSET:
            field_dict["time_spent_ms"] = time_spent_ms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_class_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        class_id = _parse_class_id(d.pop("class_id", UNSET))

        def _parse_box(data: object) -> list[float] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                box_type_0 = cast(list[float], data)

                return box_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[float] | None | Unset, data)

        box = _parse_box(d.pop("box", UNSET))

        def _parse_time_spent_ms(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        time_spent_ms = _parse_time_spent_ms(d.pop("time_spent_ms", UNSET))

        annotation_update = cls(
            class_id=class_id,
            box=box,
            time_spent_ms=time_spent_ms,
        )

        annotation_update.additional_properties = d
        return annotation_update

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
