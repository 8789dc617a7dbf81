"""Detection over images: batched forward, boxes back in image pixels, scores and uncertainty.

A ``letterbox`` detector sees each image whole. A ``tiles`` detector sees it at its working
scale, cut into overlapping tiles of up to ``tile_size`` (slice, predict, merge: Akyon et al.,
"Slicing Aided Hyper Inference", ICIP 2022). Each tile keeps the detections whose centre lies
in the part of it nearer to it than to its neighbours (the overlap is split at its middle, so an
object larger than neither half of the overlap is found whole, once), and class-wise NMS
(``torchvision.ops.batched_nms``) merges what remains across tiles.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image
from torchvision.ops import batched_nms

from .detector import DenseDetector, decode_detections
from .samples import letterbox, pad_to, rescale, tile_starts, to_tensor, xyxy_to_xywh

DEFAULT_MAX_DETECTIONS = 100


@dataclass
class ImageDetections:
    """Detections of one image: ``boxes`` (K, 4) ``[x, y, w, h]`` in image pixels."""

    boxes: np.ndarray
    scores: np.ndarray
    labels: np.ndarray

    @property
    def uncertainties(self) -> np.ndarray:
        return binary_entropy(self.scores)

    @property
    def uncertainty(self) -> float:
        """The image's uncertainty: its most uncertain detection's (0 with none)."""
        return float(self.uncertainties.max()) if len(self.scores) else 0.0


def binary_entropy(p: np.ndarray) -> np.ndarray:
    """Entropy in bits of a Bernoulli(p): 1 at p = 0.5, 0 at p = 0 or 1."""
    p = np.clip(np.asarray(p, np.float64), 1e-12, 1 - 1e-12)
    return (-(p * np.log2(p) + (1 - p) * np.log2(1 - p))).astype(np.float32)


def _input(batch: torch.Tensor, device: torch.device) -> torch.Tensor:
    """A batch on ``device``; on a CPU in channels-last layout, in which torch's convolutions
    run about a quarter faster here (the same numbers, to float rounding)."""
    batch = batch.to(device)
    return batch.contiguous(memory_format=torch.channels_last) if device.type == "cpu" else batch


def _ceil32(value: int) -> int:
    return -(-value // 32) * 32


def _owned_range(starts: list[int], index: int, tile: int) -> tuple[float, float]:
    """The part of tile ``index`` (along one axis) nearer to it than to its neighbours."""
    low = (starts[index] + starts[index - 1] + tile) / 2 if index > 0 else -np.inf
    high = (starts[index + 1] + starts[index] + tile) / 2 if index + 1 < len(starts) else np.inf
    return low, high


@dataclass
class _Tiled:
    """One image cut into tiles: its tensor at the working scale and the tiles' starts."""

    image: Image.Image
    tensor: torch.Tensor
    ys: list[int]
    xs: list[int]
    tile_h: int
    tile_w: int


def _cut(model: DenseDetector, image: Image.Image, scale: float) -> _Tiled:
    config = model.config
    scaled = rescale(image.convert("RGB"), scale)
    tile_h = min(config.tile_size, _ceil32(scaled.height))
    tile_w = min(config.tile_size, _ceil32(scaled.width))
    return _Tiled(
        image,
        to_tensor(scaled, config.trunk),
        tile_starts(scaled.height, tile_h, config.tile_overlap),
        tile_starts(scaled.width, tile_w, config.tile_overlap),
        tile_h,
        tile_w,
    )


@torch.no_grad()
def detect_tiled_many(
    model: DenseDetector,
    images: Sequence[Image.Image],
    scale: float,
    batch_size: int = 8,
    score_threshold: float = 0.05,
    max_detections: int = DEFAULT_MAX_DETECTIONS,
    nms_iou: float | None = None,
    timings: dict[str, float] | None = None,
) -> list[ImageDetections]:
    """Detections of each of ``images`` by a ``tiles`` detector at ``scale`` (image → input
    pixels). Tiles of the same shape are batched together whichever image they come from (the
    images' own sizes decide their tiles' shapes), so many small images share forward passes.

    Arguments:
        images: Pillow images of any size.
        scale: the working scale (:func:`~worker.engine.samples.working_scale`).
        batch_size: the most tiles in one forward pass.
        max_detections: the most detections kept per image (after merging).
    """
    config, device = model.config, next(model.parameters()).device
    nms_iou = config.nms_iou if nms_iou is None else nms_iou
    started = time.perf_counter()
    cut = [_cut(model, image, scale) for image in images]
    if timings is not None:
        timings["prepare"] = timings.get("prepare", 0.0) + time.perf_counter() - started
    # every tile, in each image's grid order, grouped by shape
    groups: dict[tuple[int, int], list[tuple[int, int, int]]] = {}
    for index, tiled in enumerate(cut):
        tiles = groups.setdefault((tiled.tile_h, tiled.tile_w), [])
        tiles += [(index, iy, ix) for iy in range(len(tiled.ys)) for ix in range(len(tiled.xs))]
    found: list[list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]]] = [[] for _ in cut]
    per_tile = max(max_detections, 1000)
    for (tile_h, tile_w), tiles in groups.items():
        for start in range(0, len(tiles), batch_size):
            chunk = tiles[start : start + batch_size]
            batch = torch.stack(
                [
                    pad_to(
                        cut[i].tensor[
                            :,
                            cut[i].ys[iy] : cut[i].ys[iy] + tile_h,
                            cut[i].xs[ix] : cut[i].xs[ix] + tile_w,
                        ],
                        tile_h,
                        tile_w,
                    )
                    for i, iy, ix in chunk
                ]
            )
            batch = _input(batch, device)
            raw = decode_detections(
                model.predict_maps(batch),
                config.stride,
                score_threshold,
                nms_iou,
                max_detections=per_tile,
                candidates=per_tile,
            )
            for (i, iy, ix), det in zip(chunk, raw, strict=True):
                ys, xs = cut[i].ys, cut[i].xs
                shifted = det["boxes"].float().cpu() + torch.tensor(
                    [xs[ix], ys[iy], xs[ix], ys[iy]], dtype=torch.float32
                )
                cx, cy = (shifted[:, 0] + shifted[:, 2]) / 2, (shifted[:, 1] + shifted[:, 3]) / 2
                (y_low, y_high), (x_low, x_high) = (
                    _owned_range(ys, iy, tile_h),
                    _owned_range(xs, ix, tile_w),
                )
                own = (cx >= x_low) & (cx < x_high) & (cy >= y_low) & (cy < y_high)
                found[i].append(
                    (shifted[own], det["scores"].float().cpu()[own], det["labels"].cpu()[own])
                )
    results = []
    for tiled, parts in zip(cut, found, strict=True):
        boxes, scores, labels = (torch.cat(column) for column in zip(*parts, strict=True))
        keep = batched_nms(boxes, scores, labels, nms_iou)[:max_detections]
        results.append(
            _to_image_pixels(boxes[keep] / scale, scores[keep], labels[keep], tiled.image)
        )
    return results


def _tile_count(config, image: Image.Image, scale: float) -> int:
    """How many tiles :func:`_cut` cuts ``image`` into, without touching its pixels."""
    width, height = max(1, round(image.width * scale)), max(1, round(image.height * scale))
    tile_h, tile_w = min(config.tile_size, _ceil32(height)), min(config.tile_size, _ceil32(width))
    return len(tile_starts(height, tile_h, config.tile_overlap)) * len(
        tile_starts(width, tile_w, config.tile_overlap)
    )


def _windows(
    config, images: Sequence[Image.Image], scale: float, tiles: int, most: int
) -> Iterator[Sequence[Image.Image]]:
    """Consecutive runs of ``images`` holding at least ``tiles`` tiles (or ``most`` images)."""
    start, count = 0, 0
    for end, image in enumerate(images, 1):
        count += _tile_count(config, image, scale)
        if count >= tiles or end - start >= most:
            yield images[start:end]
            start, count = end, 0
    if start < len(images):
        yield images[start:]


def detect_tiled(
    model: DenseDetector,
    image: Image.Image,
    scale: float,
    batch_size: int = 8,
    score_threshold: float = 0.05,
    max_detections: int = DEFAULT_MAX_DETECTIONS,
    nms_iou: float | None = None,
) -> ImageDetections:
    """Detections of one image by a ``tiles`` detector (see :func:`detect_tiled_many`)."""
    return detect_tiled_many(
        model, [image], scale, batch_size, score_threshold, max_detections, nms_iou
    )[0]


def _to_image_pixels(
    boxes: torch.Tensor, scores: torch.Tensor, labels: torch.Tensor, image: Image.Image
) -> ImageDetections:
    """Detections with xyxy boxes in image pixels → clipped ``[x, y, w, h]``, empty boxes
    dropped."""
    boxes = boxes.clone()
    boxes[:, 0::2] = boxes[:, 0::2].clamp(0, image.width)
    boxes[:, 1::2] = boxes[:, 1::2].clamp(0, image.height)
    xywh = xyxy_to_xywh(boxes.numpy())
    keep = (xywh[:, 2] > 0) & (xywh[:, 3] > 0)
    return ImageDetections(xywh[keep], scores.numpy()[keep], labels.numpy()[keep])


@torch.no_grad()
def detect(
    model: DenseDetector,
    images: Sequence[Image.Image],
    batch_size: int = 16,
    score_threshold: float = 0.05,
    max_detections: int = DEFAULT_MAX_DETECTIONS,
    progress: Callable[[int, int], None] | None = None,
    scale: float | None = None,
    timings: dict[str, float] | None = None,
) -> list[ImageDetections]:
    """Run ``model`` over ``images``.

    Arguments:
        images: Pillow images of any size (letterboxed to the model's input, or tiled at the
            working scale: see the module docstring).
        max_detections: the most detections kept per image.
        batch_size: images per forward pass (letterbox); tiled, tiles of up to this many
            images are batched together, at most 8 tiles per forward pass.
        progress: called with (images done, total) after each batch.
        scale: a ``tiles`` model's working scale; by default the one it was adapted at
            (``model.working_scale``), else 1.
        timings: where given, its ``prepare`` adds the seconds spent turning images into
            inputs (letterboxing, tiling); the rest is the model's and the boxes' decoding.

    Example:
        >>> [d.uncertainty for d in detect(model, [Image.open("a.png")])]
    """
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    size, stride = model.config.input_size, model.config.stride
    results: list[ImageDetections] = []
    if model.config.scale_mode == "tiles":
        scale = scale or model.working_scale or 1.0
        try:
            # images whose tiles fill a forward pass of at most 8 tiles (large tiles take much
            # memory), or batch_size images, at a time: small images share forward passes
            tile_batch = min(batch_size, 8)
            for window in _windows(model.config, images, scale, tile_batch, batch_size):
                results += detect_tiled_many(
                    model,
                    window,
                    scale,
                    tile_batch,
                    score_threshold,
                    max_detections,
                    timings=timings,
                )
                if progress is not None:
                    progress(len(results), len(images))
        finally:
            model.train(was_training)
        return results
    try:
        for start in range(0, len(images), batch_size):
            chunk = images[start : start + batch_size]
            started = time.perf_counter()
            encoded = [letterbox(image, size, model.config.trunk) for image in chunk]
            batch = _input(torch.stack([t for t, _ in encoded]), device)
            if timings is not None:
                timings["prepare"] = timings.get("prepare", 0.0) + time.perf_counter() - started
            raw = decode_detections(
                model.predict_maps(batch),
                stride,
                score_threshold,
                model.config.nms_iou,
                max_detections=max_detections,
                candidates=max(1000, max_detections),
            )
            for (_, factor), image, det in zip(encoded, chunk, raw, strict=True):
                results.append(
                    _to_image_pixels(
                        det["boxes"].float().cpu() / factor,
                        det["scores"].float().cpu(),
                        det["labels"].cpu(),
                        image,
                    )
                )
            if progress is not None:
                progress(len(results), len(images))
    finally:
        model.train(was_training)
    return results
