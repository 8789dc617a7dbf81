from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.annotations_replace_state_type_0 import AnnotationsReplaceStateType0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.annotation_in import AnnotationIn


T = TypeVar("T", bound="AnnotationsReplace")


@_attrs_define
class AnnotationsReplace:
    """
    Attributes:
        annotations (list[AnnotationIn]):
        state (AnnotationsReplaceStateType0 | None | Unset): the image's state after the write; unset: unlabelled →
            in_progress when it gains a box, in_progress → unlabelled when it has none left, complete stays
    """

    annotations: list[AnnotationIn]
    state: AnnotationsReplaceStateType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        annotations = []
        for annotations_item_data in self.annotations:
            annotations_item = annotations_item_data.to_dict()
            annotations.append(annotations_item)

        state: None | str | Unset
        if isinstance(self.state, Unset):
            state = UNSET
        elif isinstance(self.state, AnnotationsReplaceStateType0):
            state = self.state.value
        else:
            state = self.state

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "annotations": annotations,
            }
        )
        if state is not UNSET:
            field_dict["state"] = state

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.annotation_in import AnnotationIn  # noqa: PLC0415

        d = dict(src_dict)
        annotations = []
        _annotations = d.pop("annotations")
        for annotations_item_data in _annotations:
            annotations_item = AnnotationIn.from_dict(annotations_item_data)

            annotations.append(annotations_item)

        def _parse_state(data: object) -> AnnotationsReplaceStateType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                state_type_0 = AnnotationsReplaceStateType0(data)

                return state_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AnnotationsReplaceStateType0 | None | Unset, data)

        state = _parse_state(d.pop("state", UNSET))

        annotations_replace = cls(
            annotations=annotations,
            state=state,
        )

        annotations_replace.additional_properties = d
        return annotations_replace

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
