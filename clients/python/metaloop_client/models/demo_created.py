from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.project_out import ProjectOut


T = TypeVar("T", bound="DemoCreated")


@_attrs_define
class DemoCreated:
    """
    Attributes:
        project (ProjectOut):
        job_id (int):
    """

    project: ProjectOut
    job_id: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        project = self.project.to_dict()

        job_id = self.job_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "project": project,
                "job_id": job_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.project_out import ProjectOut  # noqa: PLC0415

        d = dict(src_dict)
        project = ProjectOut.from_dict(d.pop("project"))

        job_id = d.pop("job_id")

        demo_created = cls(
            project=project,
            job_id=job_id,
        )

        demo_created.additional_properties = d
        return demo_created

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
