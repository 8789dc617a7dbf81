from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.class_ref import ClassRef
    from ..models.export_onnx_params import ExportOnnxParams
    from ..models.model_summary import ModelSummary
    from ..models.spec_image import SpecImage


T = TypeVar("T", bound="ExportOnnxSpec")


@_attrs_define
class ExportOnnxSpec:
    """Export ``model`` (with the spec's ``classes``, as detect runs it) to one ONNX file, upload
    it as a blob and answer its sha256 (docs/engine.md, "Export to ONNX").

        Attributes:
            task_id (int):
            job_id (int):
            attempt (int):
            attempt_token (str):
            lease_seconds (float):
            classes (list[ClassRef]):
            kind (Literal['export_onnx']):
            model (ModelSummary):
            images (list[SpecImage] | Unset):
            eval_images (list[SpecImage] | Unset):
            routine (None | Unset):
            params (ExportOnnxParams | Unset): How an export_onnx task runs; further keys pass through to the worker.
    """

    task_id: int
    job_id: int
    attempt: int
    attempt_token: str
    lease_seconds: float
    classes: list[ClassRef]
    kind: Literal["export_onnx"]
    model: ModelSummary
    images: list[SpecImage] | Unset = UNSET
    eval_images: list[SpecImage] | Unset = UNSET
    routine: None | Unset = UNSET
    params: ExportOnnxParams | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        task_id = self.task_id

        job_id = self.job_id

        attempt = self.attempt

        attempt_token = self.attempt_token

        lease_seconds = self.lease_seconds

        classes = []
        for classes_item_data in self.classes:
            classes_item = classes_item_data.to_dict()
            classes.append(classes_item)

        kind = self.kind

        model = self.model.to_dict()

        images: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.images, Unset):
            images = []
            for images_item_data in self.images:
                images_item = images_item_data.to_dict()
                images.append(images_item)

        eval_images: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.eval_images, Unset):
            eval_images = []
            for eval_images_item_data in self.eval_images:
                eval_images_item = eval_images_item_data.to_dict()
                eval_images.append(eval_images_item)

        routine = self.routine

        params: dict[str, Any] | Unset = UNSET
        if not isinstance(self.params, Unset):
            params = self.params.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "task_id": task_id,
                "job_id": job_id,
                "attempt": attempt,
                "attempt_token": attempt_token,
                "lease_seconds": lease_seconds,
                "classes": classes,
                "kind": kind,
                "model": model,
            }
        )
        if images is not UNSET:
            field_dict["images"] = images
        if eval_images is not UNSET:
            field_dict["eval_images"] = eval_images
        if routine is not UNSET:
            field_dict["routine"] = routine
        if params is not UNSET:
            field_dict["params"] = params

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.class_ref import ClassRef  # noqa: PLC0415
        from ..models.export_onnx_params import ExportOnnxParams  # noqa: PLC0415
        from ..models.model_summary import ModelSummary  # noqa: PLC0415
        from ..models.spec_image import SpecImage  # noqa: PLC0415

        d = dict(src_dict)
        task_id = d.pop("task_id")

        job_id = d.pop("job_id")

        attempt = d.pop("attempt")

        attempt_token = d.pop("attempt_token")

        lease_seconds = d.pop("lease_seconds")

        classes = []
        _classes = d.pop("classes")
        for classes_item_data in _classes:
            classes_item = ClassRef.from_dict(classes_item_data)

            classes.append(classes_item)

        kind = cast(Literal["export_onnx"], d.pop("kind"))
        if kind != "export_onnx":
            raise ValueError(f"kind must match const 'export_onnx', got '{kind}'")

        model = ModelSummary.from_dict(d.pop("model"))

        _images = d.pop("images", UNSET)
        images: list[SpecImage] | Unset = UNSET
        if _images is not UNSET:
            images = []
            for images_item_data in _images:
                images_item = SpecImage.from_dict(images_item_data)

                images.append(images_item)

        _eval_images = d.pop("eval_images", UNSET)
        eval_images: list[SpecImage] | Unset = UNSET
        if _eval_images is not UNSET:
            eval_images = []
            for eval_images_item_data in _eval_images:
                eval_images_item = SpecImage.from_dict(eval_images_item_data)

                eval_images.append(eval_images_item)

        routine = d.pop("routine", UNSET)

        _params = d.pop("params", UNSET)
        params: ExportOnnxParams | Unset
        if isinstance(_params, Unset):
            params = UNSET
        else:
            params = ExportOnnxParams.from_dict(_params)

        export_onnx_spec = cls(
            task_id=task_id,
            job_id=job_id,
            attempt=attempt,
            attempt_token=attempt_token,
            lease_seconds=lease_seconds,
            classes=classes,
            kind=kind,
            model=model,
            images=images,
            eval_images=eval_images,
            routine=routine,
            params=params,
        )

        export_onnx_spec.additional_properties = d
        return export_onnx_spec

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
