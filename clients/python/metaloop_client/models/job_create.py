from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.job_create_kind import JobCreateKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.job_params import JobParams


T = TypeVar("T", bound="JobCreate")


@_attrs_define
class JobCreate:
    """
    Attributes:
        kind (JobCreateKind):
        params (JobParams | Unset): A job's parameters; score_threshold and max_detections are its detect tasks' (detect
            and
            iterate).
    """

    kind: JobCreateKind
    params: JobParams | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        params: dict[str, Any] | Unset = UNSET
        if not isinstance(self.params, Unset):
            params = self.params.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
            }
        )
        if params is not UNSET:
            field_dict["params"] = params

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job_params import JobParams  # noqa: PLC0415

        d = dict(src_dict)
        kind = JobCreateKind(d.pop("kind"))

        _params = d.pop("params", UNSET)
        params: JobParams | Unset
        if isinstance(_params, Unset):
            params = UNSET
        else:
            params = JobParams.from_dict(_params)

        job_create = cls(
            kind=kind,
            params=params,
        )

        return job_create
