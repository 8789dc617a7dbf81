from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="LabelClassOut")


@_attrs_define
class LabelClassOut:
    """
    Attributes:
        id (int):
        project_id (int):
        name (str):
        color (str):
        annotation_count (int | None | Unset): how many annotations (boxes) have this class: given by GET /classes (a
            class in use cannot be deleted); null elsewhere
    """

    id: int
    project_id: int
    name: str
    color: str
    annotation_count: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        project_id = self.project_id

        name = self.name

        color = self.color

        annotation_count: int | None | Unset
        if isinstance(self.annotation_count, Unset):
            annotation_count = UNSET
        else:
            annotation_count = self.annotation_count

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "project_id": project_id,
                "name": name,
                "color": color,
            }
        )
        if annotation_count is not UNSET:
            field_dict["annotation_count"] = annotation_count

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        project_id = d.pop("project_id")

        name = d.pop("name")

        color = d.pop("color")

        def _parse_annotation_count(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        annotation_count = _parse_annotation_count(d.pop("annotation_count", UNSET))

        label_class_out = cls(
            id=id,
            project_id=project_id,
            name=name,
            color=color,
            annotation_count=annotation_count,
        )

        label_class_out.additional_properties = d
        return label_class_out

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
