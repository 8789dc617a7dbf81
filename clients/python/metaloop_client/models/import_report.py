from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.import_report_format import ImportReportFormat

if TYPE_CHECKING:
    from ..models.import_report_pools import ImportReportPools


T = TypeVar("T", bound="ImportReport")


@_attrs_define
class ImportReport:
    """What an import stored.

    Attributes:
        format_ (ImportReportFormat):
        images_added (int): new images stored
        images_matched (int): images already in the project that the import named (their boxes were replaced by the
            imported ones)
        annotations (int): boxes stored
        classes_added (list[str]): classes added to the project
        boxes_clipped (int): boxes outside their image by under 1 px, clipped
        pools (ImportReportPools): images per pool
        skipped_files (list[str]): image files in the archive that no annotation file named (not imported)
    """

    format_: ImportReportFormat
    images_added: int
    images_matched: int
    annotations: int
    classes_added: list[str]
    boxes_clipped: int
    pools: ImportReportPools
    skipped_files: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        format_ = self.format_.value

        images_added = self.images_added

        images_matched = self.images_matched

        annotations = self.annotations

        classes_added = self.classes_added

        boxes_clipped = self.boxes_clipped

        pools = self.pools.to_dict()

        skipped_files = self.skipped_files

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "format": format_,
                "images_added": images_added,
                "images_matched": images_matched,
                "annotations": annotations,
                "classes_added": classes_added,
                "boxes_clipped": boxes_clipped,
                "pools": pools,
                "skipped_files": skipped_files,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.import_report_pools import ImportReportPools  # noqa: PLC0415

        d = dict(src_dict)
        format_ = ImportReportFormat(d.pop("format"))

        images_added = d.pop("images_added")

        images_matched = d.pop("images_matched")

        annotations = d.pop("annotations")

        classes_added = cast(list[str], d.pop("classes_added"))

        boxes_clipped = d.pop("boxes_clipped")

        pools = ImportReportPools.from_dict(d.pop("pools"))

        skipped_files = cast(list[str], d.pop("skipped_files"))

        import_report = cls(
            format_=format_,
            images_added=images_added,
            images_matched=images_matched,
            annotations=annotations,
            classes_added=classes_added,
            boxes_clipped=boxes_clipped,
            pools=pools,
            skipped_files=skipped_files,
        )

        import_report.additional_properties = d
        return import_report

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
