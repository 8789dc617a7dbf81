"""YOLO txt: one ``<stem>.txt`` per image, a line ``class cx cy w h`` each (0..1 of the image's
width and height), and the class list in ``data.yaml`` (Ultralytics: ``names``, a list or an
index → name map; read with ``yaml.safe_load``) or ``classes.txt`` / ``*.names`` (Darknet: a
name a line).

Label files pair with images by path (``labels/train/a.txt`` ↔ ``images/train/a.jpg``) or by
stem in the same folder; an image without a label file is a negative image (no box), as YOLO
trainers read it. A ``train``/``val``/``test`` folder gives the split. A sixth number on a line
(a score) is ignored; polygon lines (segmentation) are refused.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import yaml

from backend.services.formats import Box, Entry, Problem, is_image_path, split_pool, stem

CLASS_FILES = ("classes.txt", "obj.names")


def _class_names(
    names: list[str], read: Callable[[str], bytes]
) -> tuple[list[str] | None, list[Problem]]:
    yamls = [n for n in names if n.lower().endswith((".yaml", ".yml"))]
    lists = [
        n
        for n in names
        if n.rsplit("/", 1)[-1].lower() in CLASS_FILES or n.lower().endswith(".names")
    ]
    for path in yamls:
        try:
            data = yaml.safe_load(read(path))
        except yaml.YAMLError as error:
            return None, [Problem(path, f"not valid YAML: {error}")]
        found = data.get("names") if isinstance(data, dict) else None
        values = found.values() if isinstance(found, dict) else found or []
        if isinstance(found, dict | list) and not all(
            isinstance(v, str | int | float) and not isinstance(v, bool) for v in values
        ):
            return None, [Problem(path, "'names' must be class names (text)")]
        if isinstance(found, dict):
            if not all(isinstance(k, int) for k in found) or sorted(found) != list(
                range(len(found))
            ):
                return None, [Problem(path, "'names' must map 0, 1, 2, ... to class names")]
            return [str(found[i]) for i in range(len(found))], []
        if isinstance(found, list):
            return [str(n) for n in found], []
    for path in lists:
        lines = [line.strip() for line in read(path).decode("utf-8", "replace").splitlines()]
        return [line for line in lines if line], []
    return None, [
        Problem(
            "the archive",
            "no YOLO class list: add data.yaml (with 'names'), classes.txt or obj.names",
        )
    ]


def _pool_of(path: str) -> str | None:
    for part in path.split("/")[:-1][::-1]:
        if split_pool(part):
            return split_pool(part)
    return None


def parse(
    names: list[str], read: Callable[[str], bytes]
) -> tuple[list[Entry], list[Problem], list[str]]:
    """Entries for every image and label file of the archive (``names``: member paths), the
    problems found, and the class list (index order: the order an import adds new classes)."""
    classes, problems = _class_names(names, read)
    if classes is None:
        return [], problems, []
    skip = {n for n in names if n.rsplit("/", 1)[-1].lower() in CLASS_FILES}
    labels = [
        n
        for n in names
        if n.lower().endswith(".txt") and n not in skip and not n.startswith("ImageSets/")
    ]
    images = [n for n in names if is_image_path(n)]
    by_key = {}  # (folder with labels→images, stem) → image path
    for path in images:
        folder = path.rsplit("/", 1)[0] if "/" in path else ""
        by_key.setdefault((folder, stem(path)), path)
    entries: list[Entry] = []
    paired: set[str] = set()
    for label in labels:
        folder = label.rsplit("/", 1)[0] if "/" in label else ""
        image_folder = "/".join("images" if p == "labels" else p for p in folder.split("/"))
        image = by_key.get((image_folder, stem(label))) or by_key.get((folder, stem(label)))
        if image is not None:
            paired.add(image)
        entry = Entry(image or stem(label), label, "", [], _pool_of(image or label))
        for number, line in enumerate(read(label).decode("utf-8", "replace").splitlines(), 1):
            where = f"{label}: line {number}"
            parts = line.split()
            if not parts:
                continue
            if len(parts) not in (5, 6):
                reason = "polygons (segmentation) are not read" if len(parts) > 6 else ""
                problems.append(Problem(where, reason or "a line is 'class cx cy w h'"))
                continue
            try:
                index = int(parts[0])
                values = tuple(float(v) for v in parts[1:5])
            except ValueError:
                problems.append(Problem(where, "a line is 'class cx cy w h' (numbers)"))
                continue
            if not 0 <= index < len(classes):
                problems.append(Problem(where, f"class {index} is not in the class list"))
                continue
            if not all(math.isfinite(v) for v in values):
                problems.append(Problem(where, "every number must be finite"))
                continue
            entry.boxes.append(Box(classes[index], values, where, normalized=True))
        entries.append(entry)
    for image in images:
        if image not in paired:
            entries.append(
                Entry(image, f"{image} (no label file: no object)", "", [], _pool_of(image))
            )
    return entries, problems, classes


def lines(boxes: list[tuple[int, list[float], float | None]], width: int, height: int) -> str:
    """An image's label file: ``class cx cy w h`` (and the score, for predictions)."""
    out = []
    for index, (x, y, w, h), score in boxes:
        values = [(x + w / 2) / width, (y + h / 2) / height, w / width, h / height]
        line = f"{index} " + " ".join(f"{v:.6f}" for v in values)
        out.append(line + (f" {score:.6f}" if score is not None else ""))
    return "".join(f"{line}\n" for line in out)


def data_yaml(classes: list[str], pools: list[str]) -> bytes:
    data: dict[str, object] = {"path": "."}
    if "adapt" in pools:
        data["train"] = "images/train"
    if "holdout" in pools:
        data["val"] = "images/val"
    data["names"] = dict(enumerate(classes))
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode()
