import pytest
import torch

from worker.engine.detector import DenseDetector
from worker.engine.routine import (
    Cancelled,
    EarlyStopping,
    UpdateRoutine,
    adapt,
    frozen_cache,
    step_loss,
)
from worker.engine.samples import encode_samples

CLASSES = ["A", "B", "C"]


def test_early_stopping_fires_when_the_running_mean_doubles_its_minimum():
    stopper = EarlyStopping(window=3)
    decisions = [stopper.update(step, loss) for step, loss in enumerate([4, 2, 1, 1, 1, 3, 5, 6], 1)]
    # means from step 3: 2.33, 1.33, 1.0 (best, step 5), 1.67, 3.0 → stop at step 7 (≥ 2 × 1.0)
    assert [d[1] for d in decisions] == [False] * 6 + [True, True]
    assert stopper.best_step == 5 and stopper.best_mean == 1.0


def test_adapt_lowers_the_loss_and_records_checkpoints(tiny_config, letter_samples):
    model = DenseDetector(tiny_config, len(CLASSES))
    seen = []
    result = adapt(model, letter_samples(4), UpdateRoutine(steps=30, lr=2e-3, batch_size=4,
                                                           checkpoints=[10, 30], early_stopping=False),
                   evaluate=lambda m: {"calls": len(seen)}, progress=lambda s, n, loss: seen.append(loss))
    assert result.steps_run == 30 and len(result.loss_curve) == 30 and len(seen) == 30
    assert [c["step"] for c in result.checkpoints] == [10, 30]
    first, last = result.loss_curve[0][1], sum(v for _, v in result.loss_curve[-5:]) / 5
    assert last < first


def test_early_stopping_restores_the_weights_of_the_best_running_mean(tiny_config, letter_samples):
    model = DenseDetector(tiny_config, len(CLASSES))
    # a learning rate far too high makes the loss blow up after a few steps
    routine = UpdateRoutine(steps=60, lr=5.0, optimizer="sgd", batch_size=2, window=3)
    result = adapt(model, letter_samples(2), routine)
    assert result.stopped_early and result.steps_run < 60
    assert result.best_step < result.steps_run


def test_head_only_adaptation_leaves_the_trunk_unchanged(tiny_config, letter_samples):
    model = DenseDetector(tiny_config, len(CLASSES))
    trunk_before = {k: v.clone() for k, v in model.trunk.state_dict().items()}
    head_before = model.head.cls_logits.weight.clone()
    adapt(model, letter_samples(2), UpdateRoutine(steps=3, train_layers="head", early_stopping=False))
    assert all(torch.equal(trunk_before[k], v) for k, v in model.trunk.state_dict().items())
    assert not torch.equal(head_before, model.head.cls_logits.weight)
    assert all(p.requires_grad for p in model.parameters())


def test_a_cancel_from_the_progress_callback_stops_adaptation(tiny_config, letter_samples):
    def cancel_at_3(step, steps, loss):
        if step == 3:
            raise Cancelled("stop")

    with pytest.raises(Cancelled):
        adapt(DenseDetector(tiny_config, 3), letter_samples(2), UpdateRoutine(steps=20), progress=cancel_at_3)


@pytest.mark.parametrize("bad", [{"optimizer": "rmsprop"}, {"lr": -1}, {"train_layers": "trunk"},
                                 {"batch_size": 0}])
def test_invalid_routines_are_refused_with_a_message(bad):
    with pytest.raises(ValueError):
        UpdateRoutine(**bad)


def test_checkpoints_outside_the_step_range_are_dropped():
    assert UpdateRoutine(steps=50, checkpoints=[10, 100, 50, 10]).checkpoints == [10, 50]


def test_classifier_only_adaptation_trains_the_class_layer_alone(tiny_config, letter_samples):
    model = DenseDetector(tiny_config, len(CLASSES))
    before = {k: v.clone() for k, v in model.state_dict().items()}
    result = adapt(model, letter_samples(4), UpdateRoutine(steps=5, lr=1e-2, batch_size=2,
                                                           train_layers="classifier", early_stopping=False))
    changed = {k for k, v in model.state_dict().items() if not torch.equal(before[k], v)}
    assert changed == {"head.cls_logits.weight", "head.cls_logits.bias"}
    assert result.loss_curve[-1][1] < result.loss_curve[0][1]
    assert all(p.requires_grad for p in model.parameters())


@pytest.mark.parametrize("layers", ["classifier", "head"])
def test_a_step_on_cached_frozen_outputs_has_the_full_models_loss(tiny_config, letter_samples, layers):
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


def test_learned_rates_for_the_class_layer_refuse_an_all_layer_adaptation_with_a_message(tiny_config,
                                                                                        letter_samples):
    model = DenseDetector(tiny_config, len(CLASSES))
    lrs = {k: torch.full_like(v, 0.1) for k, v in model.named_parameters() if k.startswith("head.cls_logits.")}
    routine = UpdateRoutine(optimizer="metasgd", steps=2, train_layers="all", early_stopping=False)
    with pytest.raises(ValueError, match="keep its preset's train_layers"):
        adapt(model, letter_samples(2), routine, lrs=lrs)
    result = adapt(model, letter_samples(2), UpdateRoutine(optimizer="metasgd", steps=2, train_layers="classifier",
                                                           early_stopping=False), lrs=lrs)
    assert result.steps_run == 2
