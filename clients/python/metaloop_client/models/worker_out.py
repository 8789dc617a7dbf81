from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="WorkerOut")


@_attrs_define
class WorkerOut:
    """
    Attributes:
        id (int):
        name (str):
        host (str):
        address (str):
        device (str):
        queues (list[Any]):
        version (str):
        state (str):
        busy_task_id (int | None):
        last_seen (datetime.datetime):
        online (bool | Unset):  Default: False.
    """

    id: int
    name: str
    host: str
    address: str
    device: str
    queues: list[Any]
    version: str
    state: str
    busy_task_id: int | None
    last_seen: datetime.datetime
    online: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        host = self.host

        address = self.address

        device = self.device

        queues = self.queues

        version = self.version

        state = self.state

        busy_task_id: int | None
        busy_task_id = self.busy_task_id

        last_seen = self.last_seen.isoformat()

        online = self.online

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "host": host,
                "address": address,
                "device": device,
                "queues": queues,
                "version": version,
                "state": state,
                "busy_task_id": busy_task_id,
                "last_seen": last_seen,
            }
        )
        if online is not UNSET:
            field_dict["online"] = online

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        host = d.pop("host")

        address = d.pop("address")

        device = d.pop("device")

        queues = cast(list[Any], d.pop("queues"))

        version = d.pop("version")

        state = d.pop("state")

        def _parse_busy_task_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        busy_task_id = _parse_busy_task_id(d.pop("busy_task_id"))

        last_seen = datetime.datetime.fromisoformat(d.pop("last_seen"))

        online = d.pop("online", UNSET)

        worker_out = cls(
            id=id,
            name=name,
            host=host,
            address=address,
            device=device,
            queues=queues,
            version=version,
            state=state,
            busy_task_id=busy_task_id,
            last_seen=last_seen,
            online=online,
        )

        worker_out.additional_properties = d
        return worker_out

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
