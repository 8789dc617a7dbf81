from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="WorkerEventData")


@_attrs_define
class WorkerEventData:
    """
    Attributes:
        name (str):
        host (str):
        device (str):
        busy_task_id (int | None):
    """

    name: str
    host: str
    device: str
    busy_task_id: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        host = self.host

        device = self.device

        busy_task_id: int | None
        busy_task_id = self.busy_task_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "host": host,
                "device": device,
                "busy_task_id": busy_task_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        host = d.pop("host")

        device = d.pop("device")

        def _parse_busy_task_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        busy_task_id = _parse_busy_task_id(d.pop("busy_task_id"))

        worker_event_data = cls(
            name=name,
            host=host,
            device=device,
            busy_task_id=busy_task_id,
        )

        worker_event_data.additional_properties = d
        return worker_event_data

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
