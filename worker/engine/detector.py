"""A dense, static-shape object detector built from torchvision parts.

Description:
    Backbone (:mod:`.backbones`: EfficientNet-Lite0 with ImageNet weights and frozen BatchNorm,
    or a small GroupNorm ResNet for the synthetic letters) → a small top-down feature pyramid
    (neck) merged into one map at ``stride`` → an FCOS-style head (Tian et al., "FCOS", ICCV 2019)
    that predicts, at every location, class logits, the distances to the four box sides and a
    centre-ness logit.

    Targets are encoded *before* the loss into maps of fixed size (:func:`encode_targets`), so the
    loss is plain tensor arithmetic with no per-image matching: the same code computes one image,
    a batch, or — under ``torch.func.vmap`` over per-task parameters — a batch of tasks. GroupNorm
    in the neck and head, and frozen BatchNorm in the backbone, keep the model free of running
    statistics for the same reason.

    Images of any size (:mod:`.samples`): a ``letterbox`` model squeezes each image into its
    square input (the letters); a ``tiles`` model works at a *working scale* derived from the
    annotated objects' sizes, trains on square crops of ``input_size`` and detects on overlapping
    tiles of up to ``tile_size`` merged with NMS (slice–predict–merge, as SAHI does).

    In train mode ``model(images, targets)`` returns a dict of losses (torchvision's convention);
    in eval mode ``model(images)`` returns a list of detections per image.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torchvision.ops import batched_nms, sigmoid_focal_loss

from .backbones import BACKBONE_CHANNELS, build_trunk


@dataclass(frozen=True)
class DetectorConfig:
    """Architecture of :class:`DenseDetector` (stored in model cards under ``arch``).

    Arguments:
        trunk: the backbone: ``efficientnet_lite0`` (ImageNet features, frozen BatchNorm),
            ``resnet10`` (torchvision's ResNet with one BasicBlock per stage) or a torchvision
            ResNet builder name (``resnet18``, ``resnet34``, ``resnet50``).
        input_size: side of the square input in pixels: the whole image (``letterbox``) or a
            training crop (``tiles``).
        stride: output stride of the prediction map (8 → a 28×28 map at 224 px).
        fpn_channels: channels of the merged feature map and of the head.
        head_convs: 3×3 conv + GroupNorm + ReLU layers in the head tower.
        groups: GroupNorm groups.
        center_radius: positive locations lie within this many strides of a box centre.
        scale_mode: ``letterbox`` (each image scaled to fit ``input_size``) or ``tiles`` (each
            image scaled by a working scale, then cropped or tiled; see :mod:`.samples`).
        object_size: ``tiles``: the median object side, in input pixels, that the automatic
            working scale brings a project's annotated objects to.
        tile_size: ``tiles``: the largest tile side at detection, in input pixels.
        tile_overlap: ``tiles``: overlap of neighbouring tiles, in input pixels (larger than
            most objects, so each object lies whole in some tile).
        nms_iou: detections of one class overlapping a higher-scored one by more than this IoU
            are dropped (lower for dense scenes of touching objects).
    """

    trunk: str = "resnet10"
    input_size: int = 224
    stride: int = 8
    fpn_channels: int = 128
    head_convs: int = 2
    groups: int = 16
    center_radius: float = 1.5
    scale_mode: str = "letterbox"
    object_size: float = 40.0
    tile_size: int = 1024
    tile_overlap: int = 128
    nms_iou: float = 0.5

    def __post_init__(self) -> None:
        if self.scale_mode not in ("letterbox", "tiles"):
            raise ValueError(f"scale_mode must be letterbox or tiles, not {self.scale_mode!r}")
        if self.input_size % 32 or self.tile_size % 32:
            raise ValueError("input_size and tile_size must be multiples of 32")

    @property
    def map_size(self) -> int:
        return self.input_size // self.stride

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> DetectorConfig:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


_PRIOR_PROB = 0.01
_MAX_LOG_DISTANCE = 8.0  # exp(8) strides: far beyond any image


def _group_norm(groups: int):
    def make(channels: int) -> nn.GroupNorm:
        return nn.GroupNorm(math.gcd(groups, channels), channels)

    return make


class MergedPyramid(nn.Module):
    """Top-down pathway (FPN) from strides 32 and 16 into one map at stride 8.

    One map keeps every shape static and lets a letter of 16 px and one filling the image share
    a head: the stride-32 context reaches the stride-8 locations through the top-down sum.
    """

    def __init__(self, in_channels: Sequence[int], channels: int, groups: int):
        super().__init__()
        self.lateral = nn.ModuleList(nn.Conv2d(c, channels, 1) for c in in_channels)
        self.smooth = nn.Sequential(
            nn.Conv2d(channels, channels, 3, padding=1),
            _group_norm(groups)(channels),
            nn.ReLU(inplace=True),
        )

    def forward(self, feats: Sequence[Tensor]) -> Tensor:
        top = self.lateral[-1](feats[-1])
        for lateral, feat in zip(reversed(self.lateral[:-1]), reversed(feats[:-1]), strict=True):
            top = lateral(feat) + F.interpolate(top, size=feat.shape[-2:], mode="nearest")
        return self.smooth(top)


class DenseHead(nn.Module):
    """Class logits (C), side distances (4, log-strides) and centre-ness (1) at every location."""

    def __init__(
        self, channels: int, num_classes: int, convs: int, groups: int, prior_distance: float = 1.0
    ):
        """``prior_distance``: box side distance (in strides) predicted before any training."""
        super().__init__()
        layers: list[nn.Module] = []
        for _ in range(convs):
            layers += [
                nn.Conv2d(channels, channels, 3, padding=1),
                _group_norm(groups)(channels),
                nn.ReLU(inplace=True),
            ]
        self.tower = nn.Sequential(*layers)
        self.cls_logits = nn.Conv2d(channels, num_classes, 3, padding=1)
        self.box_reg = nn.Conv2d(channels, 4, 3, padding=1)
        self.centerness = nn.Conv2d(channels, 1, 3, padding=1)
        for conv in (self.cls_logits, self.box_reg, self.centerness):
            nn.init.normal_(conv.weight, std=0.01)
            nn.init.zeros_(conv.bias)
        nn.init.constant_(self.cls_logits.bias, -math.log((1 - _PRIOR_PROB) / _PRIOR_PROB))
        nn.init.constant_(self.box_reg.bias, math.log(prior_distance))

    def forward(self, x: Tensor) -> dict[str, Tensor]:
        t = self.tower(x)
        return {
            "cls_logits": self.cls_logits(t),
            "box_reg": self.box_reg(t),
            "centerness": self.centerness(t),
        }


class DenseDetector(nn.Module):
    """Trunk + merged pyramid + dense head. See the module docstring.

    Example:
        >>> model = DenseDetector(DetectorConfig(), num_classes=3).eval()
        >>> detections = model(torch.zeros(1, 3, 256, 256))
        >>> sorted(detections[0])
        ['boxes', 'labels', 'scores']
    """

    def __init__(self, config: DetectorConfig, num_classes: int):
        super().__init__()
        if num_classes < 1:
            raise ValueError("a detector needs at least one class")
        self.config = config
        self.num_classes = num_classes
        # tiles models: image → input pixels scale of the project it was adapted to (None: not yet)
        self.working_scale: float | None = None
        self.trunk = build_trunk(config.trunk, config.groups)
        self.neck = MergedPyramid(
            BACKBONE_CHANNELS[config.trunk], config.fpn_channels, config.groups
        )
        # a tiles model sees objects of about object_size input pixels: start its boxes there
        prior = config.object_size / (2 * config.stride) if config.scale_mode == "tiles" else 1.0
        self.head = DenseHead(
            config.fpn_channels, num_classes, config.head_convs, config.groups, prior
        )

    def trunk_features(self, inputs: Tensor | Sequence[Tensor]) -> Sequence[Tensor]:
        """The trunk's (stride 8, 16, 32) features of images, or ``inputs`` themselves when they
        already are those features (meta-training with a frozen trunk computes them once)."""
        return inputs if isinstance(inputs, (tuple, list)) else self.trunk(inputs)

    def predict_maps(self, images: Tensor | Sequence[Tensor]) -> dict[str, Tensor]:
        """Prediction maps of images (or of their trunk features, see :meth:`trunk_features`)."""
        return self.head(self.neck(self.trunk_features(images)))

    def frozen_maps(self, images: Tensor | Sequence[Tensor]) -> dict[str, Tensor]:
        """Everything but the class logits: the head tower's ``features`` and the class-agnostic
        ``box_reg`` and ``centerness`` maps. With :meth:`classify` it equals :meth:`predict_maps`;
        an adaptation that trains only the class layer computes this once per image."""
        features = self.head.tower(self.neck(self.trunk_features(images)))
        return {
            "features": features,
            "box_reg": self.head.box_reg(features),
            "centerness": self.head.centerness(features),
        }

    def classify(self, frozen: dict[str, Tensor]) -> dict[str, Tensor]:
        """The prediction maps from :meth:`frozen_maps`' output."""
        return {
            "cls_logits": self.head.cls_logits(frozen["features"]),
            "box_reg": frozen["box_reg"],
            "centerness": frozen["centerness"],
        }

    def forward(
        self,
        images: Tensor | Sequence[Tensor],
        targets: dict[str, Tensor] | None = None,
        *,
        frozen_only: bool = False,
    ):
        if frozen_only:  # lets torch.func.functional_call reach frozen_maps
            return self.frozen_maps(images)
        maps = self.predict_maps(images)
        if self.training:
            if targets is None:
                raise ValueError("in train mode the detector needs targets")
            return detection_losses(maps, targets, self.config.stride)
        return decode_detections(maps, self.config.stride)


def location_centers(map_size: int | tuple[int, int], stride: int, device=None) -> Tensor:
    """(H*W, 2) pixel coordinates (x, y) of the map locations' centres; ``map_size``: H = W, or
    (H, W)."""
    height, width = (map_size, map_size) if isinstance(map_size, int) else map_size
    ys = (torch.arange(height, device=device, dtype=torch.float32) + 0.5) * stride
    xs = (torch.arange(width, device=device, dtype=torch.float32) + 0.5) * stride
    ys, xs = torch.meshgrid(ys, xs, indexing="ij")
    return torch.stack([xs.reshape(-1), ys.reshape(-1)], dim=1)


def encode_targets(
    boxes: Tensor,
    labels: Tensor,
    num_classes: int,
    config: DetectorConfig,
    complete: bool = True,
) -> dict[str, Tensor]:
    """Encode one image's boxes into fixed-size target maps.

    Arguments:
        boxes: (N, 4) boxes ``x1, y1, x2, y2`` in input pixels (after letterboxing).
        labels: (N,) class indices in ``[0, num_classes)``.
        complete: every object of the image is boxed. False (an image still being annotated):
            only the boxes are known, so no location may be trained as background.

    Returns: ``cls`` (C, H, W) one-hot, ``box`` (4, H, W) target boxes xyxy at positives,
    ``positive`` (H, W) 0/1, and ``cls_weight`` (H, W): the weight of each location's
    classification loss — 1 everywhere for a complete image; for an incomplete one 1 at the
    positive locations (where every class's term counts: the object there is known) and 0
    elsewhere. A location is positive for the smallest box whose centre region
    (``center_radius`` strides, clipped to the box) contains it.
    """
    size, stride = config.map_size, config.stride
    centers = location_centers(size, stride)  # (L, 2)
    cls = torch.zeros(num_classes, size * size)
    box = torch.zeros(4, size * size)
    box[2:] = 1.0  # a valid dummy box where there is no target (the loss masks it out)
    positive = torch.zeros(size * size)
    if boxes.numel():
        boxes = boxes.float()
        cx, cy = (boxes[:, 0] + boxes[:, 2]) / 2, (boxes[:, 1] + boxes[:, 3]) / 2
        radius = config.center_radius * stride
        x0 = torch.maximum(boxes[:, 0], cx - radius)
        y0 = torch.maximum(boxes[:, 1], cy - radius)
        x1 = torch.minimum(boxes[:, 2], cx + radius)
        y1 = torch.minimum(boxes[:, 3], cy + radius)
        px, py = centers[:, :1], centers[:, 1:]
        inside = (px >= x0) & (px <= x1) & (py >= y0) & (py <= y1)  # (L, N)
        # tiny boxes whose centre region holds no location take the nearest location
        nearest = ((centers[:, None, :] - torch.stack([cx, cy], 1)[None]) ** 2).sum(-1).argmin(0)
        inside[nearest, torch.arange(len(boxes))] = True
        area = ((boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1]))[None].expand_as(inside)
        area = torch.where(inside, area, torch.full_like(area, float("inf")))
        best_area, best = area.min(dim=1)
        pos = torch.isfinite(best_area)
        positive[pos] = 1.0
        cls[labels[best[pos]].long(), pos.nonzero().squeeze(1)] = 1.0
        box[:, pos] = boxes[best[pos]].T
    return {
        "cls": cls.view(num_classes, size, size),
        "box": box.view(4, size, size),
        "positive": positive.view(size, size),
        "cls_weight": (torch.ones_like(positive) if complete else positive.clone()).view(
            size, size
        ),
    }


def _decode_boxes(box_reg: Tensor, stride: int) -> Tensor:
    """(B, 4, H, W) log-stride distances → (B, H*W, 4) boxes xyxy in pixels."""
    b, _, h, w = box_reg.shape
    centers = location_centers((h, w), stride, box_reg.device)
    dist = torch.exp(box_reg.clamp(max=_MAX_LOG_DISTANCE)).flatten(2).transpose(1, 2) * stride
    return torch.cat([centers - dist[..., :2], centers + dist[..., 2:]], dim=-1)


def _centerness_target(boxes: Tensor, centers: Tensor) -> Tensor:
    left = (centers[..., 0] - boxes[..., 0]).clamp(min=0)
    top = (centers[..., 1] - boxes[..., 1]).clamp(min=0)
    right = (boxes[..., 2] - centers[..., 0]).clamp(min=0)
    bottom = (boxes[..., 3] - centers[..., 1]).clamp(min=0)
    lr = torch.minimum(left, right) / torch.maximum(left, right).clamp(min=1e-6)
    tb = torch.minimum(top, bottom) / torch.maximum(top, bottom).clamp(min=1e-6)
    return torch.sqrt((lr * tb).clamp(min=0))


def giou_loss(pred: Tensor, target: Tensor, eps: float = 1e-7) -> Tensor:
    """1 − generalized IoU of paired xyxy boxes, element-wise.

    The same formula as ``torchvision.ops.generalized_box_iou_loss``, written with ``clamp``
    instead of boolean-mask indexing, which ``vmap`` cannot batch.
    """
    x1, y1, x2, y2 = pred.unbind(-1)
    gx1, gy1, gx2, gy2 = target.unbind(-1)
    inter = (torch.minimum(x2, gx2) - torch.maximum(x1, gx1)).clamp(min=0) * (
        torch.minimum(y2, gy2) - torch.maximum(y1, gy1)
    ).clamp(min=0)
    union = (x2 - x1) * (y2 - y1) + (gx2 - gx1) * (gy2 - gy1) - inter
    iou = inter / (union + eps)
    hull = (torch.maximum(x2, gx2) - torch.minimum(x1, gx1)) * (
        torch.maximum(y2, gy2) - torch.minimum(y1, gy1)
    )
    return 1 - iou + (hull - union) / (hull + eps)


def detection_losses(
    maps: dict[str, Tensor], targets: dict[str, Tensor], stride: int
) -> dict[str, Tensor]:
    """Focal loss on classes, GIoU on boxes and BCE on centre-ness, all over fixed-size maps.

    Arguments:
        maps: the head's ``cls_logits`` (B, C, H, W), ``box_reg`` (B, 4, H, W) and
            ``centerness`` (B, 1, H, W).
        targets: :func:`encode_targets`' maps stacked to (B, ...). ``cls_weight`` (B, H, W),
            where present, weighs each location's focal loss (0 at the unlabelled background of
            an image still being annotated); without it every location counts.

    Returns: the three losses, scalars, each normalised by the number of positive locations.
    Static shapes throughout (masks, no indexing by data), so it runs under ``vmap``.
    """
    positive = targets["positive"].flatten(1)  # (B, L)
    num_pos = positive.sum().clamp(min=1.0)
    focal = sigmoid_focal_loss(maps["cls_logits"], targets["cls"], reduction="none")
    if "cls_weight" in targets:
        focal = focal * targets["cls_weight"].unsqueeze(-3)  # the same weight for every class
    cls_loss = focal.sum() / num_pos

    pred_boxes = _decode_boxes(maps["box_reg"], stride)  # (B, L, 4)
    target_boxes = targets["box"].flatten(2).transpose(1, 2)  # (B, L, 4)
    centers = location_centers(tuple(maps["box_reg"].shape[-2:]), stride, pred_boxes.device)
    ctr_target = _centerness_target(target_boxes, centers) * positive
    giou = giou_loss(pred_boxes, target_boxes)
    box_loss = (giou * ctr_target).sum() / ctr_target.sum().clamp(min=1e-6)
    ctr_logits = maps["centerness"].flatten(1)
    ctr_loss = (
        F.binary_cross_entropy_with_logits(ctr_logits, ctr_target, reduction="none") * positive
    ).sum() / num_pos
    return {"classification": cls_loss, "box_regression": box_loss, "centerness": ctr_loss}


@torch.no_grad()
def decode_detections(
    maps: dict[str, Tensor],
    stride: int,
    score_threshold: float = 0.05,
    nms_iou: float = 0.5,
    max_detections: int = 100,
    candidates: int = 1000,
) -> list[dict[str, Tensor]]:
    """Score = sqrt(class probability × centre-ness); keep the top candidates, then class-wise NMS.

    Returns per image ``boxes`` (K, 4) xyxy in input pixels, ``scores`` (K,), ``labels`` (K,).
    """
    cls_prob = torch.sigmoid(maps["cls_logits"]).flatten(2)  # (B, C, L)
    ctr = torch.sigmoid(maps["centerness"]).flatten(2)  # (B, 1, L)
    scores_all = torch.sqrt(cls_prob * ctr)
    boxes_all = _decode_boxes(maps["box_reg"], stride)
    results = []
    for scores, boxes in zip(scores_all, boxes_all, strict=True):
        flat = scores.flatten()
        top = flat.topk(min(candidates, flat.numel())).indices
        top = top[flat[top] >= score_threshold]
        labels, locations = top // scores.shape[1], top % scores.shape[1]
        cand_boxes, cand_scores = boxes[locations], flat[top]
        keep = batched_nms(cand_boxes, cand_scores, labels, nms_iou)[:max_detections]
        results.append(
            {"boxes": cand_boxes[keep], "scores": cand_scores[keep], "labels": labels[keep]}
        )
    return results


def total_loss(losses: dict[str, Tensor]) -> Tensor:
    return sum(losses.values())  # type: ignore[return-value]
