from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ReviewImageOut")


@_attrs_define
class ReviewImageOut:
    """
    Attributes:
        image_id (int):
        job_id (int):
        file_name (str):
        pool (str):
        width (int):
        height (int):
        uncertainty (float):
        num_detections (int):
        max_score (float | None):
    """

    image_id: int
    job_id: int
    file_name: str
    pool: str
    width: int
    height: int
    uncertainty: float
    num_detections: int
    max_score: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        image_id = self.image_id

        job_id = self.job_id

        file_name = self.file_name

        pool = self.pool

        width = self.width

        height = self.height

        uncertainty = self.uncertainty

        num_detections = self.num_detections

        max_score: float | None
        max_score = self.max_score

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "image_id": image_id,
                "job_id": job_id,
                "file_name": file_name,
                "pool": pool,
                "width": width,
                "height": height,
                "uncertainty": uncertainty,
                "num_detections": num_detections,
                "max_score": max_score,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        image_id = d.pop("image_id")

        job_id = d.pop("job_id")

        file_name = d.pop("file_name")

        pool = d.pop("pool")

        width = d.pop("width")

        height = d.pop("height")

        uncertainty = d.pop("uncertainty")

        num_detections = d.pop("num_detections")

        def _parse_max_score(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        max_score = _parse_max_score(d.pop("max_score"))

        review_image_out = cls(
            image_id=image_id,
            job_id=job_id,
            file_name=file_name,
            pool=pool,
            width=width,
            height=height,
            uncertainty=uncertainty,
            num_detections=num_detections,
            max_score=max_score,
        )

        review_image_out.additional_properties = d
        return review_image_out

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
