from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DemoRequest")


@_attrs_define
class DemoRequest:
    """Counts of the synthetic demo project; the defaults are those of the README's demo.

    Attributes:
        name (str | Unset):  Default: 'Letters demo'.
        seed (int | Unset):  Default: 0.
        classes (list[str] | Unset):
        adapt_annotated (int | Unset): annotated adapt images; each class is in about this / len(classes) Default: 25.
        adapt_unannotated (int | Unset):  Default: 200.
        holdout (int | Unset): annotated images in the holdout pool Default: 50.
        image_size (int | Unset): pixels a side; at most MAX_DEMO_IMAGE_SIZE (default 512), and the three counts
            together at most MAX_DEMO_IMAGES (default 2000) Default: 256.
    """

    name: str | Unset = "Letters demo"
    seed: int | Unset = 0
    classes: list[str] | Unset = UNSET
    adapt_annotated: int | Unset = 25
    adapt_unannotated: int | Unset = 200
    holdout: int | Unset = 50
    image_size: int | Unset = 256
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        seed = self.seed

        classes: list[str] | Unset = UNSET
        if not isinstance(self.classes, Unset):
            classes = self.classes

        adapt_annotated = self.adapt_annotated

        adapt_unannotated = self.adapt_unannotated

        holdout = self.holdout

        image_size = self.image_size

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if seed is not UNSET:
            field_dict["seed"] = seed
        if classes is not UNSET:
            field_dict["classes"] = classes
        if adapt_annotated is not UNSET:
            field_dict["adapt_annotated"] = adapt_annotated
        if adapt_unannotated is not UNSET:
            field_dict["adapt_unannotated"] = adapt_unannotated
        if holdout is not UNSET:
            field_dict["holdout"] = holdout
        if image_size is not UNSET:
            field_dict["image_size"] = image_size

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name", UNSET)

        seed = d.pop("seed", UNSET)

        classes = cast(list[str], d.pop("classes", UNSET))

        adapt_annotated = d.pop("adapt_annotated", UNSET)

        adapt_unannotated = d.pop("adapt_unannotated", UNSET)

        holdout = d.pop("holdout", UNSET)

        image_size = d.pop("image_size", UNSET)

        demo_request = cls(
            name=name,
            seed=seed,
            classes=classes,
            adapt_annotated=adapt_annotated,
            adapt_unannotated=adapt_unannotated,
            holdout=holdout,
            image_size=image_size,
        )

        demo_request.additional_properties = d
        return demo_request

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
