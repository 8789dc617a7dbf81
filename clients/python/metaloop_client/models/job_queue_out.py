from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="JobQueueOut")


@_attrs_define
class JobQueueOut:
    """Where a queued job stands in its lane's queue (all fields but job_id and queued are null
    or 0 once it is no longer queued).

        Attributes:
            job_id (int):
            queued (bool): whether the job is still waiting for a worker
            lane (None | str): interactive or batch: the queue its next task is in
            position (int | None): 1 = the next task a free worker takes
            tasks_ahead (int): queued tasks a worker takes before this job's
            workers_online (int):
            workers_free (int): online workers not running a task
            estimated_wait_seconds (float | None): seconds until it is expected to start; null with no worker online
            estimated_start_at (datetime.datetime | None):
            rule (str): how the estimate is made
    """

    job_id: int
    queued: bool
    lane: None | str
    position: int | None
    tasks_ahead: int
    workers_online: int
    workers_free: int
    estimated_wait_seconds: float | None
    estimated_start_at: datetime.datetime | None
    rule: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        job_id = self.job_id

        queued = self.queued

        lane: None | str
        lane = self.lane

        position: int | None
        position = self.position

        tasks_ahead = self.tasks_ahead

        workers_online = self.workers_online

        workers_free = self.workers_free

        estimated_wait_seconds: float | None
        estimated_wait_seconds = self.estimated_wait_seconds

        estimated_start_at: None | str
        if isinstance(self.estimated_start_at, datetime.datetime):
            estimated_start_at = self.estimated_start_at.isoformat()
        else:
            estimated_start_at = self.estimated_start_at

        rule = self.rule

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "job_id": job_id,
                "queued": queued,
                "lane": lane,
                "position": position,
                "tasks_ahead": tasks_ahead,
                "workers_online": workers_online,
                "workers_free": workers_free,
                "estimated_wait_seconds": estimated_wait_seconds,
                "estimated_start_at": estimated_start_at,
                "rule": rule,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        job_id = d.pop("job_id")

        queued = d.pop("queued")

        def _parse_lane(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        lane = _parse_lane(d.pop("lane"))

        def _parse_position(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        position = _parse_position(d.pop("position"))

        tasks_ahead = d.pop("tasks_ahead")

        workers_online = d.pop("workers_online")

        workers_free = d.pop("workers_free")

        def _parse_estimated_wait_seconds(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        estimated_wait_seconds = _parse_estimated_wait_seconds(d.pop("estimated_wait_seconds"))

        def _parse_estimated_start_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                estimated_start_at_type_0 = datetime.datetime.fromisoformat(data)

                return estimated_start_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        estimated_start_at = _parse_estimated_start_at(d.pop("estimated_start_at"))

        rule = d.pop("rule")

        job_queue_out = cls(
            job_id=job_id,
            queued=queued,
            lane=lane,
            position=position,
            tasks_ahead=tasks_ahead,
            workers_online=workers_online,
            workers_free=workers_free,
            estimated_wait_seconds=estimated_wait_seconds,
            estimated_start_at=estimated_start_at,
            rule=rule,
        )

        job_queue_out.additional_properties = d
        return job_queue_out

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
