from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.label_class_in import LabelClassIn


T = TypeVar("T", bound="ProjectCreate")


@_attrs_define
class ProjectCreate:
    """
    Attributes:
        name (str):
        description (str | Unset): at most MAX_DESCRIPTION_LENGTH characters (default 10,000) Default: ''.
        task_type (Literal['detection'] | Unset):  Default: 'detection'.
        classes (list[LabelClassIn] | Unset):
    """

    name: str
    description: str | Unset = ""
    task_type: Literal["detection"] | Unset = "detection"
    classes: list[LabelClassIn] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        description = self.description

        task_type = self.task_type

        classes: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.classes, Unset):
            classes = []
            for classes_item_data in self.classes:
                classes_item = classes_item_data.to_dict()
                classes.append(classes_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if task_type is not UNSET:
            field_dict["task_type"] = task_type
        if classes is not UNSET:
            field_dict["classes"] = classes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.label_class_in import LabelClassIn  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        description = d.pop("description", UNSET)

        task_type = cast(Literal["detection"] | Unset, d.pop("task_type", UNSET))
        if task_type != "detection" and not isinstance(task_type, Unset):
            raise ValueError(f"task_type must match const 'detection', got '{task_type}'")

        _classes = d.pop("classes", UNSET)
        classes: list[LabelClassIn] | Unset = UNSET
        if _classes is not UNSET:
            classes = []
            for classes_item_data in _classes:
                classes_item = LabelClassIn.from_dict(classes_item_data)

                classes.append(classes_item)

        project_create = cls(
            name=name,
            description=description,
            task_type=task_type,
            classes=classes,
        )

        project_create.additional_properties = d
        return project_create

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
