from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ModelDetailCard")


@_attrs_define
class ModelDetailCard:
    """the model's card: architecture, classes, training, preset, metrics. `onnx`, once an ONNX export of this model has
    succeeded in this project, says how to use the newest such file: the export's card section (`input`: name, shape,
    dtype, layout, `mean`, `std`; `outputs`; `classes`; `scale_mode`, `input_size`, `score_threshold`, `nms_iou`,
    `preprocessing`, `postprocessing`; docs/engine.md, "Export to ONNX") with `download` (the path that downloads the
    file), `job_id`, `onnx_sha256`, `size` (bytes) and `exported_at`. It is read from the export job, not stored in the
    card; absent before an export has succeeded

    """

    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        model_detail_card = cls()

        model_detail_card.additional_properties = d
        return model_detail_card

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
