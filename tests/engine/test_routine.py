import pytest
import torch

from worker.engine.detector import DenseDetector
from worker.engine.routine import (
    Cancelled,
    EarlyStopping,
    UpdateRoutine,
    adapt,
    frozen_cache,
    prototype_class_head,
    step_loss,
)
from worker.engine.samples import encode_samples

CLASSES = ["A", "B", "C"]


def test_early_stopping_fires_when_the_running_mean_doubles_its_minimum():
    stopper = EarlyStopping(window=3)
    decisions = [
        stopper.update(step, loss) for step, loss in enumerate([4, 2, 1, 1, 1, 3, 5, 6], 1)
    ]
    # means from step 3: 2.33, 1.33, 1.0 (best, step 5), 1.67, 3.0 → stop at step 7 (≥ 2 × 1.0)
    assert [d[1] for d in decisions] == [False] * 6 + [True, True]
    assert stopper.best_step == 5 and stopper.best_mean == 1.0


def test_adapt_lowers_the_loss_and_records_checkpoints(tiny_config, letter_samples):
    model = DenseDetector(tiny_config, len(CLASSES))
    seen = []
    result = adapt(
        model,
        letter_samples(4),
        UpdateRoutine(steps=30, lr=2e-3, batch_size=4, checkpoints=[10, 30], early_stopping=False),
        evaluate=lambda m: {"calls": len(seen)},
        progress=lambda s, n, loss: seen.append(loss),
    )
    assert result.steps_run == 30 and len(result.loss_curve) == 30 and len(seen) == 30
    assert [c["step"] for c in result.checkpoints] == [10, 30]
    first, last = result.loss_curve[0][1], sum(v for _, v in result.loss_curve[-5:]) / 5
    assert last < first


def test_early_stopping_restores_the_weights_of_the_best_running_mean(tiny_config, letter_samples):
    model = DenseDetector(tiny_config, len(CLASSES))
    # a learning rate far too high makes the loss jump about (2.6, 405, 16, 438: below the
    # divergence guard's 1000 times the lowest, tests/engine/test_divergence.py)
    routine = UpdateRoutine(steps=60, lr=0.2, optimizer="adam", batch_size=2, window=3)
    result = adapt(model, letter_samples(2), routine)
    assert result.stopped_early and not result.diverged and result.steps_run < 60
    assert result.best_step < result.steps_run


def test_head_only_adaptation_leaves_the_trunk_unchanged(tiny_config, letter_samples):
    model = DenseDetector(tiny_config, len(CLASSES))
    trunk_before = {k: v.clone() for k, v in model.trunk.state_dict().items()}
    head_before = model.head.cls_logits.weight.clone()
    adapt(
        model, letter_samples(2), UpdateRoutine(steps=3, train_layers="head", early_stopping=False)
    )
    assert all(torch.equal(trunk_before[k], v) for k, v in model.trunk.state_dict().items())
    assert not torch.equal(head_before, model.head.cls_logits.weight)
    assert all(p.requires_grad for p in model.parameters())


def test_a_cancel_from_the_progress_callback_stops_adaptation(tiny_config, letter_samples):
    def cancel_at_3(step, steps, loss):
        if step == 3:
            raise Cancelled("stop")

    with pytest.raises(Cancelled):
        adapt(
            DenseDetector(tiny_config, 3),
            letter_samples(2),
            UpdateRoutine(steps=20),
            progress=cancel_at_3,
        )


@pytest.mark.parametrize(
    "bad",
    [
        {"optimizer": "rmsprop"},
        {"lr": -1},
        {"train_layers": "trunk"},
        {"batch_size": 0},
        {"class_init": "random"},
        {"class_init_scale": -1.0},
    ],
)
def test_invalid_routines_are_refused_with_a_message(bad):
    with pytest.raises(ValueError):
        UpdateRoutine(**bad)


def test_checkpoints_outside_the_step_range_are_dropped():
    assert UpdateRoutine(steps=50, checkpoints=[10, 100, 50, 10, 0, -1]).checkpoints == [0, 10, 50]


def test_classifier_only_adaptation_trains_the_class_layer_alone(tiny_config, letter_samples):
    model = DenseDetector(tiny_config, len(CLASSES))
    before = {k: v.clone() for k, v in model.state_dict().items()}
    result = adapt(
        model,
        letter_samples(4),
        UpdateRoutine(
            steps=5, lr=1e-2, batch_size=2, train_layers="classifier", early_stopping=False
        ),
    )
    changed = {k for k, v in model.state_dict().items() if not torch.equal(before[k], v)}
    assert changed == {"head.cls_logits.weight", "head.cls_logits.bias"}
    assert result.loss_curve[-1][1] < result.loss_curve[0][1]
    assert all(p.requires_grad for p in model.parameters())


@pytest.mark.parametrize("layers", ["classifier", "head"])
def test_a_step_on_cached_frozen_outputs_has_the_full_models_loss(
    tiny_config, letter_samples, layers
):
    model = DenseDetector(tiny_config, len(CLASSES)).train()
    data = encode_samples(letter_samples(3), len(CLASSES), tiny_config)
    cache = frozen_cache(model, data, layers, chunk=2)  # two chunks, concatenated
    index = torch.tensor([2, 0])
    images, targets = data.batch(index)
    cached = step_loss(model, images, targets, layers, cache, index)
    uncached = step_loss(model, images, targets, layers)
    full = step_loss(model, images, targets, "all")
    assert torch.allclose(cached, full, atol=1e-5) and torch.allclose(uncached, full, atol=1e-5)
    assert frozen_cache(model, data, "all") is None


def test_learned_rates_for_the_class_layer_refuse_an_all_layer_adaptation_with_a_message(
    tiny_config, letter_samples
):
    model = DenseDetector(tiny_config, len(CLASSES))
    lrs = {
        k: torch.full_like(v, 0.1)
        for k, v in model.named_parameters()
        if k.startswith("head.cls_logits.")
    }
    routine = UpdateRoutine(optimizer="metasgd", steps=2, train_layers="all", early_stopping=False)
    with pytest.raises(ValueError, match="keep its preset's train_layers"):
        adapt(model, letter_samples(2), routine, lrs=lrs)
    result = adapt(
        model,
        letter_samples(2),
        UpdateRoutine(
            optimizer="metasgd", steps=2, train_layers="classifier", early_stopping=False
        ),
        lrs=lrs,
    )
    assert result.steps_run == 2


def _shared_row_detector(tiny_config, classes: int) -> DenseDetector:
    """A detector whose class rows are all one row, as a meta-learned init is loaded (the same
    weights at every call)."""
    torch.manual_seed(0)
    model = DenseDetector(tiny_config, classes)
    with torch.no_grad():
        model.head.cls_logits.weight[:] = model.head.cls_logits.weight[:1].clone()
        model.head.cls_logits.bias[:] = model.head.cls_logits.bias[0].item()
    return model


def test_a_prototype_class_head_raises_each_class_at_its_own_positives_by_the_scale(
    tiny_config, letter_samples
):
    """The class layer's logit change, read off the model's own maps: at class c's positive
    locations it averages s·|d_c|² (mean over classes = the scale); the rows' common part stays."""
    model = _shared_row_detector(tiny_config, 3)
    data = encode_samples(letter_samples(6, seed=3), 3, tiny_config)
    mean_row = model.head.cls_logits.weight.detach().mean(0).clone()
    with torch.no_grad():
        frozen = model.frozen_maps(data.images)
        before = model.classify(frozen)["cls_logits"]
        prototype_class_head(model, data, scale=2.0)
        after = model.classify(frozen)["cls_logits"]
    change, cls = (after - before).flatten(2), data.targets["cls"].flatten(2)  # (N, C, L)
    own = [float((change[:, c] * cls[:, c]).sum() / cls[:, c].sum()) for c in range(3)]
    assert sum(own) / 3 == pytest.approx(2.0, rel=1e-3)
    assert all(v > 0 for v in own)
    rows = model.head.cls_logits.weight
    assert not torch.equal(rows[0], rows[1]) and not torch.equal(rows[1], rows[2])
    # the rows' mean moved by the mean offset, which is zero: class-agnostic detection is kept
    assert torch.allclose(rows.detach().mean(0), mean_row, atol=1e-6)


def test_a_prototype_class_head_leaves_classes_without_examples_and_a_single_class_alone(
    tiny_config, letter_samples
):
    samples = letter_samples(4, seed=5)  # classes 0–2 of three
    model = _shared_row_detector(tiny_config, 4)  # class 3 has no example
    untouched = model.head.cls_logits.weight[3].clone(), model.head.cls_logits.bias[3].clone()
    prototype_class_head(model, encode_samples(samples, 4, tiny_config), scale=3.0)
    assert torch.equal(model.head.cls_logits.weight[3], untouched[0])
    assert torch.equal(model.head.cls_logits.bias[3], untouched[1])
    assert not torch.equal(model.head.cls_logits.weight[0], untouched[0])
    single = _shared_row_detector(tiny_config, 1)
    row = single.head.cls_logits.weight.clone()
    for s in samples:
        s.labels[:] = 0
    prototype_class_head(single, encode_samples(samples, 1, tiny_config), scale=3.0)
    assert torch.equal(single.head.cls_logits.weight, row), "one class: nothing to tell apart"


@pytest.mark.parametrize("layers", ["classifier", "all"])
def test_adapt_with_a_prototype_class_head_starts_from_it(tiny_config, letter_samples, layers):
    """``class_init='prototype'`` sets the class layer before the first step (from the cached
    frozen maps where the routine caches them), so zero steps leave exactly that layer."""
    samples = letter_samples(6, seed=3)
    expected = _shared_row_detector(tiny_config, 3)
    model = _shared_row_detector(tiny_config, 3)
    prototype_class_head(expected, encode_samples(samples, 3, tiny_config), scale=3.0)
    routine = dict(train_layers=layers, class_init="prototype", early_stopping=False, batch_size=4)
    adapt(model, samples, UpdateRoutine(steps=0, **routine))
    assert torch.allclose(model.head.cls_logits.weight, expected.head.cls_logits.weight, atol=1e-6)
    assert torch.allclose(model.head.cls_logits.bias, expected.head.cls_logits.bias, atol=1e-6)
    result = adapt(
        _shared_row_detector(tiny_config, 3),
        samples,
        UpdateRoutine(steps=3, checkpoints=[0, 3], **routine),
        evaluate=lambda m: {"weight": m.head.cls_logits.weight.detach().clone()},
    )
    assert result.steps_run == 3 and [c["step"] for c in result.checkpoints] == [0, 3]
    # checkpoint 0 scores the model the first step starts from: after the prototype start
    assert torch.allclose(
        result.checkpoints[0]["metrics"]["weight"], expected.head.cls_logits.weight, atol=1e-6
    )
    assert not torch.allclose(
        result.checkpoints[1]["metrics"]["weight"], expected.head.cls_logits.weight
    )
