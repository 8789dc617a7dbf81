from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="WorkerRegister")


@_attrs_define
class WorkerRegister:
    """
    Attributes:
        name (str):
        host (str | Unset):  Default: ''.
        address (str | Unset):  Default: ''.
        device (str | Unset):  Default: ''.
        queues (list[str] | Unset):
        version (str | Unset):  Default: ''.
    """

    name: str
    host: str | Unset = ""
    address: str | Unset = ""
    device: str | Unset = ""
    queues: list[str] | Unset = UNSET
    version: str | Unset = ""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        host = self.host

        address = self.address

        device = self.device

        queues: list[str] | Unset = UNSET
        if not isinstance(self.queues, Unset):
            queues = self.queues

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
            }
        )
        if host is not UNSET:
            field_dict["host"] = host
        if address is not UNSET:
            field_dict["address"] = address
        if device is not UNSET:
            field_dict["device"] = device
        if queues is not UNSET:
            field_dict["queues"] = queues
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        host = d.pop("host", UNSET)

        address = d.pop("address", UNSET)

        device = d.pop("device", UNSET)

        queues = cast(list[str], d.pop("queues", UNSET))

        version = d.pop("version", UNSET)

        worker_register = cls(
            name=name,
            host=host,
            address=address,
            device=device,
            queues=queues,
            version=version,
        )

        worker_register.additional_properties = d
        return worker_register

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
