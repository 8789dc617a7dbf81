from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.model_detail_card import ModelDetailCard
    from ..models.model_detail_metrics import ModelDetailMetrics
    from ..models.model_detail_routine import ModelDetailRoutine
    from ..models.model_detail_training_set import ModelDetailTrainingSet
    from ..models.routine import Routine


T = TypeVar("T", bound="ModelDetail")


@_attrs_define
class ModelDetail:
    """
    Attributes:
        id (int):
        project_id (int | None):
        name (str):
        architecture (str):
        task_type (str):
        classes (list[Any]):
        class_ids (list[Any] | None):
        parent_id (int | None):
        algorithm (str):
        routine (ModelDetailRoutine):
        training_set (ModelDetailTrainingSet):
        weights_sha256 (str):
        metrics (ModelDetailMetrics):
        source_job_id (int | None):
        created_at (datetime.datetime):
        is_default (bool):  Default: False.
        is_current (bool): the project's current model: what detect and evaluate use Default: False.
        card (ModelDetailCard): the model's card: architecture, classes, training, preset, metrics. `onnx`, once an ONNX
            export of this model has succeeded in this project, says how to use the newest such file: the export's card
            section (`input`: name, shape, dtype, layout, `mean`, `std`; `outputs`; `classes`; `scale_mode`, `input_size`,
            `score_threshold`, `nms_iou`, `preprocessing`, `postprocessing`; docs/engine.md, "Export to ONNX") with
            `download` (the path that downloads the file), `job_id`, `onnx_sha256`, `size` (bytes) and `exported_at`. It is
            read from the export job, not stored in the card; absent before an export has succeeded
        preset (Routine): A complete update routine; a field left out takes its default.
    """

    id: int
    project_id: int | None
    name: str
    architecture: str
    task_type: str
    classes: list[Any]
    class_ids: list[Any] | None
    parent_id: int | None
    algorithm: str
    routine: ModelDetailRoutine
    training_set: ModelDetailTrainingSet
    weights_sha256: str
    metrics: ModelDetailMetrics
    source_job_id: int | None
    created_at: datetime.datetime
    card: ModelDetailCard
    preset: Routine
    is_default: bool = False
    is_current: bool = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        project_id: int | None
        project_id = self.project_id

        name = self.name

        architecture = self.architecture

        task_type = self.task_type

        classes = self.classes

        class_ids: list[Any] | None
        if isinstance(self.class_ids, list):
            class_ids = self.class_ids

        else:
            class_ids = self.class_ids

        parent_id: int | None
        parent_id = self.parent_id

        algorithm = self.algorithm

        routine = self.routine.to_dict()

        training_set = self.training_set.to_dict()

        weights_sha256 = self.weights_sha256

        metrics = self.metrics.to_dict()

        source_job_id: int | None
        source_job_id = self.source_job_id

        created_at = self.created_at.isoformat()

        is_default = self.is_default

        is_current = self.is_current

        card = self.card.to_dict()

        preset = self.preset.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "project_id": project_id,
                "name": name,
                "architecture": architecture,
                "task_type": task_type,
                "classes": classes,
                "class_ids": class_ids,
                "parent_id": parent_id,
                "algorithm": algorithm,
                "routine": routine,
                "training_set": training_set,
                "weights_sha256": weights_sha256,
                "metrics": metrics,
                "source_job_id": source_job_id,
                "created_at": created_at,
                "is_default": is_default,
                "is_current": is_current,
                "card": card,
                "preset": preset,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_detail_card import ModelDetailCard  # noqa: PLC0415
        from ..models.model_detail_metrics import ModelDetailMetrics  # noqa: PLC0415
        from ..models.model_detail_routine import ModelDetailRoutine  # noqa: PLC0415
        from ..models.model_detail_training_set import ModelDetailTrainingSet  # noqa: PLC0415
        from ..models.routine import Routine  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        def _parse_project_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        project_id = _parse_project_id(d.pop("project_id"))

        name = d.pop("name")

        architecture = d.pop("architecture")

        task_type = d.pop("task_type")

        classes = cast(list[Any], d.pop("classes"))

        def _parse_class_ids(data: object) -> list[Any] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                class_ids_type_0 = cast(list[Any], data)

                return class_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[Any] | None, data)

        class_ids = _parse_class_ids(d.pop("class_ids"))

        def _parse_parent_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        parent_id = _parse_parent_id(d.pop("parent_id"))

        algorithm = d.pop("algorithm")

        routine = ModelDetailRoutine.from_dict(d.pop("routine"))

        training_set = ModelDetailTrainingSet.from_dict(d.pop("training_set"))

        weights_sha256 = d.pop("weights_sha256")

        metrics = ModelDetailMetrics.from_dict(d.pop("metrics"))

        def _parse_source_job_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        source_job_id = _parse_source_job_id(d.pop("source_job_id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        is_default = d.pop("is_default")

        is_current = d.pop("is_current")

        card = ModelDetailCard.from_dict(d.pop("card"))

        preset = Routine.from_dict(d.pop("preset"))

        model_detail = cls(
            id=id,
            project_id=project_id,
            name=name,
            architecture=architecture,
            task_type=task_type,
            classes=classes,
            class_ids=class_ids,
            parent_id=parent_id,
            algorithm=algorithm,
            routine=routine,
            training_set=training_set,
            weights_sha256=weights_sha256,
            metrics=metrics,
            source_job_id=source_job_id,
            created_at=created_at,
            is_default=is_default,
            is_current=is_current,
            card=card,
            preset=preset,
        )

        model_detail.additional_properties = d
        return model_detail

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
