from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AcceptResult")


@_attrs_define
class AcceptResult:
    """
    Attributes:
        accepted (int):
        annotation_ids (list[int]):
        skipped_holdout (int | Unset): predictions on holdout images, left out of a bulk accept Default: 0.
        skipped_duplicates (int | Unset): predictions left out because a box of their class already covers the object
            (IoU >= 0.5) Default: 0.
    """

    accepted: int
    annotation_ids: list[int]
    skipped_holdout: int | Unset = 0
    skipped_duplicates: int | Unset = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        accepted = self.accepted

        annotation_ids = self.annotation_ids

        skipped_holdout = self.skipped_holdout

        skipped_duplicates = self.skipped_duplicates

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "accepted": accepted,
                "annotation_ids": annotation_ids,
            }
        )
        if skipped_holdout is not UNSET:
            field_dict["skipped_holdout"] = skipped_holdout
        if skipped_duplicates is not UNSET:
            field_dict["skipped_duplicates"] = skipped_duplicates

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        accepted = d.pop("accepted")

        annotation_ids = cast(list[int], d.pop("annotation_ids"))

        skipped_holdout = d.pop("skipped_holdout", UNSET)

        skipped_duplicates = d.pop("skipped_duplicates", UNSET)

        accept_result = cls(
            accepted=accepted,
            annotation_ids=annotation_ids,
            skipped_holdout=skipped_holdout,
            skipped_duplicates=skipped_duplicates,
        )

        accept_result.additional_properties = d
        return accept_result

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
