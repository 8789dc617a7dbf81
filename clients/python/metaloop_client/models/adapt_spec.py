from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.adapt_spec_params import AdaptSpecParams
    from ..models.class_ref import ClassRef
    from ..models.model_summary import ModelSummary
    from ..models.routine import Routine
    from ..models.spec_image import SpecImage


T = TypeVar("T", bound="AdaptSpec")


@_attrs_define
class AdaptSpec:
    """Adapt ``model`` (the base) to ``images`` (the adapt pool's complete and in-progress
    images); ``eval_images`` (the complete holdout images, maybe none) are scored at the
    routine's checkpoints.

        Attributes:
            task_id (int):
            job_id (int):
            attempt (int):
            attempt_token (str):
            lease_seconds (float):
            classes (list[ClassRef]):
            kind (Literal['adapt']):
            model (ModelSummary):
            images (list[SpecImage]):
            routine (Routine): A complete update routine; a field left out takes its default.
            eval_images (list[SpecImage] | Unset):
            params (AdaptSpecParams | Unset):
    """

    task_id: int
    job_id: int
    attempt: int
    attempt_token: str
    lease_seconds: float
    classes: list[ClassRef]
    kind: Literal["adapt"]
    model: ModelSummary
    images: list[SpecImage]
    routine: Routine
    eval_images: list[SpecImage] | Unset = UNSET
    params: AdaptSpecParams | Unset = UNSET
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

        images = []
        for images_item_data in self.images:
            images_item = images_item_data.to_dict()
            images.append(images_item)

        routine = self.routine.to_dict()

        eval_images: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.eval_images, Unset):
            eval_images = []
            for eval_images_item_data in self.eval_images:
                eval_images_item = eval_images_item_data.to_dict()
                eval_images.append(eval_images_item)

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
                "images": images,
                "routine": routine,
            }
        )
        if eval_images is not UNSET:
            field_dict["eval_images"] = eval_images
        if params is not UNSET:
            field_dict["params"] = params

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.adapt_spec_params import AdaptSpecParams  # noqa: PLC0415
        from ..models.class_ref import ClassRef  # noqa: PLC0415
        from ..models.model_summary import ModelSummary  # noqa: PLC0415
        from ..models.routine import Routine  # noqa: PLC0415
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

        kind = cast(Literal["adapt"], d.pop("kind"))
        if kind != "adapt":
            raise ValueError(f"kind must match const 'adapt', got '{kind}'")

        model = ModelSummary.from_dict(d.pop("model"))

        images = []
        _images = d.pop("images")
        for images_item_data in _images:
            images_item = SpecImage.from_dict(images_item_data)

            images.append(images_item)

        routine = Routine.from_dict(d.pop("routine"))

        _eval_images = d.pop("eval_images", UNSET)
        eval_images: list[SpecImage] | Unset = UNSET
        if _eval_images is not UNSET:
            eval_images = []
            for eval_images_item_data in _eval_images:
                eval_images_item = SpecImage.from_dict(eval_images_item_data)

                eval_images.append(eval_images_item)

        _params = d.pop("params", UNSET)
        params: AdaptSpecParams | Unset
        if isinstance(_params, Unset):
            params = UNSET
        else:
            params = AdaptSpecParams.from_dict(_params)

        adapt_spec = cls(
            task_id=task_id,
            job_id=job_id,
            attempt=attempt,
            attempt_token=attempt_token,
            lease_seconds=lease_seconds,
            classes=classes,
            kind=kind,
            model=model,
            images=images,
            routine=routine,
            eval_images=eval_images,
            params=params,
        )

        adapt_spec.additional_properties = d
        return adapt_spec

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
