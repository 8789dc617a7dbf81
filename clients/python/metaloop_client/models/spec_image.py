from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.spec_annotation import SpecAnnotation


T = TypeVar("T", bound="SpecImage")


@_attrs_define
class SpecImage:
    """
    Attributes:
        id (int):
        sha256 (str):
        width (int):
        height (int):
        file_name (str | Unset): informative only Default: ''.
        annotations (list[SpecAnnotation] | Unset):
        complete (bool | Unset): a person confirmed that every object is boxed (zero boxes: a negative image); false:
            only the boxes are known, so no part of the image may be trained as background Default: True.
    """

    id: int
    sha256: str
    width: int
    height: int
    file_name: str | Unset = ""
    annotations: list[SpecAnnotation] | Unset = UNSET
    complete: bool | Unset = True
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        sha256 = self.sha256

        width = self.width

        height = self.height

        file_name = self.file_name

        annotations: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.annotations, Unset):
            annotations = []
            for annotations_item_data in self.annotations:
                annotations_item = annotations_item_data.to_dict()
                annotations.append(annotations_item)

        complete = self.complete

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "sha256": sha256,
                "width": width,
                "height": height,
            }
        )
        if file_name is not UNSET:
            field_dict["file_name"] = file_name
        if annotations is not UNSET:
            field_dict["annotations"] = annotations
        if complete is not UNSET:
            field_dict["complete"] = complete

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.spec_annotation import SpecAnnotation  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        sha256 = d.pop("sha256")

        width = d.pop("width")

        height = d.pop("height")

        file_name = d.pop("file_name", UNSET)

        _annotations = d.pop("annotations", UNSET)
        annotations: list[SpecAnnotation] | Unset = UNSET
        if _annotations is not UNSET:
            annotations = []
            for annotations_item_data in _annotations:
                annotations_item = SpecAnnotation.from_dict(annotations_item_data)

                annotations.append(annotations_item)

        complete = d.pop("complete", UNSET)

        spec_image = cls(
            id=id,
            sha256=sha256,
            width=width,
            height=height,
            file_name=file_name,
            annotations=annotations,
            complete=complete,
        )

        spec_image.additional_properties = d
        return spec_image

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
