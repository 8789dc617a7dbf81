"""Task specs: what a worker receives when it starts an attempt (docs/contracts.md §2, TaskSpec)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.db import Annotation, Image, Job, Model, Project, Task
from backend.services.jobs import evaluable_image_ids, trainable_image_ids
from backend.services.projects import classes_of
from contracts.routine import Routine
from contracts.tasks import TaskSpec

SPEC = TypeAdapter(TaskSpec)


def _images(
    session: Session, image_ids: list[int], class_index: dict[int, int], with_annotations: bool
) -> list[dict[str, Any]]:
    if not image_ids:
        return []
    images = session.scalars(select(Image).where(Image.id.in_(image_ids)).order_by(Image.id))
    by_image: dict[int, list[dict[str, Any]]] = {}
    if with_annotations:
        rows = session.scalars(
            select(Annotation).where(Annotation.image_id.in_(image_ids)).order_by(Annotation.id)
        )
        for a in rows:
            by_image.setdefault(a.image_id, []).append(
                {"class_index": class_index[a.class_id], "box": a.box}
            )
    return [
        {
            "id": i.id,
            "sha256": i.rendition_sha256,  # what the model reads is what the person saw
            "width": i.width,
            "height": i.height,
            "file_name": i.file_name,
            "annotations": by_image.get(i.id, []),
            "complete": i.state == "complete",
        }
        for i in images
    ]


def training_set_snapshot(
    images: list[dict[str, Any]], classes: list[dict[str, Any]]
) -> dict[str, Any]:
    """What an adapted model was trained on: image ids, counts per class and a digest."""
    per_class = [0] * len(classes)
    for image in images:
        for annotation in image["annotations"]:
            per_class[annotation["class_index"]] += 1
    canonical = json.dumps(
        [[i["sha256"], i["annotations"], i["complete"]] for i in images], sort_keys=True
    ).encode()
    return {
        "image_ids": [i["id"] for i in images],
        "num_images": len(images),
        "num_complete": sum(1 for i in images if i["complete"]),
        "num_annotations": sum(per_class),
        "per_class": {c["name"]: n for c, n in zip(classes, per_class, strict=True)},
        "digest": hashlib.sha256(canonical).hexdigest(),
    }


def model_summary(model: Model | None) -> dict[str, Any] | None:
    if model is None:
        return None
    return {
        "id": model.id,
        "name": model.name,
        "weights_sha256": model.weights_sha256,
        "card": model.card,
    }


def project_settings(session: Session, project_id: int) -> dict[str, Any]:
    """The project's detection settings that it sets (``working_scale``, ``max_detections``);
    what it leaves unset the worker derives from the data."""
    project = session.get(Project, project_id)
    values = {"working_scale": project.working_scale, "max_detections": project.max_detections}
    return {k: v for k, v in values.items() if v is not None}


def build_spec(session: Session, task: Task, job: Job, lease_seconds: float) -> TaskSpec:
    classes = [{"id": c.id, "name": c.name} for c in classes_of(session, job.project_id)]
    class_index = {c["id"]: index for index, c in enumerate(classes)}
    model = session.get(Model, task.inputs["model_id"]) if task.inputs.get("model_id") else None
    spec: dict[str, Any] = {
        "task_id": task.id,
        "job_id": job.id,
        "kind": task.kind,
        "attempt": task.attempt,
        "attempt_token": task.attempt_token,
        "lease_seconds": lease_seconds,
        "model": model_summary(model),
        "classes": classes,
        "images": [],
        "eval_images": [],
        "routine": None,
        "params": {},
    }
    # results are mapped back through the class list the task ran with, not today's
    task.inputs = {**task.inputs, "class_ids": [c["id"] for c in classes]}
    holdout = evaluable_image_ids(session, job.project_id)
    if task.kind == "adapt":
        train_ids = trainable_image_ids(session, job.project_id)
        spec["images"] = _images(session, train_ids, class_index, True)
        spec["eval_images"] = _images(session, holdout, class_index, True)
        # a routine stored by an older version may hold keys that are no field any more
        stored = job.params.get("routine") or {}
        spec["routine"] = {k: v for k, v in stored.items() if k in Routine.model_fields}
        spec["params"] = project_settings(session, job.project_id)
        task.inputs = {
            **task.inputs,
            "training_set": training_set_snapshot(spec["images"], classes),
        }
    elif task.kind == "detect":
        spec["images"] = _images(session, task.inputs.get("image_ids", []), class_index, False)
        spec["params"] = {
            **project_settings(session, job.project_id),
            **{
                k: job.params[k]
                for k in ("score_threshold", "max_detections")
                if job.params.get(k) is not None
            },
        }
    elif task.kind == "evaluate":
        spec["images"] = _images(session, holdout, class_index, True)
        spec["params"] = project_settings(session, job.project_id)
        # the ground truth as sent: the worker's "missed" indices point into these lists
        truth = {
            str(i["id"]): [
                {"class_id": classes[a["class_index"]]["id"], "box": a["box"]}
                for a in i["annotations"]
            ]
            for i in spec["images"]
        }
        task.inputs = {**task.inputs, "image_ids": holdout, "truth": truth}
    elif task.kind == "generate":
        spec["params"] = job.params.get("generate", {})
    elif task.kind == "export_onnx":
        scale = job.params.get("working_scale")
        spec["params"] = {} if scale is None else {"working_scale": scale}
    return SPEC.validate_python(spec)
