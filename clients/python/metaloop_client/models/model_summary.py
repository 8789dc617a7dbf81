from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.model_summary_card import ModelSummaryCard


T = TypeVar("T", bound="ModelSummary")


@_attrs_define
class ModelSummary:
    """
    Attributes:
        id (int):
        name (str):
        weights_sha256 (str):
        card (ModelSummaryCard): the model card (docs/contracts.md §4)
    """

    id: int
    name: str
    weights_sha256: str
    card: ModelSummaryCard
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        weights_sha256 = self.weights_sha256

        card = self.card.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "weights_sha256": weights_sha256,
                "card": card,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_summary_card import ModelSummaryCard  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        weights_sha256 = d.pop("weights_sha256")

        card = ModelSummaryCard.from_dict(d.pop("card"))

        model_summary = cls(
            id=id,
            name=name,
            weights_sha256=weights_sha256,
            card=card,
        )

        model_summary.additional_properties = d
        return model_summary

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
