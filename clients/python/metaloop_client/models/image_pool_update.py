from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.image_pool_update_pool_type_0 import ImagePoolUpdatePoolType0
from ..models.image_pool_update_state_type_0 import ImagePoolUpdateStateType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="ImagePoolUpdate")


@_attrs_define
class ImagePoolUpdate:
    """Change an image's pool and/or state (a field left out stays).

    Attributes:
        pool (ImagePoolUpdatePoolType0 | None | Unset):
        state (ImagePoolUpdateStateType0 | None | Unset):
    """

    pool: ImagePoolUpdatePoolType0 | None | Unset = UNSET
    state: ImagePoolUpdateStateType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        pool: None | str | Unset
        if isinstance(self.pool, Unset):
            pool = UNSET
        elif isinstance(self.pool, ImagePoolUpdatePoolType0):
            pool = self.pool.value
        else:
            pool = self.pool

        state: None | str | Unset
        if isinstance(self.state, Unset):
            state = UNSET
        elif isinstance(self.state, ImagePoolUpdateStateType0):
            state = self.state.value
        else:
            state = self.state

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if pool is not UNSET:
            field_dict["pool"] = pool
        if state is not UNSET:
            field_dict["state"] = state

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_pool(data: object) -> ImagePoolUpdatePoolType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                pool_type_0 = ImagePoolUpdatePoolType0(data)

                return pool_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImagePoolUpdatePoolType0 | None | Unset, data)

        pool = _parse_pool(d.pop("pool", UNSET))

        def _parse_state(data: object) -> ImagePoolUpdateStateType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                state_type_0 = ImagePoolUpdateStateType0(data)

                return state_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImagePoolUpdateStateType0 | None | Unset, data)

        state = _parse_state(d.pop("state", UNSET))

        image_pool_update = cls(
            pool=pool,
            state=state,
        )

        image_pool_update.additional_properties = d
        return image_pool_update

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
