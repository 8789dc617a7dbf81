from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.task_event_data import TaskEventData


T = TypeVar("T", bound="TaskEvent")


@_attrs_define
class TaskEvent:
    """A task changed state or reported progress.

    Attributes:
        type_ (Literal['task']):  Default: 'task'.
        id (int): the task's id
        project_id (int):
        state (str):
        progress (float):
        stage (str):
        data (TaskEventData):
    """

    id: int
    project_id: int
    state: str
    progress: float
    stage: str
    data: TaskEventData
    type_: Literal["task"] = "task"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        id = self.id

        project_id = self.project_id

        state = self.state

        progress = self.progress

        stage = self.stage

        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "id": id,
                "project_id": project_id,
                "state": state,
                "progress": progress,
                "stage": stage,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.task_event_data import TaskEventData  # noqa: PLC0415

        d = dict(src_dict)
        type_ = cast(Literal["task"], d.pop("type"))
        if type_ != "task":
            raise ValueError(f"type must match const 'task', got '{type_}'")

        id = d.pop("id")

        project_id = d.pop("project_id")

        state = d.pop("state")

        progress = d.pop("progress")

        stage = d.pop("stage")

        data = TaskEventData.from_dict(d.pop("data"))

        task_event = cls(
            type_=type_,
            id=id,
            project_id=project_id,
            state=state,
            progress=progress,
            stage=stage,
            data=data,
        )

        task_event.additional_properties = d
        return task_event

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
