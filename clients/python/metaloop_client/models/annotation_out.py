from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AnnotationOut")


@_attrs_define
class AnnotationOut:
    """
    Attributes:
        id (int):
        image_id (int):
        class_id (int):
        box (list[float]):
        source (str):
        author_id (int | None):
        time_spent_ms (int):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
    """

    id: int
    image_id: int
    class_id: int
    box: list[float]
    source: str
    author_id: int | None
    time_spent_ms: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        image_id = self.image_id

        class_id = self.class_id

        box = self.box

        source = self.source

        author_id: int | None
        author_id = self.author_id

        time_spent_ms = self.time_spent_ms

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "image_id": image_id,
                "class_id": class_id,
                "box": box,
                "source": source,
                "author_id": author_id,
                "time_spent_ms": time_spent_ms,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        image_id = d.pop("image_id")

        class_id = d.pop("class_id")

        box = cast(list[float], d.pop("box"))

        source = d.pop("source")

        def _parse_author_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        author_id = _parse_author_id(d.pop("author_id"))

        time_spent_ms = d.pop("time_spent_ms")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        annotation_out = cls(
            id=id,
            image_id=image_id,
            class_id=class_id,
            box=box,
            source=source,
            author_id=author_id,
            time_spent_ms=time_spent_ms,
            created_at=created_at,
            updated_at=updated_at,
        )

        annotation_out.additional_properties = d
        return annotation_out

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
