"""Export a detector to ONNX, and the pre- and post-processing that runs it without MetaLoop.

Description:
    :func:`export_onnx` writes the network and its box and score decoding as one ONNX graph
    (``torch.onnx.export``, the TorchScript exporter: it needs no ``onnxscript``; tested on
    torch 2.14). The graph's input is a batch of *normalised* images; its outputs are
    each image's best ``candidates`` (1000) (location, class) pairs before NMS, best first:

    * ``boxes`` (B, K, 4) float32: ``x, y, w, h`` in the graph's input pixels,
    * ``scores`` (B, K) float32: ``sqrt(sigmoid(class logit) * sigmoid(centre-ness))``,
    * ``labels`` (B, K) int64: class indices into the card's ``classes`` (-1, with score 0: padding
      when the input has fewer than K pairs).

    What remains is plain array work, written out in numpy below (:func:`preprocess`,
    :func:`postprocess`, :func:`detect_onnx`: only numpy, Pillow and ``onnxruntime``) and in the
    ``onnx`` section of the exported card (:func:`onnx_card`), which is also stored in the file's
    metadata (``metaloop`` key):

    * **Pre-processing.** RGB, channels first (NCHW), float32 ``(pixel / 255 - mean) / std`` with
      the trunk's mean and std. ``letterbox`` models: resize (Pillow bilinear) by
      ``input_size / max(width, height)`` to ``round(width * s) × round(height * s)``, place at
      the top left of a zero (normalised) ``input_size`` square. ``tiles`` models: resize by the
      working scale the same way, pad right and bottom with zeros to a multiple of 32 up to
      ``tile_size`` a side, and cut tiles of up to ``tile_size`` overlapping by ``tile_overlap``
      (:func:`tile_starts`); the graph takes any height and width that are multiples of 32.
    * **Post-processing**, per image (per tile for ``tiles``): drop scores below 0.05, class-wise
      NMS at the card's ``nms_iou`` (drop a box overlapping a higher-scored one of its class by
      IoU > ``nms_iou``), keep the best ``max_detections`` (``tiles``: 1000 per tile; then shift
      each tile's boxes by its offset, keep those whose centre lies in the half of each overlap
      nearer the tile, and NMS again across tiles). Divide by the scale, clip to the image, drop
      empty boxes.

    This is exactly :func:`~worker.engine.inference.detect`; the test compares the two on the
    same images.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torch import Tensor, nn

from .backbones import normalization
from .detector import _MAX_LOG_DISTANCE, DenseDetector
from .inference import DEFAULT_MAX_DETECTIONS
from .model_io import load_detector, read_card, write_card
from .samples import tile_starts

CANDIDATES = 1000  # the engine's per-image (per-tile) top-k before NMS
SCORE_THRESHOLD = 0.05  # inference.detect's default
OPSET = 17
INPUT_NAME = "images"
OUTPUT_NAMES = ("boxes", "scores", "labels")


class DecodedDetector(nn.Module):
    """A detector whose output is decoded: the top ``candidates`` (box xywh in input pixels,
    score, class) of each image before NMS; see the module docstring."""

    def __init__(self, model: DenseDetector, candidates: int = CANDIDATES):
        super().__init__()
        self.model, self.candidates = model, candidates

    def forward(self, images: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        maps = self.model.predict_maps(images)
        stride = self.model.config.stride
        # the same arithmetic as detector.decode_detections and _decode_boxes, traceable with any
        # height and width (the map's size is read from the tensor, not baked in)
        scores = torch.sqrt(
            torch.sigmoid(maps["cls_logits"]).flatten(2)
            * torch.sigmoid(maps["centerness"]).flatten(2)
        )  # (B, C, L)
        height, width = maps["box_reg"].shape[-2:]
        ys = (torch.arange(height, dtype=torch.float32) + 0.5) * stride
        xs = (torch.arange(width, dtype=torch.float32) + 0.5) * stride
        ys, xs = torch.meshgrid(ys, xs, indexing="ij")
        centers = torch.stack([xs.reshape(-1), ys.reshape(-1)], dim=1)
        dist = (
            torch.exp(maps["box_reg"].clamp(max=_MAX_LOG_DISTANCE)).flatten(2).transpose(1, 2)
            * stride
        )
        xyxy = torch.cat([centers - dist[..., :2], centers + dist[..., 2:]], dim=-1)
        locations = scores.shape[2]
        flat = scores.flatten(1)
        pairs = flat.shape[1]
        # zeros after the real pairs: top-k of a fixed k for any input size
        padded = torch.cat([flat, flat.new_zeros(flat.shape[0], self.candidates)], dim=1)
        top, index = padded.topk(self.candidates, dim=1)
        labels = torch.where(index < pairs, index // locations, torch.full_like(index, -1))
        picked = torch.gather(xyxy, 1, (index % locations).unsqueeze(-1).expand(-1, -1, 4))
        boxes = torch.cat([picked[..., :2], picked[..., 2:] - picked[..., :2]], dim=-1)
        return boxes, top, labels


def onnx_card(model: DenseDetector, classes: Sequence[str], scale: float | None = None) -> dict:
    """The ``onnx`` section of an exported model's card: everything needed to run the file."""
    config = model.config
    mean, std = normalization(config.trunk)
    tiles = config.scale_mode == "tiles"
    scale = (scale or model.working_scale or 1.0) if tiles else None
    pre = (
        f"tiles: resize the image by the working scale {scale:g} (Pillow bilinear, "
        "round(w*s) x round(h*s)); normalise; pad right/bottom with zeros to a multiple of 32 "
        f"up to {config.tile_size} a side; cut tiles of up to {config.tile_size} px overlapping "
        f"by {config.tile_overlap} px"
        if tiles
        else f"letterbox: resize by {config.input_size} / max(w, h) (Pillow bilinear, "
        f"round(w*s) x round(h*s)); normalise; place at the top left of a zero "
        f"{config.input_size}x{config.input_size} canvas"
    )
    post = (
        f"per image{' (per tile)' if tiles else ''}: keep score >= {SCORE_THRESHOLD}; "
        f"class-wise NMS at IoU {config.nms_iou}; keep the best "
        + (
            f"{CANDIDATES}; shift each tile's boxes by its offset, keep those whose centre is in "
            "the half of each overlap nearer the tile; class-wise NMS across tiles; keep the best "
            f"{DEFAULT_MAX_DETECTIONS}"
            if tiles
            else f"{DEFAULT_MAX_DETECTIONS}"
        )
        + "; divide boxes by the scale; clip to the image; drop empty boxes"
    )
    return {
        "opset": OPSET,
        "input": {
            "name": INPUT_NAME,
            "shape": ["batch", 3, "height", "width"]
            if tiles
            else ["batch", 3, config.input_size, config.input_size],
            "dtype": "float32",
            "channels": "RGB",
            "layout": "NCHW",
            "normalisation": "(pixel / 255 - mean) / std",
            "mean": list(mean),
            "std": list(std),
        },
        "outputs": {
            "boxes": "(batch, K, 4) float32 x, y, w, h in input pixels, best score first",
            "scores": "(batch, K) float32 sqrt(sigmoid(class logit) * sigmoid(centre-ness))",
            "labels": "(batch, K) int64 index into classes; -1 (score 0) is padding",
        },
        "candidates": CANDIDATES,
        "classes": list(classes),
        "scale_mode": config.scale_mode,
        "input_size": config.input_size,
        "stride": config.stride,
        **(
            {
                "working_scale": scale,
                "tile_size": config.tile_size,
                "tile_overlap": config.tile_overlap,
            }
            if tiles
            else {}
        ),
        "score_threshold": SCORE_THRESHOLD,
        "nms_iou": config.nms_iou,
        "max_detections": DEFAULT_MAX_DETECTIONS,
        "preprocessing": pre,
        "postprocessing": post,
        "reference": "worker/engine/onnx_export.py: preprocess, postprocess, detect_onnx",
    }


def export_onnx(
    model: DenseDetector,
    classes: Sequence[str],
    path: str | Path,
    scale: float | None = None,
) -> dict:
    """Write ``model`` (with its decoding) to ``path`` as ONNX; returns its ``onnx`` card section,
    also stored in the file's metadata under ``metaloop``. ``scale``: a ``tiles`` model's working
    scale (default the one it was adapted at, else 1)."""
    import onnx

    model = model.eval().cpu()
    info = onnx_card(model, classes, scale)
    size = model.config.input_size
    dynamic = {0: "batch"}
    if model.config.scale_mode == "tiles":
        dynamic |= {2: "height", 3: "width"}
    axes = {INPUT_NAME: dynamic} | {name: {0: "batch"} for name in OUTPUT_NAMES}
    with warnings.catch_warnings(), torch.no_grad():
        # the TorchScript exporter's deprecation notice, and GroupNorm's batch-size check
        warnings.simplefilter("ignore")
        torch.onnx.export(
            DecodedDetector(model),
            (torch.zeros(1, 3, size, size),),
            str(path),
            dynamo=False,
            input_names=[INPUT_NAME],
            output_names=list(OUTPUT_NAMES),
            dynamic_axes=axes,
            opset_version=OPSET,
        )
    graph = onnx.load(str(path))
    onnx.checker.check_model(graph)
    entry = graph.metadata_props.add()
    entry.key, entry.value = "metaloop", json.dumps(info, sort_keys=True)
    onnx.save(graph, str(path))
    return info


def export_card(
    card_path: str | Path,
    out: str | Path,
    classes: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
    scale: float | None = None,
) -> dict:
    """Export the model of a card (weights beside it, ``<card>.safetensors``) to ``out`` and write
    its card with the ``onnx`` section beside it (``out`` with ``.json``); returns that card.
    ``classes``: default the card's; required for a model not yet adapted (no classes).
    ``scale``: a ``tiles`` model's working scale (default the card's, else 1)."""
    card_path, out = Path(card_path), Path(out)
    card = read_card(card_path)
    classes = list(classes or card.get("classes") or [])
    if not classes:
        raise ValueError(
            f"{card_path.name} has no classes (a shared class head, not adapted yet): "
            "name the classes to export it for"
        )
    say = progress or (lambda _: None)
    say(f"loading {card_path.name} for {len(classes)} classes")
    model = load_detector(card, card_path.with_suffix(".safetensors"), classes)
    say(f"exporting to {out}")
    out.parent.mkdir(parents=True, exist_ok=True)
    info = export_onnx(model, classes, out, scale)
    exported = {**card, "classes": classes, "onnx": {**info, "file": out.name}}
    exported.pop("packed", None)  # the ONNX file holds every tensor
    write_card(out.with_suffix(".json"), exported)
    say(f"wrote {out} ({out.stat().st_size / 2**20:.1f} MiB) and {out.with_suffix('.json')}")
    return exported


def read_onnx_card(path: str | Path) -> dict:
    """The ``onnx`` section stored in an exported file's metadata."""
    import onnx

    graph = onnx.load(str(path), load_external_data=False)
    for entry in graph.metadata_props:
        if entry.key == "metaloop":
            return json.loads(entry.value)
    raise ValueError(f"{path} was not exported by MetaLoop (no metaloop metadata)")


# --- the reference pre- and post-processing: numpy and Pillow only ---------------------------


def _normalise(image: Image.Image, info: dict) -> np.ndarray:
    """(3, H, W) float32 ``(pixel / 255 - mean) / std`` of an RGB image."""
    mean = np.asarray(info["input"]["mean"], np.float32)[:, None, None]
    std = np.asarray(info["input"]["std"], np.float32)[:, None, None]
    pixels = np.asarray(image.convert("RGB"), dtype=np.float32).transpose(2, 0, 1)
    return (pixels / np.float32(255.0) - mean) / std


def _resize(image: Image.Image, scale: float) -> Image.Image:
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.BILINEAR) if size != image.size else image


def _pad(array: np.ndarray, height: int, width: int) -> np.ndarray:
    canvas = np.zeros((array.shape[0], height, width), np.float32)
    canvas[:, : array.shape[1], : array.shape[2]] = array[:, :height, :width]
    return canvas


def preprocess(image: Image.Image, info: dict) -> tuple[np.ndarray, float]:
    """A ``letterbox`` model's input (1, 3, S, S) for one image, and its scale (image → input)."""
    size = info["input_size"]
    image = image.convert("RGB")
    scale = size / max(image.size)
    return _pad(_normalise(_resize(image, scale), info), size, size)[None], scale


def nms(boxes: np.ndarray, scores: np.ndarray, labels: np.ndarray, iou: float) -> np.ndarray:
    """Indices kept by class-wise greedy NMS of xyxy boxes, best score first (as
    ``torchvision.ops.batched_nms``: a box is dropped when its IoU with a kept box of its class
    exceeds ``iou``)."""
    order = np.argsort(-scores, kind="stable")
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    keep: list[int] = []
    suppressed = np.zeros(len(boxes), bool)
    for rank, i in enumerate(order):
        if suppressed[i]:
            continue
        keep.append(i)
        rest = order[rank + 1 :]
        rest = rest[(labels[rest] == labels[i]) & ~suppressed[rest]]
        width = np.minimum(boxes[i, 2], boxes[rest, 2]) - np.maximum(boxes[i, 0], boxes[rest, 0])
        height = np.minimum(boxes[i, 3], boxes[rest, 3]) - np.maximum(boxes[i, 1], boxes[rest, 1])
        inter = np.clip(width, 0, None) * np.clip(height, 0, None)
        overlap = inter / (areas[i] + areas[rest] - inter)
        suppressed[rest[overlap > iou]] = True
    return np.asarray(keep, np.int64)


def postprocess(
    boxes: np.ndarray,
    scores: np.ndarray,
    labels: np.ndarray,
    info: dict,
    max_detections: int | None = None,
    score_threshold: float | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One image's (or tile's) graph outputs → kept detections: boxes (K, 4) xyxy in input
    pixels, scores, labels (threshold, class-wise NMS, the best ``max_detections``)."""
    max_detections = max_detections or info["max_detections"]
    threshold = info["score_threshold"] if score_threshold is None else score_threshold
    keep = (scores >= threshold) & (labels >= 0)
    xyxy = boxes[keep].astype(np.float32).copy()
    xyxy[:, 2:] += xyxy[:, :2]
    scores, labels = scores[keep], labels[keep]
    kept = nms(xyxy, scores, labels, info["nms_iou"])[:max_detections]
    return xyxy[kept], scores[kept], labels[kept]


def _to_image(
    xyxy: np.ndarray, scores: np.ndarray, labels: np.ndarray, image: Image.Image
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """xyxy in image pixels → clipped ``[x, y, w, h]``, empty boxes dropped."""
    xyxy = xyxy.copy()
    xyxy[:, 0::2] = np.clip(xyxy[:, 0::2], 0, image.width)
    xyxy[:, 1::2] = np.clip(xyxy[:, 1::2], 0, image.height)
    xywh = np.concatenate([xyxy[:, :2], xyxy[:, 2:] - xyxy[:, :2]], axis=1)
    keep = (xywh[:, 2] > 0) & (xywh[:, 3] > 0)
    return xywh[keep], scores[keep], labels[keep]


def _owned(starts: list[int], index: int, tile: int) -> tuple[float, float]:
    low = (starts[index] + starts[index - 1] + tile) / 2 if index > 0 else -np.inf
    high = (starts[index + 1] + starts[index] + tile) / 2 if index + 1 < len(starts) else np.inf
    return low, high


def detect_onnx(
    session,
    image: Image.Image,
    info: dict,
    max_detections: int | None = None,
    score_threshold: float | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Detections of one image by an exported model in an ``onnxruntime.InferenceSession``:
    boxes (K, 4) ``[x, y, w, h]`` in image pixels, scores (K,), labels (K,) — what
    :func:`~worker.engine.inference.detect` gives, without torch.

    Example:
        >>> session = onnxruntime.InferenceSession("letters.onnx")
        >>> boxes, scores, labels = detect_onnx(session, image, read_onnx_card("letters.onnx"))
    """
    image = image.convert("RGB")
    max_detections = max_detections or info["max_detections"]
    if info["scale_mode"] != "tiles":
        tensor, scale = preprocess(image, info)
        boxes, scores, labels = (out[0] for out in session.run(None, {INPUT_NAME: tensor}))
        xyxy, scores, labels = postprocess(
            boxes, scores, labels, info, max_detections, score_threshold
        )
        return _to_image(xyxy / scale, scores, labels, image)
    scale, tile, overlap = info["working_scale"], info["tile_size"], info["tile_overlap"]
    scaled = _resize(image, scale)
    tensor = _normalise(scaled, info)
    tile_h = min(tile, -(-scaled.height // 32) * 32)
    tile_w = min(tile, -(-scaled.width // 32) * 32)
    ys, xs = tile_starts(scaled.height, tile_h, overlap), tile_starts(scaled.width, tile_w, overlap)
    per_tile = max(max_detections, CANDIDATES)
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for iy, y0 in enumerate(ys):
        for ix, x0 in enumerate(xs):
            crop = _pad(tensor[:, y0 : y0 + tile_h, x0 : x0 + tile_w], tile_h, tile_w)[None]
            boxes, scores, labels = (out[0] for out in session.run(None, {INPUT_NAME: crop}))
            xyxy, scores, labels = postprocess(
                boxes, scores, labels, info, per_tile, score_threshold
            )
            xyxy = xyxy + np.asarray([x0, y0, x0, y0], np.float32)
            cx, cy = (xyxy[:, 0] + xyxy[:, 2]) / 2, (xyxy[:, 1] + xyxy[:, 3]) / 2
            (y_low, y_high), (x_low, x_high) = _owned(ys, iy, tile_h), _owned(xs, ix, tile_w)
            own = (cx >= x_low) & (cx < x_high) & (cy >= y_low) & (cy < y_high)
            found.append((xyxy[own], scores[own], labels[own]))
    xyxy, scores, labels = (np.concatenate(parts) for parts in zip(*found, strict=True))
    kept = nms(xyxy, scores, labels, info["nms_iou"])[:max_detections]
    return _to_image(xyxy[kept] / scale, scores[kept], labels[kept], image)
