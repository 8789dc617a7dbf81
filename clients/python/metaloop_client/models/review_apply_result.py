from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.review_undo import ReviewUndo


T = TypeVar("T", bound="ReviewApplyResult")


@_attrs_define
class ReviewApplyResult:
    """
    Attributes:
        accepted (int):
        rejected (int):
        marked_complete (int):
        annotation_ids (list[int]):
        skipped_holdout (int): predictions to accept on holdout images, left out (a holdout image's ground truth is
            drawn by a person)
        skipped_duplicates (int): predictions to accept left out because a box of their class already covers the object
            (IoU >= 0.5)
        undo (ReviewUndo): What undoes a review action: the predictions' statuses and images' states before it, and
            the annotations it created (deleted again).
    """

    accepted: int
    rejected: int
    marked_complete: int
    annotation_ids: list[int]
    skipped_holdout: int
    skipped_duplicates: int
    undo: ReviewUndo
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        accepted = self.accepted

        rejected = self.rejected

        marked_complete = self.marked_complete

        annotation_ids = self.annotation_ids

        skipped_holdout = self.skipped_holdout

        skipped_duplicates = self.skipped_duplicates

        undo = self.undo.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "accepted": accepted,
                "rejected": rejected,
                "marked_complete": marked_complete,
                "annotation_ids": annotation_ids,
                "skipped_holdout": skipped_holdout,
                "skipped_duplicates": skipped_duplicates,
                "undo": undo,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.review_undo import ReviewUndo  # noqa: PLC0415

        d = dict(src_dict)
        accepted = d.pop("accepted")

        rejected = d.pop("rejected")

        marked_complete = d.pop("marked_complete")

        annotation_ids = cast(list[int], d.pop("annotation_ids"))

        skipped_holdout = d.pop("skipped_holdout")

        skipped_duplicates = d.pop("skipped_duplicates")

        undo = ReviewUndo.from_dict(d.pop("undo"))

        review_apply_result = cls(
            accepted=accepted,
            rejected=rejected,
            marked_complete=marked_complete,
            annotation_ids=annotation_ids,
            skipped_holdout=skipped_holdout,
            skipped_duplicates=skipped_duplicates,
            undo=undo,
        )

        review_apply_result.additional_properties = d
        return review_apply_result

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
