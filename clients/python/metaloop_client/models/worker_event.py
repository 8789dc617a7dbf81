from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.worker_event_data import WorkerEventData


T = TypeVar("T", bound="WorkerEvent")


@_attrs_define
class WorkerEvent:
    """A worker registered, went online or offline, or took a task.

    Attributes:
        type_ (Literal['worker']):  Default: 'worker'.
        id (int): the worker's id
        state (str):
        data (WorkerEventData):
    """

    id: int
    state: str
    data: WorkerEventData
    type_: Literal["worker"] = "worker"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        id = self.id

        state = self.state

        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "id": id,
                "state": state,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.worker_event_data import WorkerEventData  # noqa: PLC0415

        d = dict(src_dict)
        type_ = cast(Literal["worker"], d.pop("type"))
        if type_ != "worker":
            raise ValueError(f"type must match const 'worker', got '{type_}'")

        id = d.pop("id")

        state = d.pop("state")

        data = WorkerEventData.from_dict(d.pop("data"))

        worker_event = cls(
            type_=type_,
            id=id,
            state=state,
            data=data,
        )

        worker_event.additional_properties = d
        return worker_event

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
