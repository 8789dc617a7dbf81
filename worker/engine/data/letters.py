"""LettersOD-style synthetic detection data: uppercase letters drawn from fonts on a canvas.

Each letter is rendered from a TrueType font (matplotlib ships DejaVu, STIX and Computer Modern
faces; Pillow has one built in), given a random affine transform (rotation, shear, aspect) and a
random size from ``min_size`` pixels to most of the canvas, and placed without overlapping the
letters already there. Its box is the tight box of the drawn pixels. Everything is deterministic
given the seed: image ``i`` of a dataset with seed ``s`` is the same on every machine.

Only Pillow and NumPy are needed, so the generator also runs where torch is not installed.
"""

from __future__ import annotations

import json
import math
import random
import string
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

ALPHABET: tuple[str, ...] = tuple(string.ascii_uppercase)

# Class folds: the letters of a fold are never targets while training for that fold. Fold 0 is
# the demo project's classes, unseen by every shipped model; the base classes are the 16 letters
# in no fold.
LETTER_FOLDS: tuple[tuple[str, ...], ...] = (
    ("C", "F", "K", "P", "X"),
    ("B", "H", "M", "S", "Y"),
)
DEMO_CLASSES: tuple[str, ...] = LETTER_FOLDS[0]
BASE_CLASSES: tuple[str, ...] = tuple(
    c for c in ALPHABET if not any(c in fold for fold in LETTER_FOLDS)
)

# matplotlib's faces that draw Latin capitals (the STIX size variants and cmex/cmsy are symbols).
_MATPLOTLIB_FACES = (
    "DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf",
    "DejaVuSans-Oblique.ttf",
    "DejaVuSans-BoldOblique.ttf",
    "DejaVuSerif.ttf",
    "DejaVuSerif-Bold.ttf",
    "DejaVuSerif-Italic.ttf",
    "DejaVuSerif-BoldItalic.ttf",
    "DejaVuSansMono.ttf",
    "DejaVuSansMono-Bold.ttf",
    "DejaVuSansMono-Oblique.ttf",
    "DejaVuSansMono-BoldOblique.ttf",
    "STIXGeneral.ttf",
    "STIXGeneralBol.ttf",
    "STIXGeneralItalic.ttf",
    "STIXGeneralBolIta.ttf",
    "cmr10.ttf",
    "cmb10.ttf",
    "cmss10.ttf",
    "cmti10.ttf",
    "cmtt10.ttf",
    "cmmi10.ttf",
)
_GLYPH_PX = 96  # size at which a glyph is rasterised before it is transformed and resized


@lru_cache(maxsize=1)
def font_files() -> tuple[str, ...]:
    """The TrueType files available for drawing letters ('' stands for Pillow's built-in face)."""
    files: list[str] = []
    try:
        import matplotlib

        ttf_dir = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
        files = [str(ttf_dir / name) for name in _MATPLOTLIB_FACES if (ttf_dir / name).exists()]
    except ImportError:  # the generator still works with Pillow's own face
        pass
    return tuple(files) + ("",)


@lru_cache(maxsize=64)
def _font(path: str) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if path:
        return ImageFont.truetype(path, _GLYPH_PX)
    return ImageFont.load_default(size=_GLYPH_PX)


@lru_cache(maxsize=2048)
def _glyph_mask(letter: str, font_path: str) -> Image.Image:
    """The letter's coverage (mode L), cropped to its ink."""
    font = _font(font_path)
    canvas = Image.new("L", (_GLYPH_PX * 2, _GLYPH_PX * 2), 0)
    ImageDraw.Draw(canvas).text((_GLYPH_PX // 2, _GLYPH_PX // 4), letter, fill=255, font=font)
    bbox = canvas.getbbox()
    if bbox is None:
        raise ValueError(f"font {font_path or 'default'} draws nothing for {letter!r}")
    return canvas.crop(bbox)


@dataclass(frozen=True)
class LetterObject:
    """One drawn letter: its class name and tight box ``[x, y, w, h]`` in pixels."""

    letter: str
    box: tuple[float, float, float, float]


@dataclass
class Scene:
    image: Image.Image
    objects: list[LetterObject] = field(default_factory=list)


@dataclass(frozen=True)
class SceneConfig:
    """How scenes are drawn.

    Arguments:
        image_size: side of the square canvas in pixels.
        min_size, max_size: range of a letter's longer side in pixels (sampled log-uniformly);
            ``max_size`` defaults to 90% of the canvas.
        min_objects, max_objects: letters of the target classes per image.
        distractors: up to this many extra letters of ``distractor_classes`` per image; they are
            drawn but not annotated (background for the task, as in K-shot detection).
        max_rotation: degrees; max_shear: shear factor; aspect: range of width scaling.
    """

    image_size: int = 256
    min_size: int = 16
    max_size: int | None = None
    min_objects: int = 1
    max_objects: int = 4
    distractors: int = 0
    max_rotation: float = 20.0
    max_shear: float = 0.25
    aspect: tuple[float, float] = (0.75, 1.3)


def _transformed_glyph(
    rng: random.Random, letter: str, size: float, cfg: SceneConfig
) -> Image.Image:
    fonts = font_files()
    mask = _glyph_mask(letter, fonts[rng.randrange(len(fonts))])
    # affine: aspect change and shear, then rotation (Pillow's rotate expands the canvas)
    aspect = rng.uniform(*cfg.aspect)
    shear = rng.uniform(-cfg.max_shear, cfg.max_shear)
    w, h = mask.size
    new_w = max(1, int(round(w * aspect + abs(shear) * h)))
    offset = -shear * h if shear > 0 else 0.0
    sheared = mask.transform(
        (new_w, h),
        Image.Transform.AFFINE,
        (1 / aspect, shear / aspect, offset / aspect, 0, 1, 0),
        resample=Image.Resampling.BILINEAR,
    )
    rotated = sheared.rotate(
        rng.uniform(-cfg.max_rotation, cfg.max_rotation),
        resample=Image.Resampling.BILINEAR,
        expand=True,
    )
    bbox = rotated.getbbox() or (0, 0, 1, 1)
    rotated = rotated.crop(bbox)
    scale = size / max(rotated.size)
    target = (max(2, round(rotated.width * scale)), max(2, round(rotated.height * scale)))
    return rotated.resize(target, Image.Resampling.LANCZOS)


def _overlaps(
    box: tuple[int, int, int, int], placed: Sequence[tuple[int, int, int, int]], gap: int
) -> bool:
    x0, y0, x1, y1 = box
    return any(
        x0 < px1 + gap and px0 < x1 + gap and y0 < py1 + gap and py0 < y1 + gap
        for px0, py0, px1, py1 in placed
    )


def draw_scene(
    seed: int,
    classes: Sequence[str],
    cfg: SceneConfig = SceneConfig(),
    distractor_classes: Sequence[str] = (),
    required: Sequence[str] = (),
) -> Scene:
    """Draw one image of letters.

    Arguments:
        seed: the scene's random seed (the same seed draws the same scene).
        classes: letters that may be drawn as annotated objects.
        cfg: sizes and counts (:class:`SceneConfig`).
        distractor_classes: letters drawn unannotated (at most ``cfg.distractors`` of them).
        required: letters that must be among the objects (used to guarantee K shots per class).

    Example:
        >>> scene = draw_scene(0, ["A", "B"])
        >>> scene.image.size
        (256, 256)
    """
    rng = random.Random(seed)
    size = cfg.image_size
    max_size = cfg.max_size or int(0.9 * size)
    count = rng.randint(cfg.min_objects, cfg.max_objects)
    letters = list(required) + [
        rng.choice(list(classes)) for _ in range(max(0, count - len(required)))
    ]
    n_distract = rng.randint(0, cfg.distractors) if distractor_classes and cfg.distractors else 0
    drawn = [(letter, True) for letter in letters] + [
        (rng.choice(list(distractor_classes)), False) for _ in range(n_distract)
    ]
    # the more letters share the canvas, the smaller they may be; draw big ones first
    cap = max(cfg.min_size, min(max_size, int(size / math.sqrt(max(1, len(drawn))) * 1.1)))
    sizes = [
        math.exp(rng.uniform(math.log(cfg.min_size), math.log(max(cfg.min_size + 1, cap))))
        for _ in drawn
    ]
    order = sorted(range(len(drawn)), key=lambda i: -sizes[i])

    background = rng.randint(215, 255)
    ink = rng.randint(0, 60)
    image = Image.new("L", (size, size), background)
    placed: list[tuple[int, int, int, int]] = []
    objects: list[LetterObject] = []
    for i in order:
        letter, annotated = drawn[i]
        glyph = _transformed_glyph(rng, letter, sizes[i], cfg)
        gw, gh = glyph.size
        for _ in range(60):
            x = rng.randint(0, max(0, size - gw))
            y = rng.randint(0, max(0, size - gh))
            box = (x, y, x + gw, y + gh)
            if not _overlaps(box, placed, gap=2):
                break
        else:
            if letter in required and annotated:
                raise RuntimeError("could not place a required letter")  # caller retries a new seed
            continue
        image.paste(ink, (x, y), glyph)
        placed.append(box)
        if annotated:
            ink_box = glyph.point(lambda v: 255 if v > 64 else 0).getbbox() or (0, 0, gw, gh)
            bx0, by0, bx1, by1 = ink_box
            objects.append(
                LetterObject(
                    letter, (float(x + bx0), float(y + by0), float(bx1 - bx0), float(by1 - by0))
                )
            )
    noise = np.random.default_rng(seed).normal(0, 4, (size, size))
    pixels = np.clip(np.asarray(image, dtype=np.float32) + noise, 0, 255).astype(np.uint8)
    return Scene(Image.fromarray(pixels, "L").convert("RGB"), objects)


def scene_seed(seed: int, index: int) -> int:
    """A well-mixed seed for image ``index`` of a dataset with seed ``seed``."""
    return (seed * 1_000_003 + index * 7_919 + 12_345) % (2**31 - 1)


def iter_scenes(
    seed: int,
    classes: Sequence[str],
    count: int,
    cfg: SceneConfig = SceneConfig(),
    distractor_classes: Sequence[str] = (),
    start: int = 0,
) -> Iterator[Scene]:
    """``count`` scenes, image ``i`` drawn from ``scene_seed(seed, start + i)``."""
    for index in range(start, start + count):
        yield draw_scene(scene_seed(seed, index), classes, cfg, distractor_classes)


def k_shot_scenes(
    seed: int,
    classes: Sequence[str],
    shots: int,
    cfg: SceneConfig = SceneConfig(),
    distractor_classes: Sequence[str] = (),
) -> list[Scene]:
    """At least ``shots`` images per class, each class required in its own ``shots`` images."""
    scenes: list[Scene] = []
    index = 0
    for letter in classes:
        for _ in range(shots):
            while True:
                index += 1
                try:
                    scenes.append(
                        draw_scene(
                            scene_seed(seed, index),
                            classes,
                            cfg,
                            distractor_classes,
                            required=[letter],
                        )
                    )
                    break
                except RuntimeError:
                    continue
    return scenes


def write_coco(
    scenes: Sequence[Scene], classes: Sequence[str], out_dir: str | Path, prefix: str = "letters"
) -> Path:
    """Write scenes as PNG files and a COCO JSON (``annotations.json``) into ``out_dir``."""
    out = Path(out_dir)
    (out / "images").mkdir(parents=True, exist_ok=True)
    categories = [{"id": i + 1, "name": name} for i, name in enumerate(classes)]
    cat_id = {c["name"]: c["id"] for c in categories}
    images, annotations = [], []
    for i, scene in enumerate(scenes):
        file_name = f"{prefix}_{i:05d}.png"
        scene.image.save(out / "images" / file_name)
        images.append(
            {
                "id": i + 1,
                "file_name": f"images/{file_name}",
                "width": scene.image.width,
                "height": scene.image.height,
            }
        )
        for obj in scene.objects:
            if obj.letter not in cat_id:
                continue
            x, y, w, h = obj.box
            annotations.append(
                {
                    "id": len(annotations) + 1,
                    "image_id": i + 1,
                    "category_id": cat_id[obj.letter],
                    "bbox": [x, y, w, h],
                    "area": w * h,
                    "iscrowd": 0,
                }
            )
    path = out / "annotations.json"
    path.write_text(
        json.dumps({"images": images, "annotations": annotations, "categories": categories})
    )
    return path
