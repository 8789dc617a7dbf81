from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ReviewUndoResult")


@_attrs_define
class ReviewUndoResult:
    """
    Attributes:
        restored_predictions (int):
        deleted_annotations (int):
        restored_images (int):
    """

    restored_predictions: int
    deleted_annotations: int
    restored_images: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        restored_predictions = self.restored_predictions

        deleted_annotations = self.deleted_annotations

        restored_images = self.restored_images

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "restored_predictions": restored_predictions,
                "deleted_annotations": deleted_annotations,
                "restored_images": restored_images,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        restored_predictions = d.pop("restored_predictions")

        deleted_annotations = d.pop("deleted_annotations")

        restored_images = d.pop("restored_images")

        review_undo_result = cls(
            restored_predictions=restored_predictions,
            deleted_annotations=deleted_annotations,
            restored_images=restored_images,
        )

        review_undo_result.additional_properties = d
        return review_undo_result

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
