"""Images and their boxes as the engine sees them, and their conversion to input tensors.

Boxes enter and leave the engine as ``[x, y, w, h]`` in pixels of the original image (COCO);
inside, an image is letterboxed into the detector's square input (longer side scaled to
``input_size``, padded right and bottom) and boxes are ``x1, y1, x2, y2`` in input pixels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import torch
from PIL import Image
from torch import Tensor

from .detector import DetectorConfig, encode_targets

_MEAN, _STD = 0.5, 0.25


@dataclass
class Sample:
    """One image with its annotations.

    Arguments:
        image: an RGB Pillow image.
        boxes: (N, 4) ``[x, y, w, h]`` pixels of ``image``.
        labels: (N,) class indices.
    """

    image: Image.Image
    boxes: np.ndarray = field(default_factory=lambda: np.zeros((0, 4), np.float32))
    labels: np.ndarray = field(default_factory=lambda: np.zeros((0,), np.int64))

    def __post_init__(self) -> None:
        self.boxes = np.asarray(self.boxes, np.float32).reshape(-1, 4)
        self.labels = np.asarray(self.labels, np.int64).reshape(-1)
        if len(self.boxes) != len(self.labels):
            raise ValueError("a sample needs one label per box")


def letterbox(image: Image.Image, size: int) -> tuple[Tensor, float]:
    """(3, size, size) normalised tensor and the scale from image pixels to input pixels."""
    image = image.convert("RGB")
    scale = size / max(image.size)
    new_size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    resized = image.resize(new_size, Image.Resampling.BILINEAR) if new_size != image.size else image
    pixels = torch.from_numpy(np.asarray(resized, dtype=np.float32)).permute(2, 0, 1) / 255.0
    canvas = torch.zeros(3, size, size)
    canvas[:, : new_size[1], : new_size[0]] = (pixels - _MEAN) / _STD
    return canvas, scale


def xywh_to_xyxy(boxes: np.ndarray) -> np.ndarray:
    out = np.asarray(boxes, np.float32).reshape(-1, 4).copy()
    out[:, 2:] += out[:, :2]
    return out


def xyxy_to_xywh(boxes: np.ndarray) -> np.ndarray:
    out = np.asarray(boxes, np.float32).reshape(-1, 4).copy()
    out[:, 2:] -= out[:, :2]
    return out


def encode_sample(sample: Sample, num_classes: int, config: DetectorConfig) -> tuple[Tensor, dict[str, Tensor]]:
    """Input tensor and fixed-size target maps of one sample."""
    tensor, scale = letterbox(sample.image, config.input_size)
    boxes = torch.from_numpy(xywh_to_xyxy(sample.boxes) * scale)
    return tensor, encode_targets(boxes, torch.from_numpy(sample.labels), num_classes, config)


# a batch's inputs: images (N, 3, S, S), the trunk's features of them (a tuple), or frozen maps (a dict)
Inputs = Tensor | tuple[Tensor, ...] | dict[str, Tensor]


def take(inputs: Inputs, index: Tensor | int) -> Inputs:
    """The rows ``index`` of a batch's inputs, whatever their form."""
    if isinstance(inputs, dict):
        return {k: v[index] for k, v in inputs.items()}
    if isinstance(inputs, (tuple, list)):
        return tuple(v[index] for v in inputs)
    return inputs[index]


@dataclass
class EncodedSet:
    """A set of samples encoded once, so that training steps only index tensors."""

    images: Tensor  # (N, 3, S, S)
    targets: dict[str, Tensor]  # each (N, ...)

    def __len__(self) -> int:
        return self.images.shape[0]

    def batch(self, index: Tensor) -> tuple[Tensor, dict[str, Tensor]]:
        return self.images[index], {k: v[index] for k, v in self.targets.items()}

    def to(self, device: torch.device | str) -> EncodedSet:
        return EncodedSet(self.images.to(device), {k: v.to(device) for k, v in self.targets.items()})


def encode_samples(samples: Sequence[Sample], num_classes: int, config: DetectorConfig) -> EncodedSet:
    if not samples:
        raise ValueError("no samples to encode")
    encoded = [encode_sample(s, num_classes, config) for s in samples]
    images = torch.stack([e[0] for e in encoded])
    targets = {k: torch.stack([e[1][k] for e in encoded]) for k in encoded[0][1]}
    return EncodedSet(images, targets)
