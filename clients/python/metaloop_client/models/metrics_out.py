from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.metric_out import MetricOut
    from ..models.pr_curve_out import PrCurveOut


T = TypeVar("T", bound="MetricsOut")


@_attrs_define
class MetricsOut:
    """
    Attributes:
        metrics (list[MetricOut]):
        pr_curves (list[PrCurveOut]):
    """

    metrics: list[MetricOut]
    pr_curves: list[PrCurveOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        metrics = []
        for metrics_item_data in self.metrics:
            metrics_item = metrics_item_data.to_dict()
            metrics.append(metrics_item)

        pr_curves = []
        for pr_curves_item_data in self.pr_curves:
            pr_curves_item = pr_curves_item_data.to_dict()
            pr_curves.append(pr_curves_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "metrics": metrics,
                "pr_curves": pr_curves,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.metric_out import MetricOut  # noqa: PLC0415
        from ..models.pr_curve_out import PrCurveOut  # noqa: PLC0415

        d = dict(src_dict)
        metrics = []
        _metrics = d.pop("metrics")
        for metrics_item_data in _metrics:
            metrics_item = MetricOut.from_dict(metrics_item_data)

            metrics.append(metrics_item)

        pr_curves = []
        _pr_curves = d.pop("pr_curves")
        for pr_curves_item_data in _pr_curves:
            pr_curves_item = PrCurveOut.from_dict(pr_curves_item_data)

            pr_curves.append(pr_curves_item)

        metrics_out = cls(
            metrics=metrics,
            pr_curves=pr_curves,
        )

        metrics_out.additional_properties = d
        return metrics_out

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
