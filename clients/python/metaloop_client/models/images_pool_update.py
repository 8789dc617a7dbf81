from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.images_pool_update_pool import ImagesPoolUpdatePool

T = TypeVar("T", bound="ImagesPoolUpdate")


@_attrs_define
class ImagesPoolUpdate:
    """
    Attributes:
        image_ids (list[int]):
        pool (ImagesPoolUpdatePool):
    """

    image_ids: list[int]
    pool: ImagesPoolUpdatePool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        image_ids = self.image_ids

        pool = self.pool.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "image_ids": image_ids,
                "pool": pool,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        image_ids = cast(list[int], d.pop("image_ids"))

        pool = ImagesPoolUpdatePool(d.pop("pool"))

        images_pool_update = cls(
            image_ids=image_ids,
            pool=pool,
        )

        images_pool_update.additional_properties = d
        return images_pool_update

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
