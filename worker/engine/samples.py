"""Images and their boxes as the engine sees them, and their conversion to input tensors.

Boxes enter and leave the engine as ``[x, y, w, h]`` in pixels of the original image (COCO);
inside, boxes are ``x1, y1, x2, y2`` in input pixels. How an image becomes inputs depends on the
detector's ``scale_mode``:

* ``letterbox``: the image is scaled so that its longer side is ``input_size`` and padded right
  and bottom into one square input (the synthetic letters).
* ``tiles``: the image is scaled by a **working scale** (:func:`working_scale`: the median
  annotated object side becomes ``object_size`` input pixels), then cut into square crops of
  ``input_size`` with overlap for training (:func:`crop_samples`), and into overlapping tiles of
  up to ``tile_size`` for detection (:func:`tile_starts`, used by :mod:`.inference`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import torch
from PIL import Image
from torch import Tensor

from .backbones import normalization
from .detector import DetectorConfig, encode_targets

# the working scale stays within these bounds, whatever the objects' sizes
MIN_SCALE, MAX_SCALE = 0.25, 4.0


@dataclass
class Sample:
    """One image with its annotations.

    Arguments:
        image: an RGB Pillow image.
        boxes: (N, 4) ``[x, y, w, h]`` pixels of ``image``.
        labels: (N,) class indices.
        complete: every object in the image is boxed (zero boxes: an image of background).
            False for an image still being annotated: only its boxes are known, and training
            learns nothing about background from it (:func:`~.detector.encode_targets`).
    """

    image: Image.Image
    boxes: np.ndarray = field(default_factory=lambda: np.zeros((0, 4), np.float32))
    labels: np.ndarray = field(default_factory=lambda: np.zeros((0,), np.int64))
    complete: bool = True

    def __post_init__(self) -> None:
        self.boxes = np.asarray(self.boxes, np.float32).reshape(-1, 4)
        self.labels = np.asarray(self.labels, np.int64).reshape(-1)
        if len(self.boxes) != len(self.labels):
            raise ValueError("a sample needs one label per box")


def _normalized(image: Image.Image, trunk: str) -> np.ndarray:
    """(H, W, 3) float32 pixels of an image, normalised as ``trunk`` expects. In numpy: a few
    single-threaded operations per image, where torch's would each wake its thread pool (which
    costs far more than the arithmetic when the machine's cores are busy)."""
    mean, std = normalization(trunk)
    pixels = np.asarray(image.convert("RGB"), dtype=np.float32)
    return (pixels / np.float32(255.0) - np.asarray(mean, np.float32)) / np.asarray(std, np.float32)


def to_tensor(image: Image.Image, trunk: str = "resnet10") -> Tensor:
    """(3, H, W) float tensor of an image, normalised as ``trunk`` expects."""
    return torch.from_numpy(np.ascontiguousarray(_normalized(image, trunk).transpose(2, 0, 1)))


def rescale(image: Image.Image, scale: float) -> Image.Image:
    """``image`` resized by ``scale`` (bilinear; at least 1 px a side)."""
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.BILINEAR) if size != image.size else image


def pad_to(tensor: Tensor, height: int, width: int) -> Tensor:
    """A (3, H, W) input padded with zeros (the normalised mean) right and bottom."""
    canvas = tensor.new_zeros(tensor.shape[0], height, width)
    canvas[:, : tensor.shape[1], : tensor.shape[2]] = tensor[:, :height, :width]
    return canvas


def letterbox(image: Image.Image, size: int, trunk: str = "resnet10") -> tuple[Tensor, float]:
    """(3, size, size) normalised tensor and the scale from image pixels to input pixels."""
    image = image.convert("RGB")
    scale = size / max(image.size)
    pixels = _normalized(rescale(image, scale), trunk)[:size, :size]
    canvas = np.zeros((3, size, size), np.float32)  # zeros: the normalised mean, as pad_to
    canvas[:, : pixels.shape[0], : pixels.shape[1]] = pixels.transpose(2, 0, 1)
    return torch.from_numpy(canvas), scale


def working_scale(samples: Sequence[Sample], config: DetectorConfig) -> float:
    """The scale from image to input pixels at which a ``tiles`` detector sees ``samples``: the
    median annotated box side (the square root of its area) becomes ``config.object_size``,
    within [0.25, 4]; 1 when there is no box.

    Example:
        >>> working_scale([Sample(image, [[0, 0, 20, 20]], [0])], DetectorConfig(object_size=40))
        2.0
    """
    sides = [
        np.sqrt(np.clip(s.boxes[:, 2] * s.boxes[:, 3], 1e-6, None)) for s in samples if len(s.boxes)
    ]
    if not sides:
        return 1.0
    median = float(np.median(np.concatenate(sides)))
    return float(np.clip(config.object_size / max(median, 1e-6), MIN_SCALE, MAX_SCALE))


def tile_starts(length: int, tile: int, overlap: int) -> list[int]:
    """Start offsets of tiles of side ``tile`` covering ``length`` pixels, neighbours overlapping
    by at least ``overlap`` (the last tile ends at ``length``; one tile when it fits)."""
    if length <= tile:
        return [0]
    step = max(1, tile - overlap)
    count = int(np.ceil((length - tile) / step)) + 1
    return [round(i * (length - tile) / (count - 1)) for i in range(count)]


def crop_samples(
    sample: Sample, scale: float, config: DetectorConfig, min_visible: float = 0.5
) -> list[tuple[Tensor, np.ndarray, np.ndarray]]:
    """Training crops of one image for a ``tiles`` detector: the image scaled by ``scale``, cut
    into squares of ``input_size`` (overlapping by ``tile_overlap``, at most a quarter of a crop;
    padded when the image is smaller). A box is kept in a crop, clipped to it, when at least
    ``min_visible`` of its area lies inside.

    Returns: per crop the (3, S, S) input, its boxes (M, 4) xyxy in input pixels and labels (M,).
    """
    size = config.input_size
    image = rescale(sample.image.convert("RGB"), scale)
    tensor = to_tensor(image, config.trunk)
    boxes = xywh_to_xyxy(sample.boxes) * scale
    area = np.clip((boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1]), 1e-6, None)
    crops = []
    overlap = min(config.tile_overlap, size // 4)
    for y0 in tile_starts(image.height, size, overlap):
        for x0 in tile_starts(image.width, size, overlap):
            shifted = boxes - np.array([x0, y0, x0, y0], np.float32)
            clipped = np.clip(shifted, 0, [size, size, size, size]).astype(np.float32)
            clipped[:, 2] = np.minimum(clipped[:, 2], image.width - x0)
            clipped[:, 3] = np.minimum(clipped[:, 3], image.height - y0)
            visible = np.clip(clipped[:, 2] - clipped[:, 0], 0, None) * np.clip(
                clipped[:, 3] - clipped[:, 1], 0, None
            )
            keep = visible / area >= min_visible
            crop = pad_to(tensor[:, y0 : y0 + size, x0 : x0 + size], size, size)
            crops.append((crop, clipped[keep], sample.labels[keep]))
    return crops


def xywh_to_xyxy(boxes: np.ndarray) -> np.ndarray:
    out = np.asarray(boxes, np.float32).reshape(-1, 4).copy()
    out[:, 2:] += out[:, :2]
    return out


def xyxy_to_xywh(boxes: np.ndarray) -> np.ndarray:
    out = np.asarray(boxes, np.float32).reshape(-1, 4).copy()
    out[:, 2:] -= out[:, :2]
    return out


def encode_sample(
    sample: Sample, num_classes: int, config: DetectorConfig
) -> tuple[Tensor, dict[str, Tensor]]:
    """Input tensor and fixed-size target maps of one sample (``letterbox``; see
    :func:`~.detector.encode_targets`, which gets ``sample.complete``)."""
    tensor, scale = letterbox(sample.image, config.input_size, config.trunk)
    boxes = torch.from_numpy(xywh_to_xyxy(sample.boxes) * scale)
    return tensor, encode_targets(
        boxes, torch.from_numpy(sample.labels), num_classes, config, sample.complete
    )


# a batch's inputs: images (N, 3, S, S), the trunk's features of them (a tuple), or frozen maps
# (a dict)
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
        return EncodedSet(
            self.images.to(device), {k: v.to(device) for k, v in self.targets.items()}
        )


def encode_samples(
    samples: Sequence[Sample], num_classes: int, config: DetectorConfig, scale: float | None = None
) -> EncodedSet:
    """Inputs and target maps of ``samples``: one per image (``letterbox``), or one per training
    crop (``tiles``, at ``scale``, by default :func:`working_scale` of the samples). Every crop
    of an incomplete sample is incomplete: its ``cls_weight`` is 0 off its positives.

    Returns: images (N, 3, S, S) and targets ``cls`` (N, C, H, W), ``box`` (N, 4, H, W),
    ``positive`` and ``cls_weight`` (N, H, W). Raises ValueError without samples."""
    if not samples:
        raise ValueError("no samples to encode")
    if config.scale_mode == "tiles":
        scale = working_scale(samples, config) if scale is None else scale
        encoded = [
            (
                crop,
                encode_targets(
                    torch.from_numpy(boxes),
                    torch.from_numpy(labels),
                    num_classes,
                    config,
                    sample.complete,
                ),
            )
            for sample in samples
            for crop, boxes, labels in crop_samples(sample, scale, config)
        ]
    else:
        encoded = [encode_sample(s, num_classes, config) for s in samples]
    images = torch.stack([e[0] for e in encoded])
    targets = {k: torch.stack([e[1][k] for e in encoded]) for k in encoded[0][1]}
    return EncodedSet(images, targets)
