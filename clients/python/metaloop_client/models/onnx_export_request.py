from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="OnnxExportRequest")


@_attrs_define
class OnnxExportRequest:
    """What an ONNX export is asked for; every field may be left out (so may the body).

    Attributes:
        working_scale (float | None | Unset): a tiles model's working scale (image pixels → model pixels) written into
            the ONNX card; left out: the model's own, else 1 (the scale detect runs it at). 422 for a letterbox model, which
            scales each image to its input size
    """

    working_scale: float | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        working_scale: float | None | Unset
        if isinstance(self.working_scale, Unset):
            working_scale = UNSET
        else:
            working_scale = self.working_scale

        field_dict: dict[str, Any] = {}

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

        onnx_export_request = cls(
            working_scale=working_scale,
        )

        return onnx_export_request
