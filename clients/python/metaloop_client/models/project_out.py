from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.project_out_role import ProjectOutRole
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.detection_settings import DetectionSettings
    from ..models.label_class_out import LabelClassOut


T = TypeVar("T", bound="ProjectOut")


@_attrs_define
class ProjectOut:
    """
    Attributes:
        id (int):
        name (str):
        description (str):
        task_type (str):
        created_at (datetime.datetime):
        role (ProjectOutRole):
        classes (list[LabelClassOut]):
        image_count (int):
        settings (DetectionSettings): How the models see a project's images. Each ``null`` means automatic; a PATCH
            changes the
            fields it sends and keeps the others.
        current_model_id (int | None | Unset): the model detect and evaluate use by default: the last one promoted (by a
            person, or automatically when its holdout AP50 was not lower); null: the base model
    """

    id: int
    name: str
    description: str
    task_type: str
    created_at: datetime.datetime
    role: ProjectOutRole
    classes: list[LabelClassOut]
    image_count: int
    settings: DetectionSettings
    current_model_id: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        description = self.description

        task_type = self.task_type

        created_at = self.created_at.isoformat()

        role = self.role.value

        classes = []
        for classes_item_data in self.classes:
            classes_item = classes_item_data.to_dict()
            classes.append(classes_item)

        image_count = self.image_count

        settings = self.settings.to_dict()

        current_model_id: int | None | Unset
        if isinstance(self.current_model_id, Unset):
            current_model_id = UNSET
        else:
            current_model_id = self.current_model_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "description": description,
                "task_type": task_type,
                "created_at": created_at,
                "role": role,
                "classes": classes,
                "image_count": image_count,
                "settings": settings,
            }
        )
        if current_model_id is not UNSET:
            field_dict["current_model_id"] = current_model_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.detection_settings import DetectionSettings  # noqa: PLC0415
        from ..models.label_class_out import LabelClassOut  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        description = d.pop("description")

        task_type = d.pop("task_type")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        role = ProjectOutRole(d.pop("role"))

        classes = []
        _classes = d.pop("classes")
        for classes_item_data in _classes:
            classes_item = LabelClassOut.from_dict(classes_item_data)

            classes.append(classes_item)

        image_count = d.pop("image_count")

        settings = DetectionSettings.from_dict(d.pop("settings"))

        def _parse_current_model_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        current_model_id = _parse_current_model_id(d.pop("current_model_id", UNSET))

        project_out = cls(
            id=id,
            name=name,
            description=description,
            task_type=task_type,
            created_at=created_at,
            role=role,
            classes=classes,
            image_count=image_count,
            settings=settings,
            current_model_id=current_model_id,
        )

        project_out.additional_properties = d
        return project_out

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
