from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.checkpoint_out import CheckpointOut


T = TypeVar("T", bound="AdaptationCurveOut")


@_attrs_define
class AdaptationCurveOut:
    """
    Attributes:
        model_id (int):
        job_id (int | None):
        checkpoints (list[CheckpointOut]):
        loss_curve (list[Any]):
    """

    model_id: int
    job_id: int | None
    checkpoints: list[CheckpointOut]
    loss_curve: list[Any]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        model_id = self.model_id

        job_id: int | None
        job_id = self.job_id

        checkpoints = []
        for checkpoints_item_data in self.checkpoints:
            checkpoints_item = checkpoints_item_data.to_dict()
            checkpoints.append(checkpoints_item)

        loss_curve = self.loss_curve

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "model_id": model_id,
                "job_id": job_id,
                "checkpoints": checkpoints,
                "loss_curve": loss_curve,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.checkpoint_out import CheckpointOut  # noqa: PLC0415

        d = dict(src_dict)
        model_id = d.pop("model_id")

        def _parse_job_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        job_id = _parse_job_id(d.pop("job_id"))

        checkpoints = []
        _checkpoints = d.pop("checkpoints")
        for checkpoints_item_data in _checkpoints:
            checkpoints_item = CheckpointOut.from_dict(checkpoints_item_data)

            checkpoints.append(checkpoints_item)

        loss_curve = cast(list[Any], d.pop("loss_curve"))

        adaptation_curve_out = cls(
            model_id=model_id,
            job_id=job_id,
            checkpoints=checkpoints,
            loss_curve=loss_curve,
        )

        adaptation_curve_out.additional_properties = d
        return adaptation_curve_out

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
