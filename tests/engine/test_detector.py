import pytest
import torch
from torch.func import functional_call, vmap

from worker.engine.detector import DenseDetector, DetectorConfig, encode_targets, total_loss
from worker.engine.samples import encode_samples

CLASSES = ["A", "B", "C"]


def test_every_box_from_16px_to_the_whole_image_gets_a_positive_location():
    cfg = DetectorConfig(input_size=224, stride=8)
    boxes = torch.tensor(
        [[10.0, 10, 22, 26], [30, 100, 46, 116], [0, 0, 224, 224], [100, 40, 109, 49]]
    )
    targets = encode_targets(boxes, torch.tensor([0, 1, 2, 0]), 3, cfg)
    assert targets["cls"].shape == (3, 28, 28) and targets["box"].shape == (4, 28, 28)
    positive = targets["positive"].flatten().bool()
    assigned = targets["box"].flatten(1).T[positive]
    for box in boxes:
        assert (assigned == box).all(dim=1).any(), f"box {box.tolist()} has no positive location"
    # one-hot classes exactly at the positives
    assert torch.equal(targets["cls"].sum(0).flatten().bool(), positive)


def test_overlapping_candidates_go_to_the_smaller_box():
    cfg = DetectorConfig(input_size=64, stride=8, center_radius=10)
    big, small = [0.0, 0, 64, 64], [24.0, 24, 40, 40]
    targets = encode_targets(torch.tensor([big, small]), torch.tensor([0, 1]), 2, cfg)
    center = targets["box"][:, 4, 4]  # location (36, 36) lies in both boxes
    assert center.tolist() == small and targets["cls"][1, 4, 4] == 1


def test_no_boxes_give_empty_targets_and_a_finite_loss(tiny_config):
    TINY = tiny_config
    model = DenseDetector(TINY, 3).train()
    targets = encode_targets(torch.zeros(0, 4), torch.zeros(0, dtype=torch.long), 3, TINY)
    assert targets["positive"].sum() == 0
    losses = model(torch.zeros(1, 3, 96, 96), {k: v[None] for k, v in targets.items()})
    assert all(torch.isfinite(v) for v in losses.values())


def test_eval_mode_returns_boxes_scores_and_labels_per_image(tiny_config):
    TINY = tiny_config
    model = DenseDetector(TINY, 3).eval()
    out = model(torch.randn(2, 3, 96, 96))
    assert len(out) == 2
    for det in out:
        assert det["boxes"].shape[1] == 4 and len(det["boxes"]) == len(det["scores"]) == len(
            det["labels"]
        )
        assert (det["labels"] < 3).all()


def test_training_on_a_few_images_lowers_the_loss(tiny_config, letter_samples):
    TINY = tiny_config
    data = encode_samples(letter_samples(4), len(CLASSES), TINY)
    model = DenseDetector(TINY, len(CLASSES)).train()
    optimizer = torch.optim.Adam(model.parameters(), 2e-3)
    losses = []
    for _ in range(40):
        loss = total_loss(model(data.images, data.targets))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert sum(losses[-5:]) / 5 < 0.6 * sum(losses[:5]) / 5


def test_vmap_over_per_task_parameters_matches_one_task_at_a_time(tiny_config, letter_samples):
    TINY = tiny_config
    """The static-shape loss lets one call adapt several tasks, each with its own weights."""
    model = DenseDetector(TINY, len(CLASSES)).train()
    tasks = [encode_samples(letter_samples(2, seed=s), len(CLASSES), TINY) for s in (1, 2)]
    params = {k: v.detach() for k, v in model.named_parameters()}
    per_task = [{k: v + 0.01 * s * torch.randn_like(v) for k, v in params.items()} for s in (1, 2)]
    stacked = {k: torch.stack([p[k] for p in per_task]) for k in params}
    images = torch.stack([t.images for t in tasks])
    targets = {k: torch.stack([t.targets[k] for t in tasks]) for k in tasks[0].targets}

    def loss_of(p, x, y):
        return total_loss(functional_call(model, p, (x, y)))

    batched = vmap(loss_of)(stacked, images, targets)
    single = torch.stack(
        [loss_of(per_task[i], tasks[i].images, tasks[i].targets) for i in range(2)]
    )
    assert torch.allclose(batched, single, rtol=1e-4, atol=1e-5)
    grads = vmap(torch.func.grad(loss_of))(stacked, images, targets)
    g0 = torch.func.grad(loss_of)(per_task[0], tasks[0].images, tasks[0].targets)
    name = "head.cls_logits.weight"
    assert torch.allclose(grads[name][0], g0[name], rtol=1e-3, atol=1e-6)


@pytest.mark.parametrize("trunk", ["resnet10", "resnet18"])
def test_trunks_build_from_torchvision_with_groupnorm(trunk):
    model = DenseDetector(DetectorConfig(trunk=trunk, input_size=64), 2)
    norms = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    assert not norms and any(isinstance(m, torch.nn.GroupNorm) for m in model.modules())


def test_giou_loss_equals_torchvisions():
    from torchvision.ops import generalized_box_iou_loss

    from worker.engine.detector import giou_loss

    a = torch.tensor([[0.0, 0, 10, 10], [5, 5, 20, 25], [0, 0, 4, 4]])
    b = torch.tensor([[2.0, 2, 12, 12], [5, 5, 20, 25], [10, 10, 14, 14]])
    assert torch.allclose(
        giou_loss(a, b), generalized_box_iou_loss(a, b, reduction="none"), atol=1e-6
    )


def test_frozen_maps_and_classify_reproduce_the_full_prediction(tiny_config, letter_samples):
    model = DenseDetector(tiny_config, 3).eval()
    images = encode_samples(letter_samples(2), 3, tiny_config).images
    with torch.no_grad():
        full = model.predict_maps(images)
        split = model.classify(model.frozen_maps(images))
        from_features = model.predict_maps(model.trunk(images))  # trunk features as inputs
    for key in full:
        assert torch.allclose(full[key], split[key], atol=1e-6), key
        assert torch.allclose(full[key], from_features[key], atol=1e-6), key
