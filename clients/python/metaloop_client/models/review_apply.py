from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReviewApply")


@_attrs_define
class ReviewApply:
    """One review action over many predictions and images (e.g. accept the top class of every
    object scoring at least the threshold and reject its runners-up).

        Attributes:
            accept_ids (list[int] | Unset): predictions to accept
            reject_ids (list[int] | Unset): predictions to reject
            complete (bool | Unset): images that gain a box become complete (else in_progress) Default: False.
            complete_image_ids (list[int] | Unset): images to mark complete (every object boxed; with no box, empty)
    """

    accept_ids: list[int] | Unset = UNSET
    reject_ids: list[int] | Unset = UNSET
    complete: bool | Unset = False
    complete_image_ids: list[int] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        accept_ids: list[int] | Unset = UNSET
        if not isinstance(self.accept_ids, Unset):
            accept_ids = self.accept_ids

        reject_ids: list[int] | Unset = UNSET
        if not isinstance(self.reject_ids, Unset):
            reject_ids = self.reject_ids

        complete = self.complete

        complete_image_ids: list[int] | Unset = UNSET
        if not isinstance(self.complete_image_ids, Unset):
            complete_image_ids = self.complete_image_ids

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if accept_ids is not UNSET:
            field_dict["accept_ids"] = accept_ids
        if reject_ids is not UNSET:
            field_dict["reject_ids"] = reject_ids
        if complete is not UNSET:
            field_dict["complete"] = complete
        if complete_image_ids is not UNSET:
            field_dict["complete_image_ids"] = complete_image_ids

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        accept_ids = cast(list[int], d.pop("accept_ids", UNSET))

        reject_ids = cast(list[int], d.pop("reject_ids", UNSET))

        complete = d.pop("complete", UNSET)

        complete_image_ids = cast(list[int], d.pop("complete_image_ids", UNSET))

        review_apply = cls(
            accept_ids=accept_ids,
            reject_ids=reject_ids,
            complete=complete,
            complete_image_ids=complete_image_ids,
        )

        review_apply.additional_properties = d
        return review_apply

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
