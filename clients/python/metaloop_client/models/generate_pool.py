from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.generate_pool_pool import GeneratePoolPool
from ..types import UNSET, Unset

T = TypeVar("T", bound="GeneratePool")


@_attrs_define
class GeneratePool:
    """
    Attributes:
        count (int):
        pool (GeneratePoolPool | Unset):  Default: GeneratePoolPool.ADAPT.
        annotated (bool | Unset):  Default: True.
    """

    count: int
    pool: GeneratePoolPool | Unset = GeneratePoolPool.ADAPT
    annotated: bool | Unset = True
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        pool: str | Unset = UNSET
        if not isinstance(self.pool, Unset):
            pool = self.pool.value

        annotated = self.annotated

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "count": count,
            }
        )
        if pool is not UNSET:
            field_dict["pool"] = pool
        if annotated is not UNSET:
            field_dict["annotated"] = annotated

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        count = d.pop("count")

        _pool = d.pop("pool", UNSET)
        pool: GeneratePoolPool | Unset
        if isinstance(_pool, Unset):
            pool = UNSET
        else:
            pool = GeneratePoolPool(_pool)

        annotated = d.pop("annotated", UNSET)

        generate_pool = cls(
            count=count,
            pool=pool,
            annotated=annotated,
        )

        generate_pool.additional_properties = d
        return generate_pool

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
