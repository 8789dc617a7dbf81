"""Several tasks adapted in one vmap call match each task adapted alone by routine.adapt."""

import copy

import pytest
import torch

from bench.fewshot.batched import adapt_tasks
from worker.engine.detector import DenseDetector
from worker.engine.routine import UpdateRoutine, adapt


def _tasks(tiny_config, letter_samples, count=2):
    torch.manual_seed(0)
    base = DenseDetector(tiny_config, 3)
    models = []
    for t in range(count):  # the tasks' class rows differ, as two tasks' classes do
        model = copy.deepcopy(base)
        with torch.no_grad():
            model.head.cls_logits.bias.add_(0.1 * t)
        models.append(model)
    supports = [letter_samples(6, seed=10 + t) for t in range(count)]
    return models, supports


def _class_layer(model):
    layer = model.head.cls_logits
    return {"bias": float(layer.bias.detach().sum()), "weight": float(layer.weight.detach().norm())}


def _rates(model, layer_keys, value):
    return {k: torch.full_like(p, value) for k, p in model.named_parameters() if k in layer_keys}


# Adam over all layers of a random-init detector is left out: its weights before a GroupNorm get
# gradients that are mostly rounding noise, which Adam scales up to lr-sized steps, so two correct
# computations part by several lr there (adapt() against itself with other kernels would too)
@pytest.mark.parametrize(
    "optimizer,layers,class_init",
    [
        ("sgd", "all", "model"),
        ("adam", "head", "model"),
        ("adam", "classifier", "model"),
        ("metasgd", "classifier", "model"),
        ("adam", "classifier", "prototype"),
    ],
)
def test_tasks_adapted_together_match_tasks_adapted_alone(
    tiny_config, letter_samples, optimizer, layers, class_init
):
    models, supports = _tasks(tiny_config, letter_samples)
    alone = [copy.deepcopy(m) for m in models]
    initial = [copy.deepcopy(m) for m in models]
    routines = [
        UpdateRoutine(
            optimizer=optimizer,
            lr=1e-3 if optimizer == "adam" else 1e-2,
            steps=6,
            batch_size=4,
            early_stopping=False,
            checkpoints=[0, 3, 6],
            train_layers=layers,
            class_init=class_init,
            seed=t,
        )
        for t in range(len(models))
    ]
    keys = {"head.cls_logits.weight", "head.cls_logits.bias"}
    lrs = (
        [_rates(m, keys, 0.02 * (t + 1)) for t, m in enumerate(models)]
        if optimizer == "metasgd"
        else None
    )
    seen = []

    def evaluate(t, model):
        seen.append(t)
        return _class_layer(model)

    together = adapt_tasks(models, supports, routines, evaluate=evaluate, lrs=lrs)
    assert seen == [0, 1] * 3  # each task's model at each checkpoint
    for t, (model, reference) in enumerate(zip(models, alone, strict=True)):
        single = adapt(
            reference, supports[t], routines[t], lrs=lrs[t] if lrs else None, evaluate=_class_layer
        )
        assert [s for s, _ in together[t].loss_curve] == list(range(1, 7))
        assert [v for _, v in together[t].loss_curve] == pytest.approx(
            [v for _, v in single.loss_curve], rel=1e-3, abs=1e-4
        )
        assert [c["step"] for c in together[t].checkpoints] == [0, 3, 6]
        for point, alone_point in zip(together[t].checkpoints, single.checkpoints, strict=True):
            assert point["metrics"] == pytest.approx(alone_point["metrics"], abs=1e-4)
        # step 0 is the start of the first step: a prototype start has moved the class layer
        start = together[t].checkpoints[0]["metrics"]
        assert (start == pytest.approx(_class_layer(initial[t]), abs=1e-6)) == (
            class_init == "model"
        )
        if layers != "all":  # all layers: one step is compared element-wise below
            _assert_same_weights(model, reference, initial[t])
    # the two tasks really adapted apart: different data, seeds and (Meta-SGD) rates
    assert not torch.allclose(models[0].head.cls_logits.weight, models[1].head.cls_logits.weight)


def _assert_same_weights(model, reference, initial):
    moved = set()
    for (name, p), q, p0 in zip(
        model.named_parameters(), reference.parameters(), initial.parameters(), strict=True
    ):
        if torch.equal(q, p0):
            assert torch.equal(p, p0), f"{name} is not adapted alone, but moved together"
            continue
        moved.add(name)
        # equal up to rounding (batched kernels sum in another order): within 1% of the update
        assert (p - q).abs().max() <= 1e-2 * (q - p0).abs().max(), name
    assert "head.cls_logits.weight" in moved and not model.training


def test_one_sgd_step_on_all_layers_of_tasks_together_matches_tasks_alone(
    tiny_config, letter_samples
):
    # Over several SGD steps on all layers of this random-init detector the rounding of batched
    # kernels grows: on one CPU the second task's weights parted by ~0.3% of the update after one
    # step and ~20% after six, while its loss curve stayed within 0.1% (checked above); the first
    # task's stayed within 0.01%. How far a task parts follows its data, not its place in the
    # batch: three tasks in every order parted by the same amounts (1 thread, one step: 3.0e-4,
    # 2.1e-4, 3.0e-4; six steps: 6.7e-3, 6.6e-4, 1.1e-2), and with 2 threads only the third task's
    # changed (1.4e-3) — rounding amplified by each task's own trajectory, not a task mixed up
    # with another. One step is what the update rule decides, so it is compared here.
    models, supports = _tasks(tiny_config, letter_samples)
    alone = [copy.deepcopy(m) for m in models]
    initial = [copy.deepcopy(m) for m in models]
    routines = [
        UpdateRoutine(
            optimizer="sgd",
            lr=1e-2,
            steps=1,
            batch_size=4,
            early_stopping=False,
            checkpoints=[],
            train_layers="all",
            seed=t,
        )
        for t in range(len(models))
    ]
    adapt_tasks(models, supports, routines, evaluate=lambda t, m: {})
    for t, (model, reference) in enumerate(zip(models, alone, strict=True)):
        adapt(reference, supports[t], routines[t])
        _assert_same_weights(model, reference, initial[t])


def test_tasks_adapted_together_share_a_routine_without_early_stopping(tiny_config, letter_samples):
    models, supports = _tasks(tiny_config, letter_samples)
    with pytest.raises(ValueError, match="share one routine"):
        adapt_tasks(
            models,
            supports,
            [
                UpdateRoutine(steps=2, early_stopping=False),
                UpdateRoutine(steps=3, early_stopping=False),
            ],
        )
    with pytest.raises(ValueError, match="early stopping"):
        adapt_tasks(models, supports, [UpdateRoutine(steps=2)] * 2)
    with pytest.raises(ValueError, match="learned learning rates"):
        adapt_tasks(
            models,
            supports,
            [UpdateRoutine(optimizer="metasgd", steps=2, early_stopping=False)] * 2,
        )
