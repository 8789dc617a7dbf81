"""COCO JSON: object detection annotations (boxes), and the results format for predictions.

Reading checks each record's shape first (so a problem names the annotation id), then indexes
the file with pycocotools' ``COCO`` (images, categories, annotations per image). An image's
``pool`` or ``split`` field (adapt/holdout, train/val/test) is kept; without one, a file named
like ``instances_train.json`` or ``val.json`` gives its split to all its images.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import threading
from collections.abc import Iterable
from typing import Any

from pycocotools.coco import COCO

from backend.services.formats import Box, Entry, Problem, split_pool, stem

_QUIET = threading.Lock()  # pycocotools prints progress; silence it one file at a time


def _index(dataset: dict[str, Any]) -> COCO:
    coco = COCO()
    coco.dataset = dataset
    with _QUIET, contextlib.redirect_stdout(io.StringIO()):
        coco.createIndex()
    return coco


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _file_split(name: str) -> str | None:
    base = name.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower()
    for token in base.replace("-", "_").split("_")[::-1]:
        token = "".join(c for c in token if c.isalpha())
        if split_pool(token):
            return split_pool(token)
    return None


def parse(name: str, data: bytes) -> tuple[list[Entry], list[Problem], list[str]]:
    """The images of a COCO file and their boxes, or the problems found in it; and the category
    names in the file's order (by id when every id is a number, else as listed), the order in
    which an import adds the classes it lacks. An image's ``file_name`` that names no image
    falls back to the one image of its stem (``Entry.stems``)."""
    problems: list[Problem] = []
    try:
        dataset = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        return [], [Problem(name, f"not valid JSON: {error}")], []
    if not isinstance(dataset, dict) or not isinstance(dataset.get("images"), list):
        return [], [Problem(name, "not a COCO file: no 'images' list at the top level")], []
    for key in ("annotations", "categories"):
        if not isinstance(dataset.get(key, []), list):
            return [], [Problem(name, f"'{key}' is not a list")], []
    base_dir = name.rsplit("/", 1)[0] if "/" in name else ""
    file_pool = _file_split(name)

    images, image_ids = [], set()
    for index, image in enumerate(dataset["images"]):
        where = f"{name}: images[{index}]"
        if not isinstance(image, dict) or not isinstance(image.get("id"), int | str):
            problems.append(Problem(where, "an image needs an 'id'"))
            continue
        where = f"{name}: image id {image['id']}"
        if image["id"] in image_ids:
            problems.append(Problem(where, "the id appears twice"))
            continue
        if not isinstance(image.get("file_name"), str) or not image["file_name"].strip():
            problems.append(Problem(where, "an image needs a 'file_name'"))
            continue
        image_ids.add(image["id"])
        images.append(image)
    categories: dict[Any, str] = {}
    for index, category in enumerate(dataset.get("categories", [])):
        if (
            not isinstance(category, dict)
            or not isinstance(category.get("id"), int | str)
            or not isinstance(category.get("name"), str)
        ):
            problems.append(Problem(f"{name}: categories[{index}]", "needs an 'id' and a 'name'"))
            continue
        if category["id"] in categories:
            problems.append(Problem(f"{name}: category id {category['id']}", "appears twice"))
            continue
        categories[category["id"]] = category["name"]
    annotations, annotation_ids = [], set()
    for index, ann in enumerate(dataset.get("annotations", [])):
        ann_id = ann.get("id") if isinstance(ann, dict) else None
        if not isinstance(ann, dict) or not isinstance(ann_id, int | str):
            problems.append(Problem(f"{name}: annotations[{index}]", "an annotation needs an 'id'"))
            continue
        where = f"{name}: annotation id {ann_id}"
        if ann_id in annotation_ids:
            problems.append(Problem(where, "the id appears twice"))
            continue
        annotation_ids.add(ann_id)
        if ann.get("image_id") not in image_ids:
            problems.append(Problem(where, f"image_id {ann.get('image_id')!r} is not an image"))
            continue
        if ann.get("category_id") not in categories:
            problems.append(Problem(where, f"category_id {ann.get('category_id')!r} is unknown"))
            continue
        bbox = ann.get("bbox")
        if not isinstance(bbox, list) or len(bbox) != 4 or not all(_number(v) for v in bbox):
            problems.append(Problem(where, f"bbox {bbox!r} is not four numbers [x, y, w, h]"))
            continue
        if not all(math.isfinite(v) for v in bbox):
            problems.append(Problem(where, f"bbox {bbox!r}: every number must be finite"))
            continue
        annotations.append(ann)
    if problems:
        return [], problems, []
    ids = list(categories)
    if all(_number(i) for i in ids):
        ids.sort()
    class_order = [categories[i] for i in ids]

    coco = _index({"images": images, "annotations": annotations, "categories": []})
    entries = []
    for image_id, image in coco.imgs.items():
        size = None
        if _number(image.get("width")) and _number(image.get("height")):
            size = (int(image["width"]), int(image["height"]))
        pool = split_pool(image.get("pool")) or split_pool(image.get("split")) or file_pool
        ref = image["file_name"]
        stems = (stem(ref.replace("\\", "/")),)
        entry = Entry(ref, f"{name}: image id {image_id}", base_dir, [], pool, size, stems)
        for ann in coco.imgToAnns.get(image_id, []):
            entry.boxes.append(
                Box(
                    categories[ann["category_id"]],
                    tuple(float(v) for v in ann["bbox"]),
                    f"{name}: annotation id {ann['id']}",
                )
            )
        entries.append(entry)
    return entries, [], class_order


def document(
    images: Iterable[dict[str, Any]],
    classes: list[str],
    boxes: Iterable[tuple[int, int, list[float]]],
) -> dict[str, Any]:
    """A COCO dataset: ``images`` (id, file_name, width, height, pool, ...), categories from
    ``classes`` (ids 1..n in order), annotations from ``boxes`` (image id, category id, box)."""
    annotations = []
    for image_id, category_id, box in boxes:
        x, y, w, h = box
        annotations.append(
            {
                "id": len(annotations) + 1,
                "image_id": image_id,
                "category_id": category_id,
                "bbox": [x, y, w, h],
                "area": w * h,
                "iscrowd": 0,
            }
        )
    return {
        "info": {"description": "exported by MetaLoop", "version": "1.0"},
        "licenses": [],
        "images": list(images),
        "annotations": annotations,
        "categories": [
            {"id": i + 1, "name": name, "supercategory": "object"} for i, name in enumerate(classes)
        ],
    }
