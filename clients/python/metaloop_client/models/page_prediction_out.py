from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.prediction_out import PredictionOut


T = TypeVar("T", bound="PagePredictionOut")


@_attrs_define
class PagePredictionOut:
    """
    Attributes:
        items (list[PredictionOut]):
        total (int): the number of matching items. Counted up to 10,000 by default: when more match, this is 10,000 and
            `total_exact` is false (ask `count=exact` for the exact number, which costs a count of every match)
        total_exact (bool): whether `total` is the exact count (false: at least `total` match)
        offset (int):
        limit (int):
        next_cursor (None | str): an opaque cursor: pass it as `cursor=` for the next page in the same sort; null on the
            last page
    """

    items: list[PredictionOut]
    total: int
    total_exact: bool
    offset: int
    limit: int
    next_cursor: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        total = self.total

        total_exact = self.total_exact

        offset = self.offset

        limit = self.limit

        next_cursor: None | str
        next_cursor = self.next_cursor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "items": items,
                "total": total,
                "total_exact": total_exact,
                "offset": offset,
                "limit": limit,
                "next_cursor": next_cursor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.prediction_out import PredictionOut  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = PredictionOut.from_dict(items_item_data)

            items.append(items_item)

        total = d.pop("total")

        total_exact = d.pop("total_exact")

        offset = d.pop("offset")

        limit = d.pop("limit")

        def _parse_next_cursor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor"))

        page_prediction_out = cls(
            items=items,
            total=total,
            total_exact=total_exact,
            offset=offset,
            limit=limit,
            next_cursor=next_cursor,
        )

        page_prediction_out.additional_properties = d
        return page_prediction_out

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
