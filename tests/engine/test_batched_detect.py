"""Detection batches images (a letterbox model) and tiles of several images (a tiles model),
and finds the same boxes as one image at a time."""

import numpy as np
import torch
from PIL import Image

from worker.engine.data.letters import SceneConfig, draw_scene
from worker.engine.detector import DenseDetector, DetectorConfig
from worker.engine.inference import _input, detect
from worker.engine.samples import letterbox

TINY = DetectorConfig(trunk="resnet10", input_size=96, fpn_channels=32, head_convs=1, groups=8)
TILES = DetectorConfig(
    trunk="resnet10",
    input_size=96,
    fpn_channels=32,
    head_convs=1,
    groups=8,
    scale_mode="tiles",
    tile_size=128,
    tile_overlap=32,
)


def _spread(model: DenseDetector) -> DenseDetector:
    """Random head weights large enough that scores differ clearly (an untrained head scores
    every location nearly alike, so a rounding difference could swap two equal scores)."""
    torch.manual_seed(3)
    for conv in (model.head.cls_logits, model.head.centerness):
        torch.nn.init.normal_(conv.weight, std=0.3)
        torch.nn.init.zeros_(conv.bias)
    return model.eval()


def _images() -> list[Image.Image]:
    """Letter scenes of several sizes: squares, a wide one and one taller than a tile."""
    sizes = [(96, 96), (160, 120), (300, 90), (64, 64), (96, 96), (130, 260), (96, 96)]
    out = []
    for seed, (width, height) in enumerate(sizes):
        scene = draw_scene(seed, ["A", "B"], SceneConfig(image_size=128, min_size=14))
        out.append(scene.image.resize((width, height)))
    return out


def _same(batched, alone) -> None:
    assert len(batched) == len(alone)
    for b, a in zip(batched, alone, strict=True):
        assert len(b.scores) == len(a.scores) > 0
        ob, oa = np.argsort(-b.scores, kind="stable"), np.argsort(-a.scores, kind="stable")
        np.testing.assert_allclose(b.scores[ob], a.scores[oa], atol=1e-5)
        np.testing.assert_allclose(b.boxes[ob], a.boxes[oa], atol=1e-3)
        np.testing.assert_array_equal(b.labels[ob], a.labels[oa])


def _forward_batches(model: DenseDetector, run) -> tuple[list[int], object]:
    sizes: list[int] = []
    handle = model.trunk.register_forward_hook(lambda _m, inputs, _o: sizes.append(len(inputs[0])))
    try:
        return sizes, run()
    finally:
        handle.remove()


def test_a_letterbox_model_batches_images_and_finds_what_it_finds_one_at_a_time():
    model = _spread(DenseDetector(TINY, 2))
    images = _images()
    sizes, batched = _forward_batches(model, lambda: detect(model, images, batch_size=4))
    assert sizes == [4, 3]
    alone = [detect(model, [image], batch_size=1)[0] for image in images]
    _same(batched, alone)


def test_a_tiles_model_batches_tiles_across_images_of_different_sizes():
    model = _spread(DenseDetector(TILES, 2))
    images = _images()
    sizes, batched = _forward_batches(
        model, lambda: detect(model, images, batch_size=16, scale=1.0)
    )
    # 96² and 64² images are one tile of 96 or 64 px; 160×120 is 2×1 tiles of 128; the others
    # are cut into several: tiles of one shape share forward passes whichever image they are from
    alone_sizes: list[int] = []
    alone = []
    for image in images:
        found_sizes, found = _forward_batches(
            model, lambda image=image: detect(model, [image], batch_size=1, scale=1.0)
        )
        alone_sizes += found_sizes
        alone += found
    assert len(sizes) < len(alone_sizes) and sum(sizes) == sum(alone_sizes)
    assert max(sizes) > 1 and max(sizes) <= 8
    _same(batched, alone)


def test_progress_counts_every_image_when_tiled():
    model = _spread(DenseDetector(TILES, 2))
    images = _images()
    seen: list[tuple[int, int]] = []
    found = detect(
        model, images, batch_size=3, scale=1.0, progress=lambda d, t: seen.append((d, t))
    )
    assert len(found) == len(images)
    assert seen[-1] == (len(images), len(images))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_cpu_inputs_go_channels_last_and_give_the_same_maps():
    model = _spread(DenseDetector(TINY, 2))
    batch = torch.stack([letterbox(image, 96, "resnet10")[0] for image in _images()[:3]])
    fast = _input(batch, torch.device("cpu"))
    assert fast.is_contiguous(memory_format=torch.channels_last) and not batch.is_contiguous(
        memory_format=torch.channels_last
    )
    with torch.no_grad():
        plain, channels_last = model.predict_maps(batch), model.predict_maps(fast)
    for name in plain:
        torch.testing.assert_close(channels_last[name], plain[name], atol=1e-4, rtol=1e-4)


def test_letterbox_and_to_tensor_give_the_normalised_pixels_torch_would():
    """Inputs are built in numpy (no torch thread pool per image); the numbers are torch's."""
    from worker.engine.backbones import normalization
    from worker.engine.samples import rescale, to_tensor

    for trunk in ("resnet10", "efficientnet_lite0"):
        mean, std = (torch.tensor(v)[:, None, None] for v in normalization(trunk))
        for image in [*_images(), Image.new("L", (50, 70), 128)]:
            pixels = torch.from_numpy(np.asarray(image.convert("RGB"), dtype=np.float32))
            expected = (pixels.permute(2, 0, 1) / 255.0 - mean) / std
            assert torch.equal(to_tensor(image, trunk), expected)
            tensor, scale = letterbox(image, 96, trunk)
            assert scale == 96 / max(image.size) and tensor.shape == (3, 96, 96)
            inner = to_tensor(rescale(image.convert("RGB"), scale), trunk)
            h, w = inner.shape[1:]
            assert torch.equal(tensor[:, :h, :w], inner)
            assert not tensor[:, h:, :].any() and not tensor[:, :, w:].any()
