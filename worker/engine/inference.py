"""Detection over images: batched forward, boxes back in image pixels, scores and uncertainty."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image

from .detector import DenseDetector, decode_detections
from .samples import letterbox, xyxy_to_xywh


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


@torch.no_grad()
def detect(model: DenseDetector, images: Sequence[Image.Image], batch_size: int = 16,
           score_threshold: float = 0.05, max_detections: int = 100,
           progress: Callable[[int, int], None] | None = None) -> list[ImageDetections]:
    """Run ``model`` over ``images``.

    Arguments:
        images: Pillow images of any size (letterboxed to the model's input).
        progress: called with (images done, total) after each batch.

    Example:
        >>> [d.uncertainty for d in detect(model, [Image.open("a.png")])]
    """
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    size, stride = model.config.input_size, model.config.stride
    results: list[ImageDetections] = []
    try:
        for start in range(0, len(images), batch_size):
            chunk = images[start : start + batch_size]
            encoded = [letterbox(image, size) for image in chunk]
            batch = torch.stack([t for t, _ in encoded]).to(device)
            raw = decode_detections(model.predict_maps(batch), stride, score_threshold,
                                    max_detections=max_detections)
            for (_, scale), image, det in zip(encoded, chunk, raw, strict=True):
                boxes = det["boxes"].float().cpu() / scale
                boxes[:, 0::2] = boxes[:, 0::2].clamp(0, image.width)
                boxes[:, 1::2] = boxes[:, 1::2].clamp(0, image.height)
                xywh = xyxy_to_xywh(boxes.numpy())
                keep = (xywh[:, 2] > 0) & (xywh[:, 3] > 0)
                results.append(ImageDetections(xywh[keep], det["scores"].cpu().numpy()[keep],
                                               det["labels"].cpu().numpy()[keep]))
            if progress is not None:
                progress(len(results), len(images))
    finally:
        model.train(was_training)
    return results

