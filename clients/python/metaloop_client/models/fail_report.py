from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="FailReport")


@_attrs_define
class FailReport:
    """
    Attributes:
        attempt_token (str):
        reason (str):
        retry (bool | Unset):  Default: False.
    """

    attempt_token: str
    reason: str
    retry: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attempt_token = self.attempt_token

        reason = self.reason

        retry = self.retry

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attempt_token": attempt_token,
                "reason": reason,
            }
        )
        if retry is not UNSET:
            field_dict["retry"] = retry

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        attempt_token = d.pop("attempt_token")

        reason = d.pop("reason")

        retry = d.pop("retry", UNSET)

        fail_report = cls(
            attempt_token=attempt_token,
            reason=reason,
            retry=retry,
        )

        fail_report.additional_properties = d
        return fail_report

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
