from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.import_problem import ImportProblem


T = TypeVar("T", bound="ImportRefusal")


@_attrs_define
class ImportRefusal:
    """A refused import: nothing was stored.

    Attributes:
        detail (str): a sentence: how many problems, and the first
        problems (list[ImportProblem]): every problem (the first 1000)
        problem_count (int):
    """

    detail: str
    problems: list[ImportProblem]
    problem_count: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        detail = self.detail

        problems = []
        for problems_item_data in self.problems:
            problems_item = problems_item_data.to_dict()
            problems.append(problems_item)

        problem_count = self.problem_count

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "detail": detail,
                "problems": problems,
                "problem_count": problem_count,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.import_problem import ImportProblem  # noqa: PLC0415

        d = dict(src_dict)
        detail = d.pop("detail")

        problems = []
        _problems = d.pop("problems")
        for problems_item_data in _problems:
            problems_item = ImportProblem.from_dict(problems_item_data)

            problems.append(problems_item)

        problem_count = d.pop("problem_count")

        import_refusal = cls(
            detail=detail,
            problems=problems,
            problem_count=problem_count,
        )

        import_refusal.additional_properties = d
        return import_refusal

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
