from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TrainingData")


@_attrs_define
class TrainingData:
    """What the next adaptation trains on (the adapt pool's complete images).

    Attributes:
        images (int): complete images of the adapt pool
        boxes (int): boxes on those images
        negative_images (int): of those images, complete with no box
        accepted_boxes (int): of those boxes, accepted predictions
        in_progress_images (int): adapt images with boxes not yet marked complete: left out until they are
    """

    images: int
    boxes: int
    negative_images: int
    accepted_boxes: int
    in_progress_images: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        images = self.images

        boxes = self.boxes

        negative_images = self.negative_images

        accepted_boxes = self.accepted_boxes

        in_progress_images = self.in_progress_images

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "images": images,
                "boxes": boxes,
                "negative_images": negative_images,
                "accepted_boxes": accepted_boxes,
                "in_progress_images": in_progress_images,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        images = d.pop("images")

        boxes = d.pop("boxes")

        negative_images = d.pop("negative_images")

        accepted_boxes = d.pop("accepted_boxes")

        in_progress_images = d.pop("in_progress_images")

        training_data = cls(
            images=images,
            boxes=boxes,
            negative_images=negative_images,
            accepted_boxes=accepted_boxes,
            in_progress_images=in_progress_images,
        )

        training_data.additional_properties = d
        return training_data

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
