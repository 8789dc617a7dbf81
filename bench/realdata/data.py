"""NEON tree-crown tiles and their Pascal VOC boxes, from the installed ``deepforest`` package.

The ``deepforest`` wheel ships sample RGB tiles of the NEON airborne observation platform (10 cm
per pixel) with hand-annotated crowns as Pascal VOC XML in ``deepforest/data/`` (Weinstein et
al., 2019–2020). Only those files are read: the package's code (and its heavy dependencies) is
never imported, so ``pip install --no-deps deepforest`` is enough. Nothing is downloaded, and no
image is committed.
"""

from __future__ import annotations

import importlib.util
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from worker.engine.samples import Sample

# the four tiles with VOC annotations (file stem → site)
OSBS = "OSBS_029"
SOAP = "SOAP_061"
YELL_CROP = "2019_YELL_2_541000_4977000_image_crop"
YELL_LARGE = "2019_YELL_2_528000_4978000_image_crop2"
CLASSES = ("Tree",)


def data_dir() -> Path:
    """``deepforest/data`` of the installed package (found without importing it).

    Raises:
        FileNotFoundError: ``deepforest`` is not installed.
    """
    spec = importlib.util.find_spec("deepforest")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("install the deepforest package (pip install --no-deps deepforest)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


@dataclass
class AnnotatedImage:
    name: str
    image: Image.Image
    boxes: np.ndarray  # (N, 4) x, y, w, h in pixels

    def sample(self) -> Sample:
        """All crowns as one class (``Alive`` and ``Dead`` in SOAP are both crowns)."""
        return Sample(self.image, self.boxes, np.zeros(len(self.boxes), np.int64))


def read_voc_boxes(path: Path) -> np.ndarray:
    """(N, 4) ``[x, y, w, h]`` boxes of a Pascal VOC file (VOC's corners are inclusive pixel
    indices, so ``w = xmax - xmin``, as DeepForest reads them)."""
    root = ET.parse(path).getroot()
    boxes = []
    for obj in root.iter("object"):
        box = obj.find("bndbox")
        x1, y1, x2, y2 = (float(box.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax"))
        boxes.append([x1, y1, x2 - x1, y2 - y1])
    return np.asarray(boxes, np.float32).reshape(-1, 4)


def load(stem: str) -> AnnotatedImage:
    folder = data_dir()
    with Image.open(folder / f"{stem}.png") as raw:
        image = raw.convert("RGB")
    return AnnotatedImage(stem, image, read_voc_boxes(folder / f"{stem}.xml"))


def crop(
    item: AnnotatedImage,
    x0: int,
    y0: int,
    x1: int,
    y1: int,
    name: str,
    min_visible: float = 0.5,
    centred: bool = False,
) -> AnnotatedImage:
    """The window ``[x0, x1) × [y0, y1)`` of an image with the boxes at least ``min_visible``
    inside it (with ``centred``, also those whose centre lies in it), clipped to it."""
    b = item.boxes.copy()
    xyxy = np.concatenate([b[:, :2], b[:, :2] + b[:, 2:]], 1)
    clipped = np.clip(xyxy, [x0, y0, x0, y0], [x1, y1, x1, y1])
    area = np.clip(b[:, 2] * b[:, 3], 1e-6, None)
    visible = (clipped[:, 2] - clipped[:, 0]) * (clipped[:, 3] - clipped[:, 1]) / area
    keep = visible >= min_visible
    if centred:
        cx, cy = b[:, 0] + b[:, 2] / 2, b[:, 1] + b[:, 3] / 2
        keep |= (cx >= x0) & (cx < x1) & (cy >= y0) & (cy < y1)
    out = clipped[keep] - [x0, y0, x0, y0]
    boxes = np.concatenate([out[:, :2], out[:, 2:] - out[:, :2]], 1).astype(np.float32)
    return AnnotatedImage(name, item.image.crop((x0, y0, x1, y1)), boxes)


def grid_tiles(item: AnnotatedImage, rows: int = 3, cols: int = 3) -> list[AnnotatedImage]:
    """The image cut into a ``rows × cols`` grid of tiles (row-major), each with its crowns:
    those at least half inside it, and those whose centre lies in it (a crown across a tile
    corner may be under half inside every tile)."""
    w, h = item.image.size
    xs = [round(i * w / cols) for i in range(cols + 1)]
    ys = [round(i * h / rows) for i in range(rows + 1)]
    return [
        crop(item, xs[c], ys[r], xs[c + 1], ys[r + 1], f"{item.name}-r{r}c{c}", centred=True)
        for r in range(rows)
        for c in range(cols)
    ]


def region_with(item: AnnotatedImage, count: int, seed: int = 0) -> AnnotatedImage:
    """The smallest square window around a random crown that holds ``count`` crowns whole (every
    crown in it is annotated): what a person who annotates a small part of a tile completely
    gives the model. The window grows in 8-px steps from the crown's centre."""
    rng = np.random.default_rng(seed)
    w, h = item.image.size
    centres = item.boxes[:, :2] + item.boxes[:, 2:] / 2
    cx, cy = centres[rng.integers(len(centres))]
    for half in range(16, max(w, h), 8):
        x0, y0 = int(max(0, cx - half)), int(max(0, cy - half))
        x1, y1 = int(min(w, cx + half)), int(min(h, cy + half))
        region = crop(item, x0, y0, x1, y1, f"{item.name}-{count}crowns", min_visible=0.5)
        if len(region.boxes) >= count:
            return region
    return crop(item, 0, 0, w, h, f"{item.name}-{count}crowns")
