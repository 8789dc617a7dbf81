from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PredictionOut")


@_attrs_define
class PredictionOut:
    """
    Attributes:
        id (int):
        job_id (int):
        model_id (int | None):
        image_id (int):
        class_id (int):
        box (list[float]):
        score (float):
        uncertainty (float):
        status (str):
        annotation_id (int | None):
        created_at (datetime.datetime):
        stage (str | Unset):  Default: 'detect'.
        match (None | str | Unset):
    """

    id: int
    job_id: int
    model_id: int | None
    image_id: int
    class_id: int
    box: list[float]
    score: float
    uncertainty: float
    status: str
    annotation_id: int | None
    created_at: datetime.datetime
    stage: str | Unset = "detect"
    match: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        job_id = self.job_id

        model_id: int | None
        model_id = self.model_id

        image_id = self.image_id

        class_id = self.class_id

        box = self.box

        score = self.score

        uncertainty = self.uncertainty

        status = self.status

        annotation_id: int | None
        annotation_id = self.annotation_id

        created_at = self.created_at.isoformat()

        stage = self.stage

        match: None | str | Unset
        if isinstance(self.match, Unset):
            match = UNSET
        else:
            match = self.match

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "job_id": job_id,
                "model_id": model_id,
                "image_id": image_id,
                "class_id": class_id,
                "box": box,
                "score": score,
                "uncertainty": uncertainty,
                "status": status,
                "annotation_id": annotation_id,
                "created_at": created_at,
            }
        )
        if stage is not UNSET:
            field_dict["stage"] = stage
        if match is not UNSET:
            field_dict["match"] = match

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        job_id = d.pop("job_id")

        def _parse_model_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        model_id = _parse_model_id(d.pop("model_id"))

        image_id = d.pop("image_id")

        class_id = d.pop("class_id")

        box = cast(list[float], d.pop("box"))

        score = d.pop("score")

        uncertainty = d.pop("uncertainty")

        status = d.pop("status")

        def _parse_annotation_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        annotation_id = _parse_annotation_id(d.pop("annotation_id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        stage = d.pop("stage", UNSET)

        def _parse_match(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        match = _parse_match(d.pop("match", UNSET))

        prediction_out = cls(
            id=id,
            job_id=job_id,
            model_id=model_id,
            image_id=image_id,
            class_id=class_id,
            box=box,
            score=score,
            uncertainty=uncertainty,
            status=status,
            annotation_id=annotation_id,
            created_at=created_at,
            stage=stage,
            match=match,
        )

        prediction_out.additional_properties = d
        return prediction_out

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
