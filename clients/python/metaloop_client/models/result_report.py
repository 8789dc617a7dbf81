from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.result_report_result import ResultReportResult


T = TypeVar("T", bound="ResultReport")


@_attrs_define
class ResultReport:
    """
    Attributes:
        attempt_token (str):
        result (ResultReportResult): the task kind's result: AdaptResult, DetectResult, EvaluateResult or GenerateResult
            (contracts.results), validated once the task's kind is known
    """

    attempt_token: str
    result: ResultReportResult
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attempt_token = self.attempt_token

        result = self.result.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attempt_token": attempt_token,
                "result": result,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.result_report_result import ResultReportResult  # noqa: PLC0415

        d = dict(src_dict)
        attempt_token = d.pop("attempt_token")

        result = ResultReportResult.from_dict(d.pop("result"))

        result_report = cls(
            attempt_token=attempt_token,
            result=result,
        )

        result_report.additional_properties = d
        return result_report

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
