from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.task_out_result_summary import TaskOutResultSummary


T = TypeVar("T", bound="TaskOut")


@_attrs_define
class TaskOut:
    """
    Attributes:
        id (int):
        job_id (int):
        kind (str):
        state (str):
        attempt (int):
        worker_name (None | str):
        progress (float):
        stage (str):
        message (str):
        error (None | str):
        result_summary (TaskOutResultSummary):
        loss_points (list[Any]):
        created_at (datetime.datetime):
        started_at (datetime.datetime | None):
        finished_at (datetime.datetime | None):
        lease_expires_at (datetime.datetime | None):
    """

    id: int
    job_id: int
    kind: str
    state: str
    attempt: int
    worker_name: None | str
    progress: float
    stage: str
    message: str
    error: None | str
    result_summary: TaskOutResultSummary
    loss_points: list[Any]
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    lease_expires_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        job_id = self.job_id

        kind = self.kind

        state = self.state

        attempt = self.attempt

        worker_name: None | str
        worker_name = self.worker_name

        progress = self.progress

        stage = self.stage

        message = self.message

        error: None | str
        error = self.error

        result_summary = self.result_summary.to_dict()

        loss_points = self.loss_points

        created_at = self.created_at.isoformat()

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        lease_expires_at: None | str
        if isinstance(self.lease_expires_at, datetime.datetime):
            lease_expires_at = self.lease_expires_at.isoformat()
        else:
            lease_expires_at = self.lease_expires_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "job_id": job_id,
                "kind": kind,
                "state": state,
                "attempt": attempt,
                "worker_name": worker_name,
                "progress": progress,
                "stage": stage,
                "message": message,
                "error": error,
                "result_summary": result_summary,
                "loss_points": loss_points,
                "created_at": created_at,
                "started_at": started_at,
                "finished_at": finished_at,
                "lease_expires_at": lease_expires_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.task_out_result_summary import TaskOutResultSummary  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        job_id = d.pop("job_id")

        kind = d.pop("kind")

        state = d.pop("state")

        attempt = d.pop("attempt")

        def _parse_worker_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        worker_name = _parse_worker_name(d.pop("worker_name"))

        progress = d.pop("progress")

        stage = d.pop("stage")

        message = d.pop("message")

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        result_summary = TaskOutResultSummary.from_dict(d.pop("result_summary"))

        loss_points = cast(list[Any], d.pop("loss_points"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("started_at"))

        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        def _parse_lease_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                lease_expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return lease_expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        lease_expires_at = _parse_lease_expires_at(d.pop("lease_expires_at"))

        task_out = cls(
            id=id,
            job_id=job_id,
            kind=kind,
            state=state,
            attempt=attempt,
            worker_name=worker_name,
            progress=progress,
            stage=stage,
            message=message,
            error=error,
            result_summary=result_summary,
            loss_points=loss_points,
            created_at=created_at,
            started_at=started_at,
            finished_at=finished_at,
            lease_expires_at=lease_expires_at,
        )

        task_out.additional_properties = d
        return task_out

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
