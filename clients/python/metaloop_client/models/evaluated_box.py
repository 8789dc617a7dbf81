from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.evaluated_box_match_type_0 import EvaluatedBoxMatchType0

T = TypeVar("T", bound="EvaluatedBox")


@_attrs_define
class EvaluatedBox:
    """
    Attributes:
        class_id (int):
        box (list[float]): [x, y, w, h] in pixels
        score (float):
        match (EvaluatedBoxMatchType0 | None): tp: it matched a ground-truth box of its class at IoU >= 0.5; fp: it did
            not
    """

    class_id: int
    box: list[float]
    score: float
    match: EvaluatedBoxMatchType0 | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        class_id = self.class_id

        box = self.box

        score = self.score

        match: None | str
        if isinstance(self.match, EvaluatedBoxMatchType0):
            match = self.match.value
        else:
            match = self.match

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "class_id": class_id,
                "box": box,
                "score": score,
                "match": match,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        class_id = d.pop("class_id")

        box = cast(list[float], d.pop("box"))

        score = d.pop("score")

        def _parse_match(data: object) -> EvaluatedBoxMatchType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                match_type_0 = EvaluatedBoxMatchType0(data)

                return match_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EvaluatedBoxMatchType0 | None, data)

        match = _parse_match(d.pop("match"))

        evaluated_box = cls(
            class_id=class_id,
            box=box,
            score=score,
            match=match,
        )

        evaluated_box.additional_properties = d
        return evaluated_box

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
