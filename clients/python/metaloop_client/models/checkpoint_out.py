from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.checkpoint_out_metrics import CheckpointOutMetrics


T = TypeVar("T", bound="CheckpointOut")


@_attrs_define
class CheckpointOut:
    """
    Attributes:
        step (int):
        metrics (CheckpointOutMetrics):
    """

    step: int
    metrics: CheckpointOutMetrics
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        step = self.step

        metrics = self.metrics.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "step": step,
                "metrics": metrics,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.checkpoint_out_metrics import CheckpointOutMetrics  # noqa: PLC0415

        d = dict(src_dict)
        step = d.pop("step")

        metrics = CheckpointOutMetrics.from_dict(d.pop("metrics"))

        checkpoint_out = cls(
            step=step,
            metrics=metrics,
        )

        checkpoint_out.additional_properties = d
        return checkpoint_out

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
