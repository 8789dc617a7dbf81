from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ExportOnnxParams")


@_attrs_define
class ExportOnnxParams:
    """How an export_onnx task runs; further keys pass through to the worker.

    Attributes:
        working_scale (float | None | Unset): a ``tiles`` model's working scale (image pixels → model pixels), written
            into the ONNX card; null: the model's own (its card's ``working_scale``), else 1 — the scale detect runs it at.
            Ignored for a ``letterbox`` model
    """

    working_scale: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        working_scale: float | None | Unset
        if isinstance(self.working_scale, Unset):
            working_scale = UNSET
        else:
            working_scale = self.working_scale

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if working_scale is not UNSET:
            field_dict["working_scale"] = working_scale

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_working_scale(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        working_scale = _parse_working_scale(d.pop("working_scale", UNSET))

        export_onnx_params = cls(
            working_scale=working_scale,
        )

        export_onnx_params.additional_properties = d
        return export_onnx_params

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
