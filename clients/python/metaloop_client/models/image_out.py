from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.image_out_state import ImageOutState
from ..types import UNSET, Unset

T = TypeVar("T", bound="ImageOut")


@_attrs_define
class ImageOut:
    """
    Attributes:
        id (int):
        project_id (int):
        file_name (str):
        sha256 (str):
        format_ (str):
        size_bytes (int):
        width (int):
        height (int):
        pool (str):
        state (ImageOutState): unlabelled; in_progress (some objects boxed); complete (every object boxed, confirmed by
            a person; zero boxes: a negative image)
        annotations_version (int): the version of its annotations (their ETag; send it as If-Match)
        created_at (datetime.datetime):
        annotation_count (int | Unset):  Default: 0.
        has_predictions (bool | Unset):  Default: False.
    """

    id: int
    project_id: int
    file_name: str
    sha256: str
    format_: str
    size_bytes: int
    width: int
    height: int
    pool: str
    state: ImageOutState
    annotations_version: int
    created_at: datetime.datetime
    annotation_count: int | Unset = 0
    has_predictions: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        project_id = self.project_id

        file_name = self.file_name

        sha256 = self.sha256

        format_ = self.format_

        size_bytes = self.size_bytes

        width = self.width

        height = self.height

        pool = self.pool

        state = self.state.value

        annotations_version = self.annotations_version

        created_at = self.created_at.isoformat()

        annotation_count = self.annotation_count

        has_predictions = self.has_predictions

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "project_id": project_id,
                "file_name": file_name,
                "sha256": sha256,
                "format": format_,
                "size_bytes": size_bytes,
                "width": width,
                "height": height,
                "pool": pool,
                "state": state,
                "annotations_version": annotations_version,
                "created_at": created_at,
            }
        )
        if annotation_count is not UNSET:
            field_dict["annotation_count"] = annotation_count
        if has_predictions is not UNSET:
            field_dict["has_predictions"] = has_predictions

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        project_id = d.pop("project_id")

        file_name = d.pop("file_name")

        sha256 = d.pop("sha256")

        format_ = d.pop("format")

        size_bytes = d.pop("size_bytes")

        width = d.pop("width")

        height = d.pop("height")

        pool = d.pop("pool")

        state = ImageOutState(d.pop("state"))

        annotations_version = d.pop("annotations_version")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        annotation_count = d.pop("annotation_count", UNSET)

        has_predictions = d.pop("has_predictions", UNSET)

        image_out = cls(
            id=id,
            project_id=project_id,
            file_name=file_name,
            sha256=sha256,
            format_=format_,
            size_bytes=size_bytes,
            width=width,
            height=height,
            pool=pool,
            state=state,
            annotations_version=annotations_version,
            created_at=created_at,
            annotation_count=annotation_count,
            has_predictions=has_predictions,
        )

        image_out.additional_properties = d
        return image_out

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
