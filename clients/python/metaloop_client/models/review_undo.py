from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.previous_state import PreviousState
    from ..models.previous_status import PreviousStatus


T = TypeVar("T", bound="ReviewUndo")


@_attrs_define
class ReviewUndo:
    """What undoes a review action: the predictions' statuses and images' states before it, and
    the annotations it created (deleted again).

        Attributes:
            predictions (list[PreviousStatus] | Unset):
            annotation_ids (list[int] | Unset):
            images (list[PreviousState] | Unset):
    """

    predictions: list[PreviousStatus] | Unset = UNSET
    annotation_ids: list[int] | Unset = UNSET
    images: list[PreviousState] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        predictions: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.predictions, Unset):
            predictions = []
            for predictions_item_data in self.predictions:
                predictions_item = predictions_item_data.to_dict()
                predictions.append(predictions_item)

        annotation_ids: list[int] | Unset = UNSET
        if not isinstance(self.annotation_ids, Unset):
            annotation_ids = self.annotation_ids

        images: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.images, Unset):
            images = []
            for images_item_data in self.images:
                images_item = images_item_data.to_dict()
                images.append(images_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if predictions is not UNSET:
            field_dict["predictions"] = predictions
        if annotation_ids is not UNSET:
            field_dict["annotation_ids"] = annotation_ids
        if images is not UNSET:
            field_dict["images"] = images

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.previous_state import PreviousState  # noqa: PLC0415
        from ..models.previous_status import PreviousStatus  # noqa: PLC0415

        d = dict(src_dict)
        _predictions = d.pop("predictions", UNSET)
        predictions: list[PreviousStatus] | Unset = UNSET
        if _predictions is not UNSET:
            predictions = []
            for predictions_item_data in _predictions:
                predictions_item = PreviousStatus.from_dict(predictions_item_data)

                predictions.append(predictions_item)

        annotation_ids = cast(list[int], d.pop("annotation_ids", UNSET))

        _images = d.pop("images", UNSET)
        images: list[PreviousState] | Unset = UNSET
        if _images is not UNSET:
            images = []
            for images_item_data in _images:
                images_item = PreviousState.from_dict(images_item_data)

                images.append(images_item)

        review_undo = cls(
            predictions=predictions,
            annotation_ids=annotation_ids,
            images=images,
        )

        review_undo.additional_properties = d
        return review_undo

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
