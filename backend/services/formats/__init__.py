"""Annotation formats in and out: COCO JSON, Pascal VOC XML and YOLO txt.

Each format module parses its files into :class:`Entry` records (an image reference and its
boxes, as the file gives them) and writes a project's images and boxes back out. Parsers never
touch the database: ``backend/services/imports.py`` resolves the references, checks every box
against its decoded image and stores the lot in one transaction; ``backend/services/exports.py``
streams the zips. Every problem found names its item (file, line or annotation id) and reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from backend.services.errors import Invalid

Format = Literal["coco", "voc", "yolo"]
FORMATS: tuple[Format, ...] = ("coco", "voc", "yolo")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp", ".gif", ".mpo")
# split names in dataset files and folders → pools
SPLITS = {
    "adapt": "adapt",
    "train": "adapt",
    "training": "adapt",
    "trainval": "adapt",
    "holdout": "holdout",
    "val": "holdout",
    "valid": "holdout",
    "validation": "holdout",
    "test": "holdout",
}
MAX_REPORTED_PROBLEMS = 1000


@dataclass(frozen=True)
class Problem:
    item: str  # the file, with its line or annotation id when there is one
    reason: str


@dataclass
class Box:
    class_name: str
    coords: tuple[float, ...]  # x, y, w, h in pixels; or cx, cy, w, h in 0..1 when normalized
    item: str  # where it came from, for the report
    normalized: bool = False
    score: float | None = None


@dataclass
class Entry:
    """One image of an annotation file: how the file refers to it, and its boxes."""

    ref: str  # the image's path as the file gives it (COCO file_name, VOC filename, YOLO image)
    item: str  # the annotation file (and image id) that named it
    base_dir: str = ""  # the annotation file's folder in the archive
    boxes: list[Box] = field(default_factory=list)
    pool: str | None = None  # a split the file gives, as a pool
    size: tuple[int, int] | None = None  # width, height as the file declares them
    # file stems to try, in order, when no image has the ref's name: the one image (in the
    # upload, then in the project) of that stem, whatever its extension (VOC: the filename's
    # stem, then the XML file's own; COCO: the file_name's stem)
    stems: tuple[str, ...] = ()


class ImportRefused(Invalid):
    """An import with problems: nothing was stored (HTTP 422 with every problem listed)."""

    def __init__(self, problems: list[Problem]) -> None:
        count = len(problems)
        first = problems[0]
        super().__init__(
            f"import refused, nothing was stored: {count} problem{'s' if count != 1 else ''}; "
            f"the first: {first.item}: {first.reason}"
        )
        self.problems = problems

    def listed(self) -> dict[str, Any]:
        """`problems` (the first MAX_REPORTED_PROBLEMS, each `{item, reason}`) and
        `problem_count`: what an answer or a job's result shows of the refusal."""
        return {
            "problems": [
                {"item": p.item, "reason": p.reason} for p in self.problems[:MAX_REPORTED_PROBLEMS]
            ],
            "problem_count": len(self.problems),
        }


def split_pool(name: str | None) -> str | None:
    """The pool a split name means (train → adapt, val/test → holdout), or None."""
    if not name:
        return None
    return SPLITS.get(str(name).strip().lower())


def stem(path: str) -> str:
    base = path.rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[0] if "." in base else base


def is_image_path(path: str) -> bool:
    return path.lower().endswith(IMAGE_SUFFIXES)
