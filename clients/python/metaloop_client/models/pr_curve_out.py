from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PrCurveOut")


@_attrs_define
class PrCurveOut:
    """
    Attributes:
        id (int):
        job_id (int | None):
        model_id (int | None):
        class_id (int | None):
        class_name (None | str):
        iou (float):
        recall (list[float]):
        precision (list[float]):
    """

    id: int
    job_id: int | None
    model_id: int | None
    class_id: int | None
    class_name: None | str
    iou: float
    recall: list[float]
    precision: list[float]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        job_id: int | None
        job_id = self.job_id

        model_id: int | None
        model_id = self.model_id

        class_id: int | None
        class_id = self.class_id

        class_name: None | str
        class_name = self.class_name

        iou = self.iou

        recall = self.recall

        precision = self.precision

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "job_id": job_id,
                "model_id": model_id,
                "class_id": class_id,
                "class_name": class_name,
                "iou": iou,
                "recall": recall,
                "precision": precision,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        def _parse_job_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        job_id = _parse_job_id(d.pop("job_id"))

        def _parse_model_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        model_id = _parse_model_id(d.pop("model_id"))

        def _parse_class_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        class_id = _parse_class_id(d.pop("class_id"))

        def _parse_class_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        class_name = _parse_class_name(d.pop("class_name"))

        iou = d.pop("iou")

        recall = cast(list[float], d.pop("recall"))

        precision = cast(list[float], d.pop("precision"))

        pr_curve_out = cls(
            id=id,
            job_id=job_id,
            model_id=model_id,
            class_id=class_id,
            class_name=class_name,
            iou=iou,
            recall=recall,
            precision=precision,
        )

        pr_curve_out.additional_properties = d
        return pr_curve_out

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
