from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.import_refusal import ImportRefusal
    from ..models.import_report import ImportReport


T = TypeVar("T", bound="ImportOutcome")


@_attrs_define
class ImportOutcome:
    """An import job and what it came to: the report once it succeeded, the problems once it
    was refused (both null while it runs, or when it was cancelled or cut off).

        Attributes:
            job_id (int):
            state (str): queued, running, succeeded, failed or cancelled
            progress (float): 0 to 1
            stage (str):
            error (None | str):
            report (ImportReport | None):
            refusal (ImportRefusal | None):
    """

    job_id: int
    state: str
    progress: float
    stage: str
    error: None | str
    report: ImportReport | None
    refusal: ImportRefusal | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.import_refusal import ImportRefusal  # noqa: PLC0415
        from ..models.import_report import ImportReport  # noqa: PLC0415

        job_id = self.job_id

        state = self.state

        progress = self.progress

        stage = self.stage

        error: None | str
        error = self.error

        report: dict[str, Any] | None
        if isinstance(self.report, ImportReport):
            report = self.report.to_dict()
        else:
            report = self.report

        refusal: dict[str, Any] | None
        if isinstance(self.refusal, ImportRefusal):
            refusal = self.refusal.to_dict()
        else:
            refusal = self.refusal

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "job_id": job_id,
                "state": state,
                "progress": progress,
                "stage": stage,
                "error": error,
                "report": report,
                "refusal": refusal,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.import_refusal import ImportRefusal  # noqa: PLC0415
        from ..models.import_report import ImportReport  # noqa: PLC0415

        d = dict(src_dict)
        job_id = d.pop("job_id")

        state = d.pop("state")

        progress = d.pop("progress")

        stage = d.pop("stage")

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        def _parse_report(data: object) -> ImportReport | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                report_type_0 = ImportReport.from_dict(data)

                return report_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImportReport | None, data)

        report = _parse_report(d.pop("report"))

        def _parse_refusal(data: object) -> ImportRefusal | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                refusal_type_0 = ImportRefusal.from_dict(data)

                return refusal_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImportRefusal | None, data)

        refusal = _parse_refusal(d.pop("refusal"))

        import_outcome = cls(
            job_id=job_id,
            state=state,
            progress=progress,
            stage=stage,
            error=error,
            report=report,
            refusal=refusal,
        )

        import_outcome.additional_properties = d
        return import_outcome

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
