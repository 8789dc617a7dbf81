from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..models.body_images_upload_pool import BodyImagesUploadPool
from ..types import UNSET, File, Unset

T = TypeVar("T", bound="BodyImagesUpload")


@_attrs_define
class BodyImagesUpload:
    """
    Attributes:
        files (list[File]): one or more image files
        pool (BodyImagesUploadPool | Unset):  Default: BodyImagesUploadPool.ADAPT.
    """

    files: list[File]
    pool: BodyImagesUploadPool | Unset = BodyImagesUploadPool.ADAPT
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        files = []
        for files_item_data in self.files:
            files_item = files_item_data.to_tuple()

            files.append(files_item)

        pool: str | Unset = UNSET
        if not isinstance(self.pool, Unset):
            pool = self.pool.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "files": files,
            }
        )
        if pool is not UNSET:
            field_dict["pool"] = pool

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        for files_item_element in self.files:
            files.append(("files", files_item_element.to_tuple()))

        if not isinstance(self.pool, Unset):
            files.append(("pool", (None, str(self.pool.value).encode(), "text/plain")))

        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        files = []
        _files = d.pop("files")
        for files_item_data in _files:
            files_item = File(payload=BytesIO(files_item_data))

            files.append(files_item)

        _pool = d.pop("pool", UNSET)
        pool: BodyImagesUploadPool | Unset
        if isinstance(_pool, Unset):
            pool = UNSET
        else:
            pool = BodyImagesUploadPool(_pool)

        body_images_upload = cls(
            files=files,
            pool=pool,
        )

        body_images_upload.additional_properties = d
        return body_images_upload

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
