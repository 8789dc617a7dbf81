"""Conventional (supervised) training of a detector on synthetic scenes: the base models.

Description:
    :func:`pretrain` trains a :class:`DenseDetector` on freshly drawn scenes — letters
    (:mod:`.data.letters`) or textured composites (:mod:`.data.composites`) — batch ``b`` of
    step ``s`` drawn from seeds that depend only on (seed, s, b), so a run is deterministic and
    resumes exactly from a checkpoint (model, optimizer and step; stored with ``torch.save`` and
    read back with ``weights_only=True``). It shows a progress bar and writes safetensors + a
    model card at the end. This is also the *standard pretraining* baseline of the few-shot
    benchmark. A backbone with ImageNet weights (``efficientnet_lite0``) stays frozen: only the
    neck and head train.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import DataLoader, IterableDataset
from tqdm import tqdm

from .backbones import LITE0, imagenet_lite0_state
from .data.composites import draw_composite
from .data.letters import SceneConfig, draw_scene, scene_seed
from .detector import DenseDetector, DetectorConfig, total_loss
from .inference import detect
from .metrics import coco_metrics
from .model_io import make_card, save_model
from .samples import Sample, encode_samples

log = logging.getLogger(__name__)


COMPOSITE_PREFIX = "kind-"  # composite classes are named by their seed: kind-0, kind-1, …


def composite_classes(count: int, first: int = 0) -> tuple[str, ...]:
    return tuple(f"{COMPOSITE_PREFIX}{first + i}" for i in range(count))


def scene_sample(seed: int, classes: Sequence[str], scene_cfg: SceneConfig) -> Sample:
    if classes and classes[0].startswith(COMPOSITE_PREFIX):
        scene = draw_composite(
            seed, [int(c[len(COMPOSITE_PREFIX) :]) for c in classes], scene_cfg.image_size
        )
        return Sample(scene.image, scene.boxes, scene.labels)
    scene = draw_scene(seed, classes, scene_cfg)
    index = {c: i for i, c in enumerate(classes)}
    return Sample(
        scene.image, [o.box for o in scene.objects], [index[o.letter] for o in scene.objects]
    )


class LetterBatches(IterableDataset):
    """Encoded batches of fresh letter scenes for steps ``start … steps-1`` (deterministic)."""

    def __init__(
        self,
        classes: Sequence[str],
        config: DetectorConfig,
        batch_size: int,
        seed: int,
        start: int,
        steps: int,
        scene_cfg: SceneConfig,
    ):
        self.classes, self.config, self.batch_size = list(classes), config, batch_size
        self.seed, self.start, self.steps, self.scene_cfg = seed, start, steps, scene_cfg

    def __iter__(self) -> Iterator[tuple[torch.Tensor, dict[str, torch.Tensor]]]:
        for step in range(self.start, self.steps):
            samples = [
                scene_sample(
                    scene_seed(self.seed, step * self.batch_size + b), self.classes, self.scene_cfg
                )
                for b in range(self.batch_size)
            ]
            encoded = encode_samples(samples, len(self.classes), self.config, scale=1.0)
            yield encoded.images, encoded.targets


@dataclass
class PretrainConfig:
    classes: tuple[str, ...]
    steps: int = 6000
    batch_size: int = 8
    lr: float = 2e-3
    weight_decay: float = 1e-4
    warmup: int = 200
    seed: int = 0
    eval_images: int = 200
    checkpoint_every: int = 200
    pool: int = 3000  # scenes drawn once for a frozen backbone (see _frozen_feature_batches)


def _lr_factor(step: int, cfg: PretrainConfig) -> float:
    """Linear warm-up, then cosine decay to 2% of the peak."""
    if step < cfg.warmup:
        return (step + 1) / cfg.warmup
    progress = (step - cfg.warmup) / max(1, cfg.steps - cfg.warmup)
    return 0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))


def evaluate_on_scenes(
    model: DenseDetector, classes: Sequence[str], count: int, seed: int, scene_cfg: SceneConfig
) -> dict:
    """COCO metrics of ``model`` on ``count`` fresh scenes of ``classes`` drawn from ``seed``."""
    samples = [scene_sample(scene_seed(seed, i), classes, scene_cfg) for i in range(count)]
    detections = detect(model, [s.image for s in samples], max_detections=300, scale=1.0)
    return coco_metrics(samples, detections, len(classes), pr_curves=False, max_detections=300)


def _frozen_feature_batches(
    model: DenseDetector,
    cfg: PretrainConfig,
    arch: DetectorConfig,
    scene_cfg: SceneConfig,
    start: int,
    device: str,
):
    """Batches of a frozen backbone's features: a pool of ``cfg.pool`` scenes is drawn and run
    through the backbone once (about 0.4 MB per 256-px scene), then each step draws
    ``batch_size`` of them (seeded by the step). Training the neck and head then costs no
    backbone passes."""
    features: list[tuple[torch.Tensor, ...]] = []
    targets: list[dict[str, torch.Tensor]] = []
    with torch.no_grad():
        for first in tqdm(
            range(0, cfg.pool, 32), desc="scenes and backbone features", unit="batch"
        ):
            scenes = [
                scene_sample(scene_seed(cfg.seed, i), cfg.classes, scene_cfg)
                for i in range(first, min(cfg.pool, first + 32))
            ]
            encoded = encode_samples(scenes, len(cfg.classes), arch, scale=1.0)
            features.append(tuple(f.half().cpu() for f in model.trunk(encoded.images.to(device))))
            targets.append(encoded.targets)
    levels = tuple(torch.cat(level) for level in zip(*features, strict=True))
    maps = {k: torch.cat([t[k] for t in targets]) for k in targets[0]}
    for step in range(start, cfg.steps):
        index = torch.from_numpy(
            np.random.default_rng([cfg.seed, step]).choice(
                len(levels[0]), cfg.batch_size, replace=False
            )
        )
        yield (
            tuple(level[index].float() for level in levels),
            {k: v[index] for k, v in maps.items()},
        )


def pretrain(
    cfg: PretrainConfig,
    arch: DetectorConfig,
    out_dir: str | Path,
    name: str,
    checkpoint: str | Path | None = None,
    device: str = "cpu",
    command: str = "",
    scene_cfg: SceneConfig | None = None,
) -> dict:
    """Train a detector on ``cfg.classes`` and save it as ``out_dir/name``; returns the card.

    Arguments:
        checkpoint: a file for periodic checkpoints; an existing one is resumed from.
        device: ``cpu`` or ``cuda``.
        command: the command line, recorded in the model card.
    """
    torch.manual_seed(cfg.seed)
    scene_cfg = scene_cfg or SceneConfig(image_size=arch.input_size)
    model = DenseDetector(arch, len(cfg.classes))
    backbone_source = None
    if arch.trunk == LITE0:  # ImageNet features, kept frozen: only the neck and head train
        state, backbone_source = imagenet_lite0_state(prefix="trunk.body.")
        model.load_state_dict(state, strict=False)
        model.trunk.requires_grad_(False)
    model = model.to(device)
    trained = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    decay = [p for n, p in trained if p.ndim > 1]
    no_decay = [p for n, p in trained if p.ndim <= 1]
    optimizer = torch.optim.AdamW(
        [
            {"params": decay, "weight_decay": cfg.weight_decay},
            {"params": no_decay, "weight_decay": 0.0},
        ],
        lr=cfg.lr,
    )
    start, losses = 0, []
    ckpt_path = Path(checkpoint) if checkpoint else None
    if ckpt_path and ckpt_path.exists():
        state = torch.load(ckpt_path, map_location=device, weights_only=True)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        start, losses = int(state["step"]), list(state["losses"])
        log.info("resumed from %s at step %d", ckpt_path, start)

    if backbone_source:
        batches = _frozen_feature_batches(model, cfg, arch, scene_cfg, start, device)
    else:
        batches = DataLoader(
            LetterBatches(cfg.classes, arch, cfg.batch_size, cfg.seed, start, cfg.steps, scene_cfg),
            batch_size=None,
            num_workers=1,
            prefetch_factor=4,
            persistent_workers=False,
        )
    model.train()
    started = time.time()
    bar = tqdm(total=cfg.steps, initial=start, desc=f"pretrain {name}", unit="step")
    for step, (images, targets) in enumerate(batches, start=start):
        for group in optimizer.param_groups:
            group["lr"] = cfg.lr * _lr_factor(step, cfg)
        images = (
            tuple(x.to(device) for x in images) if isinstance(images, tuple) else images.to(device)
        )
        targets = {k: v.to(device) for k, v in targets.items()}
        loss = total_loss(model(images, targets))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for _, p in trained], 10.0)
        optimizer.step()
        losses.append(float(loss.detach()))
        bar.update(1)
        bar.set_postfix(loss=f"{sum(losses[-50:]) / len(losses[-50:]):.3f}")
        if ckpt_path and ((step + 1) % cfg.checkpoint_every == 0 or step + 1 == cfg.steps):
            ckpt_path.parent.mkdir(parents=True, exist_ok=True)
            tmp = ckpt_path.with_suffix(".tmp")
            torch.save(
                {
                    "model": model.state_dict(),
                    "optimizer": optimizer.state_dict(),
                    "step": step + 1,
                    "losses": losses,
                },
                tmp,
            )
            tmp.replace(ckpt_path)
    bar.close()
    model.eval()
    evaluation = evaluate_on_scenes(
        model, cfg.classes, cfg.eval_images, cfg.seed + 10_000, scene_cfg
    )
    card = make_card(
        name,
        model,
        cfg.classes,
        "standard",
        command=command,
        data_seed=cfg.seed,
        training={
            "steps": cfg.steps,
            "batch_size": cfg.batch_size,
            "lr": cfg.lr,
            **({"scene_pool": cfg.pool} if backbone_source else {}),
            "weight_decay": cfg.weight_decay,
            "optimizer": "adamw",
            "schedule": "warmup+cosine",
            "seconds_this_run": round(time.time() - started, 1),
            "device": device,
            "final_loss": round(sum(losses[-50:]) / max(1, len(losses[-50:])), 4),
        },
        metrics={"base_classes_" + k: round(v, 4) for k, v in evaluation["metrics"].items()},
        preset={
            "optimizer": "adam",
            "lr": 1e-3,
            "steps": 100,
            "batch_size": 8,
            "early_stopping": True,
            "checkpoints": [10, 100],
            "train_layers": "head" if backbone_source else "all",
        },
        **(
            {"backbone": {"name": LITE0, "weights": backbone_source, "frozen": True}}
            if backbone_source
            else {}
        ),
        **(
            {
                "data": {
                    "source": "composites",
                    "classes": len(cfg.classes),
                    "textures": "scikit-image sample images (skimage/data) and value noise",
                    "image_size": scene_cfg.image_size,
                }
            }
            if cfg.classes and cfg.classes[0].startswith(COMPOSITE_PREFIX)
            else {}
        ),
    )
    save_model(model, card, out_dir, name)
    return card
