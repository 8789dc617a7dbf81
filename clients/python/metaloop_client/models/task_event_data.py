from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TaskEventData")


@_attrs_define
class TaskEventData:
    """
    Attributes:
        job_id (int):
        kind (str):
        attempt (int):
        worker (None | str): the worker running the attempt
        error (None | str):
        points (list[list[float | int]] | None): loss points reported with this progress: [[step, loss], …]
    """

    job_id: int
    kind: str
    attempt: int
    worker: None | str
    error: None | str
    points: list[list[float | int]] | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        job_id = self.job_id

        kind = self.kind

        attempt = self.attempt

        worker: None | str
        worker = self.worker

        error: None | str
        error = self.error

        points: list[list[float | int]] | None
        if isinstance(self.points, list):
            points = []
            for points_type_0_item_data in self.points:
                points_type_0_item = []
                for points_type_0_item_item_data in points_type_0_item_data:
                    points_type_0_item_item: float | int
                    points_type_0_item_item = points_type_0_item_item_data
                    points_type_0_item.append(points_type_0_item_item)

                points.append(points_type_0_item)

        else:
            points = self.points

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "job_id": job_id,
                "kind": kind,
                "attempt": attempt,
                "worker": worker,
                "error": error,
                "points": points,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        job_id = d.pop("job_id")

        kind = d.pop("kind")

        attempt = d.pop("attempt")

        def _parse_worker(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        worker = _parse_worker(d.pop("worker"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        def _parse_points(data: object) -> list[list[float | int]] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                points_type_0 = []
                _points_type_0 = data
                for points_type_0_item_data in _points_type_0:
                    points_type_0_item = []
                    _points_type_0_item = points_type_0_item_data
                    for points_type_0_item_item_data in _points_type_0_item:

                        def _parse_points_type_0_item_item(data: object) -> float | int:
                            return cast(float | int, data)

                        points_type_0_item_item = _parse_points_type_0_item_item(points_type_0_item_item_data)

                        points_type_0_item.append(points_type_0_item_item)

                    points_type_0.append(points_type_0_item)

                return points_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[list[float | int]] | None, data)

        points = _parse_points(d.pop("points"))

        task_event_data = cls(
            job_id=job_id,
            kind=kind,
            attempt=attempt,
            worker=worker,
            error=error,
            points=points,
        )

        task_event_data.additional_properties = d
        return task_event_data

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
