from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.generate_pool import GeneratePool


T = TypeVar("T", bound="GenerateParams")


@_attrs_define
class GenerateParams:
    """Synthetic letter images for a demo project; an annotated adapt set is K-shot: each class
    in about ``count / len(classes)`` images.

        Attributes:
            classes (list[str]): the letters to draw
            seed (int | Unset):  Default: 0.
            pools (list[GeneratePool] | Unset):
            image_size (int | Unset):  Default: 256.
    """

    classes: list[str]
    seed: int | Unset = 0
    pools: list[GeneratePool] | Unset = UNSET
    image_size: int | Unset = 256
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        classes = self.classes

        seed = self.seed

        pools: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.pools, Unset):
            pools = []
            for pools_item_data in self.pools:
                pools_item = pools_item_data.to_dict()
                pools.append(pools_item)

        image_size = self.image_size

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "classes": classes,
            }
        )
        if seed is not UNSET:
            field_dict["seed"] = seed
        if pools is not UNSET:
            field_dict["pools"] = pools
        if image_size is not UNSET:
            field_dict["image_size"] = image_size

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.generate_pool import GeneratePool  # noqa: PLC0415

        d = dict(src_dict)
        classes = cast(list[str], d.pop("classes"))

        seed = d.pop("seed", UNSET)

        _pools = d.pop("pools", UNSET)
        pools: list[GeneratePool] | Unset = UNSET
        if _pools is not UNSET:
            pools = []
            for pools_item_data in _pools:
                pools_item = GeneratePool.from_dict(pools_item_data)

                pools.append(pools_item)

        image_size = d.pop("image_size", UNSET)

        generate_params = cls(
            classes=classes,
            seed=seed,
            pools=pools,
            image_size=image_size,
        )

        generate_params.additional_properties = d
        return generate_params

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
