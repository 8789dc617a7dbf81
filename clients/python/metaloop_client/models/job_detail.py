from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.job_detail_params import JobDetailParams
    from ..models.job_detail_result import JobDetailResult
    from ..models.job_detail_timings import JobDetailTimings
    from ..models.task_out import TaskOut


T = TypeVar("T", bound="JobDetail")


@_attrs_define
class JobDetail:
    """
    Attributes:
        id (int):
        project_id (int):
        kind (str):
        state (str):
        params (JobDetailParams):
        model_id (int | None):
        result_model_id (int | None):
        created_by_id (int | None):
        progress (float):
        stage (str):
        error (None | str):
        result (JobDetailResult):
        timings (JobDetailTimings):
        created_at (datetime.datetime):
        started_at (datetime.datetime | None):
        finished_at (datetime.datetime | None):
        tasks (list[TaskOut]):
    """

    id: int
    project_id: int
    kind: str
    state: str
    params: JobDetailParams
    model_id: int | None
    result_model_id: int | None
    created_by_id: int | None
    progress: float
    stage: str
    error: None | str
    result: JobDetailResult
    timings: JobDetailTimings
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    tasks: list[TaskOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        project_id = self.project_id

        kind = self.kind

        state = self.state

        params = self.params.to_dict()

        model_id: int | None
        model_id = self.model_id

        result_model_id: int | None
        result_model_id = self.result_model_id

        created_by_id: int | None
        created_by_id = self.created_by_id

        progress = self.progress

        stage = self.stage

        error: None | str
        error = self.error

        result = self.result.to_dict()

        timings = self.timings.to_dict()

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

        tasks = []
        for tasks_item_data in self.tasks:
            tasks_item = tasks_item_data.to_dict()
            tasks.append(tasks_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "project_id": project_id,
                "kind": kind,
                "state": state,
                "params": params,
                "model_id": model_id,
                "result_model_id": result_model_id,
                "created_by_id": created_by_id,
                "progress": progress,
                "stage": stage,
                "error": error,
                "result": result,
                "timings": timings,
                "created_at": created_at,
                "started_at": started_at,
                "finished_at": finished_at,
                "tasks": tasks,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job_detail_params import JobDetailParams  # noqa: PLC0415
        from ..models.job_detail_result import JobDetailResult  # noqa: PLC0415
        from ..models.job_detail_timings import JobDetailTimings  # noqa: PLC0415
        from ..models.task_out import TaskOut  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        project_id = d.pop("project_id")

        kind = d.pop("kind")

        state = d.pop("state")

        params = JobDetailParams.from_dict(d.pop("params"))

        def _parse_model_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        model_id = _parse_model_id(d.pop("model_id"))

        def _parse_result_model_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        result_model_id = _parse_result_model_id(d.pop("result_model_id"))

        def _parse_created_by_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        created_by_id = _parse_created_by_id(d.pop("created_by_id"))

        progress = d.pop("progress")

        stage = d.pop("stage")

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        result = JobDetailResult.from_dict(d.pop("result"))

        timings = JobDetailTimings.from_dict(d.pop("timings"))

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

        tasks = []
        _tasks = d.pop("tasks")
        for tasks_item_data in _tasks:
            tasks_item = TaskOut.from_dict(tasks_item_data)

            tasks.append(tasks_item)

        job_detail = cls(
            id=id,
            project_id=project_id,
            kind=kind,
            state=state,
            params=params,
            model_id=model_id,
            result_model_id=result_model_id,
            created_by_id=created_by_id,
            progress=progress,
            stage=stage,
            error=error,
            result=result,
            timings=timings,
            created_at=created_at,
            started_at=started_at,
            finished_at=finished_at,
            tasks=tasks,
        )

        job_detail.additional_properties = d
        return job_detail

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
