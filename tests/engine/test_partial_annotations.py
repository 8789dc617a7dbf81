"""An image still being annotated (``complete=False``) never teaches that an unboxed object is
background: its classification loss counts only at the boxed objects' locations."""

import pytest
import torch
from torch.func import functional_call, vmap
from torchvision.ops import sigmoid_focal_loss

from worker.engine.data.letters import SceneConfig, draw_scene
from worker.engine.detector import DenseDetector, DetectorConfig, detection_losses, total_loss
from worker.engine.samples import Sample, crop_samples, encode_samples

TILES = DetectorConfig(
    trunk="resnet10",
    input_size=64,
    fpn_channels=32,
    head_convs=1,
    groups=8,
    scale_mode="tiles",
    tile_overlap=16,
)


@pytest.fixture
def two_letters():
    """A 96 px image with two letters A (one class), apart: boxes [x, y, w, h]."""
    cfg = SceneConfig(
        image_size=96, min_size=24, max_size=36, min_objects=2, max_objects=2, max_rotation=0
    )
    scene = draw_scene(3, ["A"], cfg)
    boxes = [list(o.box) for o in scene.objects]
    assert len(boxes) == 2 and {o.letter for o in scene.objects} == {"A"}
    return scene.image, boxes


def _locations(image, boxes, config):
    """Positive locations (H, W) of the boxed first letter, and of the unboxed second one."""
    both = encode_samples([Sample(image, boxes, [0, 0])], 1, config).targets["positive"][0]
    first = encode_samples([Sample(image, boxes[:1], [0])], 1, config).targets["positive"][0]
    return first.bool(), both.bool() & ~first.bool()


def _logit_gradient(model, data):
    """The classification loss, the gradient of the whole loss with respect to the class-logit
    map (H, W), and that map."""
    maps = model.predict_maps(data.images)
    maps["cls_logits"].retain_grad()
    losses = detection_losses(maps, data.targets, model.config.stride)
    total_loss(losses).backward()
    grad, logits = maps["cls_logits"].grad[0, 0], maps["cls_logits"].detach()[0, 0]
    return losses["classification"].detach(), grad, logits


def test_the_weight_map_is_one_everywhere_or_only_at_the_positives(two_letters, tiny_config):
    image, boxes = two_letters
    complete = encode_samples([Sample(image, boxes[:1], [0])], 1, tiny_config).targets
    partial = encode_samples([Sample(image, boxes[:1], [0], complete=False)], 1, tiny_config)
    assert torch.equal(complete["cls_weight"], torch.ones(1, 12, 12))
    positive = partial.targets["positive"]
    assert positive.sum() == 9 and torch.equal(partial.targets["cls_weight"], positive)
    # everything else about the targets is the same
    for key in ("cls", "box", "positive"):
        assert torch.equal(complete[key], partial.targets[key])


def test_an_unboxed_object_is_background_only_in_a_complete_image(two_letters, tiny_config):
    image, boxes = two_letters
    boxed, unboxed = _locations(image, boxes, tiny_config)
    assert boxed.sum() == 9 and unboxed.sum() == 12 and not (boxed & unboxed).any()
    outcome = {}
    for complete in (True, False):
        torch.manual_seed(0)
        model = DenseDetector(tiny_config, 1).train()
        data = encode_samples([Sample(image, boxes[:1], [0], complete=complete)], 1, tiny_config)
        cls_loss, grad, logits = _logit_gradient(model, data)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        for _ in range(20):
            step = total_loss(model(data.images, data.targets))
            optimizer.zero_grad()
            step.backward()
            optimizer.step()
        with torch.no_grad():
            after = model.predict_maps(data.images)["cls_logits"][0, 0]
        outcome[complete] = cls_loss, grad, logits, after

    # complete: the loss at the unboxed letter pushes its logit down (a positive gradient of
    # the loss at every one of its locations) ...
    cls_loss, grad, logits, after = outcome[True]
    assert (grad[unboxed] > 0).all()
    assert after[unboxed].mean() < logits[unboxed].mean() - 0.2  # -4.61 → -4.85
    # ... in progress: no term of the loss reaches it, whatever its logit
    cls_loss_p, grad_p, logits_p, after_p = outcome[False]
    assert torch.equal(logits_p, logits)  # the same start
    assert torch.count_nonzero(grad_p[unboxed]) == 0 and torch.count_nonzero(grad_p[~boxed]) == 0
    # at the boxed letter both push its logit up, by the same amount
    assert (grad[boxed] < 0).all() and torch.equal(grad_p[boxed], grad[boxed])
    # the classification loss: the focal loss summed over every location, or over the boxed
    # letter's 9 only, each divided by those 9 positives
    focal = sigmoid_focal_loss(logits, boxed.float(), reduction="none")
    assert float(cls_loss) == pytest.approx(float(focal.sum() / 9), rel=1e-6)
    assert float(cls_loss_p) == pytest.approx(float(focal[boxed].sum() / 9), rel=1e-6)
    assert focal[unboxed].sum() > 0
    # trained on the boxed letter alone, the model scores the other letter higher: nothing told
    # it that this one is background (nor, with no complete image, anything else)
    assert after_p[unboxed].mean() > logits[unboxed].mean() + 1.0  # -4.61 → 1.50
    background = ~(boxed | unboxed)
    assert after_p[background].mean() > 0.5 > -5.0 > after[background].mean()  # 1.02, -5.07


def test_every_crop_of_an_incomplete_image_is_incomplete(two_letters):
    image, boxes = two_letters
    big = image.resize((160, 160))
    sample = Sample(big, [[v * 160 / 96 for v in b] for b in boxes[:1]], [0], complete=False)
    crops = crop_samples(sample, 1.0, TILES)
    data = encode_samples([sample], 1, TILES, scale=1.0)
    assert len(crops) == len(data) == 9
    assert torch.equal(data.targets["cls_weight"], data.targets["positive"])
    assert 0 < data.targets["positive"].sum() and (data.targets["positive"].sum((1, 2)) == 0).any()
    whole = encode_samples([Sample(big, sample.boxes, [0])], 1, TILES, scale=1.0)
    assert torch.equal(whole.targets["cls_weight"], torch.ones_like(whole.targets["positive"]))


def test_vmap_over_tasks_keeps_each_tasks_weight_map(two_letters, tiny_config):
    """Two tasks, one complete and one in progress, in one vmapped call: the same losses and
    gradients as one task at a time."""
    image, boxes = two_letters
    model = DenseDetector(tiny_config, 1).train()
    tasks = [
        encode_samples([Sample(image, boxes[:1], [0], complete=c)], 1, tiny_config)
        for c in (True, False)
    ]
    params = {k: v.detach() for k, v in model.named_parameters()}
    images = torch.stack([t.images for t in tasks])
    targets = {k: torch.stack([t.targets[k] for t in tasks]) for k in tasks[0].targets}
    stacked = {k: torch.stack([v, v]) for k, v in params.items()}

    def loss_of(p, x, y):
        return total_loss(functional_call(model, p, (x, y)))

    batched = vmap(loss_of)(stacked, images, targets)
    single = torch.stack([loss_of(params, t.images, t.targets) for t in tasks])
    assert torch.allclose(batched, single, rtol=1e-5, atol=1e-6)
    assert batched[0] > batched[1]  # the complete task also pays for its background
    grads = vmap(torch.func.grad(loss_of))(stacked, images, targets)
    name = "head.cls_logits.bias"
    for i, task in enumerate(tasks):
        expected = torch.func.grad(loss_of)(params, task.images, task.targets)[name]
        assert torch.allclose(grads[name][i], expected, rtol=1e-4, atol=1e-7)
