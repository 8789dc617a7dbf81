from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..models.body_imports_create_format_type_0 import BodyImportsCreateFormatType0
from ..models.body_imports_create_pool import BodyImportsCreatePool
from ..models.body_imports_create_state import BodyImportsCreateState
from ..types import UNSET, File, Unset

T = TypeVar("T", bound="BodyImportsCreate")


@_attrs_define
class BodyImportsCreate:
    """
    Attributes:
        file (File): a .zip of images and annotation files, or one annotation file for images already in the project
            (matched by file name)
        format_ (BodyImportsCreateFormatType0 | None | Unset): coco, voc or yolo; left out: detected
        pool (BodyImportsCreatePool | Unset): the pool of new images whose file gives no split Default:
            BodyImportsCreatePool.ADAPT.
        add_classes (bool | Unset): add classes the project lacks (else they are refused) Default: False.
        state (BodyImportsCreateState | Unset): the imported images' state; complete (the default): a dataset's ground
            truth boxes every object Default: BodyImportsCreateState.COMPLETE.
    """

    file: File
    format_: BodyImportsCreateFormatType0 | None | Unset = UNSET
    pool: BodyImportsCreatePool | Unset = BodyImportsCreatePool.ADAPT
    add_classes: bool | Unset = False
    state: BodyImportsCreateState | Unset = BodyImportsCreateState.COMPLETE
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file = self.file.to_tuple()

        format_: None | str | Unset
        if isinstance(self.format_, Unset):
            format_ = UNSET
        elif isinstance(self.format_, BodyImportsCreateFormatType0):
            format_ = self.format_.value
        else:
            format_ = self.format_

        pool: str | Unset = UNSET
        if not isinstance(self.pool, Unset):
            pool = self.pool.value

        add_classes = self.add_classes

        state: str | Unset = UNSET
        if not isinstance(self.state, Unset):
            state = self.state.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "file": file,
            }
        )
        if format_ is not UNSET:
            field_dict["format"] = format_
        if pool is not UNSET:
            field_dict["pool"] = pool
        if add_classes is not UNSET:
            field_dict["add_classes"] = add_classes
        if state is not UNSET:
            field_dict["state"] = state

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("file", self.file.to_tuple()))

        if not isinstance(self.format_, Unset):
            if isinstance(self.format_, BodyImportsCreateFormatType0):
                files.append(("format", (None, str(self.format_.value).encode(), "text/plain")))
            else:
                files.append(("format", (None, str(self.format_).encode(), "text/plain")))

        if not isinstance(self.pool, Unset):
            files.append(("pool", (None, str(self.pool.value).encode(), "text/plain")))

        if not isinstance(self.add_classes, Unset):
            files.append(("add_classes", (None, str(self.add_classes).encode(), "text/plain")))

        if not isinstance(self.state, Unset):
            files.append(("state", (None, str(self.state.value).encode(), "text/plain")))

        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        file = File(payload=BytesIO(d.pop("file")))

        def _parse_format_(data: object) -> BodyImportsCreateFormatType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                format_type_0 = BodyImportsCreateFormatType0(data)

                return format_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BodyImportsCreateFormatType0 | None | Unset, data)

        format_ = _parse_format_(d.pop("format", UNSET))

        _pool = d.pop("pool", UNSET)
        pool: BodyImportsCreatePool | Unset
        if isinstance(_pool, Unset):
            pool = UNSET
        else:
            pool = BodyImportsCreatePool(_pool)

        add_classes = d.pop("add_classes", UNSET)

        _state = d.pop("state", UNSET)
        state: BodyImportsCreateState | Unset
        if isinstance(_state, Unset):
            state = UNSET
        else:
            state = BodyImportsCreateState(_state)

        body_imports_create = cls(
            file=file,
            format_=format_,
            pool=pool,
            add_classes=add_classes,
            state=state,
        )

        body_imports_create.additional_properties = d
        return body_imports_create

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
