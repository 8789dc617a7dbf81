from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.evaluated_box import EvaluatedBox
    from ..models.missed_box import MissedBox


T = TypeVar("T", bound="ImageEvaluationOut")


@_attrs_define
class ImageEvaluationOut:
    """One holdout image of an evaluation: its detections marked tp/fp and the ground truth no
    detection matched (false negatives).

        Attributes:
            image_id (int):
            file_name (str):
            width (int):
            height (int):
            tp (int):
            fp (int):
            fn (int):
            detections (list[EvaluatedBox]):
            missed (list[MissedBox]):
    """

    image_id: int
    file_name: str
    width: int
    height: int
    tp: int
    fp: int
    fn: int
    detections: list[EvaluatedBox]
    missed: list[MissedBox]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        image_id = self.image_id

        file_name = self.file_name

        width = self.width

        height = self.height

        tp = self.tp

        fp = self.fp

        fn = self.fn

        detections = []
        for detections_item_data in self.detections:
            detections_item = detections_item_data.to_dict()
            detections.append(detections_item)

        missed = []
        for missed_item_data in self.missed:
            missed_item = missed_item_data.to_dict()
            missed.append(missed_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "image_id": image_id,
                "file_name": file_name,
                "width": width,
                "height": height,
                "tp": tp,
                "fp": fp,
                "fn": fn,
                "detections": detections,
                "missed": missed,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.evaluated_box import EvaluatedBox  # noqa: PLC0415
        from ..models.missed_box import MissedBox  # noqa: PLC0415

        d = dict(src_dict)
        image_id = d.pop("image_id")

        file_name = d.pop("file_name")

        width = d.pop("width")

        height = d.pop("height")

        tp = d.pop("tp")

        fp = d.pop("fp")

        fn = d.pop("fn")

        detections = []
        _detections = d.pop("detections")
        for detections_item_data in _detections:
            detections_item = EvaluatedBox.from_dict(detections_item_data)

            detections.append(detections_item)

        missed = []
        _missed = d.pop("missed")
        for missed_item_data in _missed:
            missed_item = MissedBox.from_dict(missed_item_data)

            missed.append(missed_item)

        image_evaluation_out = cls(
            image_id=image_id,
            file_name=file_name,
            width=width,
            height=height,
            tp=tp,
            fp=fp,
            fn=fn,
            detections=detections,
            missed=missed,
        )

        image_evaluation_out.additional_properties = d
        return image_evaluation_out

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
