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
        host (None | str): the worker's host name; admins only (null for other users)
        address (None | str): the worker's IP address; admins only (null for other users)
        device (str):
        queues (list[Any] | None): the queues it consumes; admins only (null for other users)
        version (None | str): its software version; admins only (null for other users)
        state (str):
        busy_task_id (int | None):
        last_seen (datetime.datetime):
        busy_task_kind (None | str | Unset): the kind of its current task
        busy_job_id (int | None | Unset): its current task's job; members of the job's project only
        busy_job_kind (None | str | Unset): that job's kind
        busy_project_id (int | None | Unset): that job's project
        online (bool | Unset):  Default: False.
    """

    id: int
    name: str
    host: None | str
    address: None | str
    device: str
    queues: list[Any] | None
    version: None | str
    state: str
    busy_task_id: int | None
    last_seen: datetime.datetime
    busy_task_kind: None | str | Unset = UNSET
    busy_job_id: int | None | Unset = UNSET
    busy_job_kind: None | str | Unset = UNSET
    busy_project_id: int | None | Unset = UNSET
    online: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        host: None | str
        host = self.host

        address: None | str
        address = self.address

        device = self.device

        queues: list[Any] | None
        if isinstance(self.queues, list):
            queues = self.queues

        else:
            queues = self.queues

        version: None | str
        version = self.version

        state = self.state

        busy_task_id: int | None
        busy_task_id = self.busy_task_id

        last_seen = self.last_seen.isoformat()

        busy_task_kind: None | str | Unset
        if isinstance(self.busy_task_kind, Unset):
            busy_task_kind = UNSET
        else:
            busy_task_kind = self.busy_task_kind

        busy_job_id: int | None | Unset
        if isinstance(self.busy_job_id, Unset):
            busy_job_id = UNSET
        else:
            busy_job_id = self.busy_job_id

        busy_job_kind: None | str | Unset
        if isinstance(self.busy_job_kind, Unset):
            busy_job_kind = UNSET
        else:
            busy_job_kind = self.busy_job_kind

        busy_project_id: int | None | Unset
        if isinstance(self.busy_project_id, Unset):
            busy_project_id = UNSET
        else:
            busy_project_id = self.busy_project_id

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
        if busy_task_kind is not UNSET:
            field_dict["busy_task_kind"] = busy_task_kind
        if busy_job_id is not UNSET:
            field_dict["busy_job_id"] = busy_job_id
        if busy_job_kind is not UNSET:
            field_dict["busy_job_kind"] = busy_job_kind
        if busy_project_id is not UNSET:
            field_dict["busy_project_id"] = busy_project_id
        if online is not UNSET:
            field_dict["online"] = online

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        def _parse_host(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        host = _parse_host(d.pop("host"))

        def _parse_address(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        address = _parse_address(d.pop("address"))

        device = d.pop("device")

        def _parse_queues(data: object) -> list[Any] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                queues_type_0 = cast(list[Any], data)

                return queues_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[Any] | None, data)

        queues = _parse_queues(d.pop("queues"))

        def _parse_version(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        version = _parse_version(d.pop("version"))

        state = d.pop("state")

        def _parse_busy_task_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        busy_task_id = _parse_busy_task_id(d.pop("busy_task_id"))

        last_seen = datetime.datetime.fromisoformat(d.pop("last_seen"))

        def _parse_busy_task_kind(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        busy_task_kind = _parse_busy_task_kind(d.pop("busy_task_kind", UNSET))

        def _parse_busy_job_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        busy_job_id = _parse_busy_job_id(d.pop("busy_job_id", UNSET))

        def _parse_busy_job_kind(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        busy_job_kind = _parse_busy_job_kind(d.pop("busy_job_kind", UNSET))

        def _parse_busy_project_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        busy_project_id = _parse_busy_project_id(d.pop("busy_project_id", UNSET))

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
            busy_task_kind=busy_task_kind,
            busy_job_id=busy_job_id,
            busy_job_kind=busy_job_kind,
            busy_project_id=busy_project_id,
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
