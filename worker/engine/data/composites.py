"""Synthetic detection scenes that look more like photographs than black letters do: textured
objects composited onto real and procedural textures, at many scales, colours and densities.

Description:
    A *class* is a kind of object drawn from its seed: a shape family (ellipse, blob, polygon,
    rounded rectangle, ring, star), a fill (flat colour with noise, a patch of a real texture, or
    radial shading with a darker rim, as a tree crown or a cell has), a colour, an aspect range,
    soft or hard edges and an optional drop shadow. A scene draws a background — a crop of one
    of scikit-image's sample photographs and textures (brick, grass, gravel, coffee, …; a
    registry package, read from its installed ``skimage/data`` folder), or multi-octave value
    noise in a random palette, or both blended — and places the objects of one to three classes
    on it, sparsely (2–6) or densely (up to 60, touching but overlapping little). Objects are
    sized around a per-scene median so that the working scale (``samples.working_scale``)
    matters as it does on real data.

    Everything is deterministic given the seed. Only Pillow and NumPy are needed. No image of
    the real-data benchmark (``deepforest``'s tiles) is ever used.
"""

from __future__ import annotations

import importlib.util
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

# scikit-image's sample images used as textures (photographs, materials, microscopy)
TEXTURE_FILES = (
    "brick.png",
    "grass.png",
    "gravel.png",
    "astronaut.png",
    "coffee.png",
    "chelsea.png",
    "rocket.jpg",
    "hubble_deep_field.jpg",
    "ihc.png",
    "retina.jpg",
    "moon.png",
    "camera.png",
    "coins.png",
    "horse.png",
    "motorcycle_left.png",
    "page.png",
    "microaneurysms.png",
    "cell.png",
    "color.png",
    "logo.png",
)
SHAPES = ("ellipse", "blob", "polygon", "rounded_rect", "ring", "star")
FILLS = ("solid", "texture", "radial")


@lru_cache(maxsize=1)
def _texture_dir() -> Path | None:
    spec = importlib.util.find_spec("skimage")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data"


@lru_cache(maxsize=1)
def textures() -> tuple[np.ndarray, ...]:
    """The sample images as (H, W, 3) uint8 arrays (empty when scikit-image is missing: the
    scenes then use procedural textures only)."""
    folder = _texture_dir()
    out = []
    for name in TEXTURE_FILES:
        path = folder / name if folder else None
        if path is not None and path.is_file():
            with Image.open(path) as raw:
                out.append(np.asarray(raw.convert("RGB")))
    return tuple(out)


@dataclass(frozen=True)
class ObjectKind:
    """What one class's objects look like (drawn from the class's seed)."""

    shape: str
    fill: str
    color: tuple[int, int, int]
    texture: int
    aspect: tuple[float, float]
    soft: bool
    shadow: bool
    vertices: int


def object_kind(class_seed: int) -> ObjectKind:
    rng = np.random.default_rng([7, class_seed])
    low = float(rng.uniform(0.5, 1.0))
    return ObjectKind(
        shape=SHAPES[int(rng.integers(len(SHAPES)))],
        fill=FILLS[int(rng.integers(len(FILLS)))],
        color=tuple(int(v) for v in rng.integers(0, 256, 3)),
        texture=int(rng.integers(1 << 30)),
        aspect=(low, float(min(1.0, low + rng.uniform(0.1, 0.5)))),
        soft=bool(rng.random() < 0.5),
        shadow=bool(rng.random() < 0.4),
        vertices=int(rng.integers(3, 9)),
    )


def _value_noise(rng: np.random.Generator, height: int, width: int, octaves: int = 4) -> np.ndarray:
    """(H, W) smooth noise in [0, 1]: random grids of growing resolution, upsampled and summed."""
    total = np.zeros((height, width), np.float32)
    weight = 0.0
    for octave in range(octaves):
        cells = 2 ** (octave + 1) + int(rng.integers(0, 3))
        grid = rng.random((cells, cells)).astype(np.float32)
        layer = np.asarray(Image.fromarray(grid).resize((width, height), Image.Resampling.BICUBIC))
        amplitude = 0.5**octave
        total += amplitude * layer
        weight += amplitude
    total /= weight
    return (total - total.min()) / max(float(total.max() - total.min()), 1e-6)


def _texture_patch(
    rng: np.random.Generator, height: int, width: int, index: int | None = None
) -> np.ndarray:
    """(H, W, 3) float crop of a sample image at a random zoom, flip and quarter turn."""
    pool = textures()
    if not pool:
        return _procedural(rng, height, width)
    source = pool[(index if index is not None else int(rng.integers(1 << 30))) % len(pool)]
    zoom = float(np.exp(rng.uniform(np.log(0.4), np.log(2.0))))
    ch, cw = (
        min(source.shape[0], max(4, round(height / zoom))),
        min(source.shape[1], max(4, round(width / zoom))),
    )
    y0 = int(rng.integers(0, source.shape[0] - ch + 1))
    x0 = int(rng.integers(0, source.shape[1] - cw + 1))
    patch = Image.fromarray(source[y0 : y0 + ch, x0 : x0 + cw])
    if rng.random() < 0.5:
        patch = patch.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    patch = patch.rotate(90 * int(rng.integers(4)), expand=True).resize(
        (width, height), Image.Resampling.BILINEAR
    )
    return np.asarray(patch, np.float32)


def _procedural(rng: np.random.Generator, height: int, width: int) -> np.ndarray:
    """(H, W, 3) value noise mapped through a random palette of two or three colours."""
    noise = _value_noise(rng, height, width)
    palette = rng.integers(0, 256, (int(rng.integers(2, 4)), 3)).astype(np.float32)
    position = noise * (len(palette) - 1)
    low = np.floor(position).astype(int).clip(0, len(palette) - 2)
    frac = (position - low)[..., None]
    return palette[low] * (1 - frac) + palette[low + 1] * frac


def _jitter(rng: np.random.Generator, pixels: np.ndarray, strength: float = 1.0) -> np.ndarray:
    """Random brightness, contrast and channel mixing (a hue and saturation change)."""
    mix = np.eye(3, dtype=np.float32) + rng.normal(0, 0.15 * strength, (3, 3)).astype(np.float32)
    mean = pixels.mean((0, 1), keepdims=True)
    contrast = float(rng.uniform(1 - 0.4 * strength, 1 + 0.4 * strength))
    out = (pixels - mean) * contrast + mean * float(
        rng.uniform(1 - 0.3 * strength, 1 + 0.3 * strength)
    )
    return out @ mix.T


def background(rng: np.random.Generator, size: int) -> np.ndarray:
    kind = rng.random()
    if kind < 0.45:
        pixels = _texture_patch(rng, size, size)
    elif kind < 0.7:
        pixels = _procedural(rng, size, size)
    else:
        alpha = _value_noise(rng, size, size, 3)[..., None]
        pixels = alpha * _texture_patch(rng, size, size) + (1 - alpha) * _procedural(
            rng, size, size
        )
    return _jitter(rng, pixels)


def _mask(rng: np.random.Generator, kind: ObjectKind, width: int, height: int) -> Image.Image:
    """The object's coverage (mode L) in a (width, height) box."""
    scale = 4  # drawn larger, then reduced: smooth edges
    w, h = width * scale, height * scale
    mask = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(mask)
    cx, cy = w / 2, h / 2
    if kind.shape == "ellipse":
        draw.ellipse([0, 0, w - 1, h - 1], fill=255)
    elif kind.shape == "rounded_rect":
        draw.rounded_rectangle([0, 0, w - 1, h - 1], radius=min(w, h) * 0.25, fill=255)
    elif kind.shape == "ring":
        draw.ellipse([0, 0, w - 1, h - 1], fill=255)
        draw.ellipse([w * 0.3, h * 0.3, w * 0.7, h * 0.7], fill=0)
    else:
        count = {"blob": 14, "polygon": kind.vertices, "star": 2 * kind.vertices + 2}[kind.shape]
        angles = (
            np.sort(rng.uniform(0, 2 * np.pi, count))
            if kind.shape == "blob"
            else np.linspace(0, 2 * np.pi, count, endpoint=False) + rng.uniform(0, np.pi)
        )
        if kind.shape == "blob":
            radii = np.clip(rng.normal(1.0, 0.15, count), 0.6, 1.0)
        elif kind.shape == "star":
            radii = np.where(np.arange(count) % 2 == 0, 1.0, 0.45)
        else:
            radii = np.ones(count)
        points = [
            (cx + r * math.cos(a) * (w / 2 - 1), cy + r * math.sin(a) * (h / 2 - 1))
            for r, a in zip(radii, angles, strict=True)
        ]
        draw.polygon(points, fill=255)
        if kind.shape == "blob":
            mask = mask.filter(ImageFilter.GaussianBlur(scale * 2)).point(
                lambda v: 255 if v > 110 else 0
            )
    mask = mask.resize((width, height), Image.Resampling.BILINEAR)
    if kind.soft:
        mask = mask.filter(ImageFilter.GaussianBlur(max(0.5, min(width, height) * 0.06)))
    return mask


def _fill(rng: np.random.Generator, kind: ObjectKind, width: int, height: int) -> np.ndarray:
    color = np.array(kind.color, np.float32) * rng.uniform(0.85, 1.15, 3).astype(np.float32)
    if kind.fill == "texture":
        tex_rng = np.random.default_rng([kind.texture, int(rng.integers(1 << 30))])
        pixels = 0.6 * _texture_patch(tex_rng, height, width, kind.texture) + 0.4 * color
    else:
        pixels = np.broadcast_to(color, (height, width, 3)).astype(np.float32).copy()
        pixels += rng.normal(0, 12, (height, width, 1)).astype(np.float32)
    if kind.fill == "radial":
        ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
        r = np.sqrt(((xs + 0.5) / width - 0.5) ** 2 + ((ys + 0.5) / height - 0.5) ** 2) * 2
        pixels *= (1.15 - 0.55 * np.clip(r, 0, 1) ** 1.5)[..., None]
        pixels += 10 * _value_noise(rng, height, width, 3)[..., None]
    return pixels


@dataclass
class CompositeScene:
    image: Image.Image
    boxes: np.ndarray  # (N, 4) x, y, w, h
    labels: np.ndarray  # (N,) indices into the scene's class list


def draw_composite(
    seed: int,
    class_seeds: list[int],
    image_size: int = 384,
    median_size: tuple[float, float] = (18.0, 80.0),
) -> CompositeScene:
    """One scene with objects of one to three of the classes ``class_seeds`` (labels index that
    list).

    Arguments:
        median_size: range of the scene's median object side in pixels (drawn log-uniformly);
            each object's side varies ±40% around it.
    """
    rng = np.random.default_rng([11, seed])
    pixels = background(rng, image_size)
    present = rng.choice(
        len(class_seeds), size=min(len(class_seeds), int(rng.integers(1, 4))), replace=False
    )
    dense = rng.random() < 0.45
    median = float(np.exp(rng.uniform(*np.log(median_size))))
    boxes, labels = [], []
    occupancy = np.zeros((image_size, image_size), bool)
    for label in present:
        kind = object_kind(class_seeds[int(label)])
        wanted = int(rng.integers(8, 40)) if dense else int(rng.integers(1, 5))
        for _ in range(wanted * 3):
            if wanted == 0:
                break
            side = median * float(np.exp(rng.uniform(np.log(0.6), np.log(1.4))))
            aspect = float(rng.uniform(*kind.aspect))
            w, h = (
                (side / math.sqrt(aspect), side * math.sqrt(aspect))
                if rng.random() < 0.5
                else (side * math.sqrt(aspect), side / math.sqrt(aspect))
            )
            w, h = max(4, min(round(w), image_size - 2)), max(4, min(round(h), image_size - 2))
            x, y = int(rng.integers(0, image_size - w)), int(rng.integers(0, image_size - h))
            # objects may touch but cover little of each other (at most 15% of the new one)
            if occupancy[y : y + h, x : x + w].mean() > (0.15 if dense else 0.0):
                continue
            mask = _mask(rng, kind, w, h)
            alpha = np.asarray(mask, np.float32)[..., None] / 255.0
            if kind.shadow:
                dx, dy = int(max(1, w * 0.12)), int(max(1, h * 0.12))
                sy, sx = min(image_size, y + dy + h), min(image_size, x + dx + w)
                shade = alpha[: sy - (y + dy), : sx - (x + dx)] * 0.45
                pixels[y + dy : sy, x + dx : sx] *= 1 - shade
            fill = _jitter(rng, _fill(rng, kind, w, h), 0.3)
            region = pixels[y : y + h, x : x + w]
            pixels[y : y + h, x : x + w] = alpha * fill + (1 - alpha) * region
            ink = np.argwhere(np.asarray(mask) > 96)
            if len(ink) == 0:
                continue
            (y0, x0), (y1, x1) = ink.min(0), ink.max(0) + 1
            boxes.append([x + x0, y + y0, x1 - x0, y1 - y0])
            labels.append(int(label))
            occupancy[y : y + h, x : x + w] = True
            wanted -= 1
    # photographic noise and blur
    pixels += rng.normal(0, float(rng.uniform(0, 8)), pixels.shape).astype(np.float32)
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    if rng.random() < 0.3:
        image = image.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.3, 1.2))))
    return CompositeScene(
        image, np.asarray(boxes, np.float32).reshape(-1, 4), np.asarray(labels, np.int64)
    )
