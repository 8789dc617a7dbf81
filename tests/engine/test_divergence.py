"""The divergence guard: a run whose loss goes non-finite or explodes stops, keeps the weights
that scored the lowest loss, and says so."""

import math

import pytest
import torch

from worker.engine.detector import DenseDetector, total_loss
from worker.engine.routine import DivergenceGuard, UpdateRoutine, adapt
from worker.engine.samples import encode_samples

CLASSES = ["A", "B", "C"]


def _loss(model, data) -> float:
    model.train()
    with torch.no_grad():
        value = float(total_loss(model(data.images, data.targets)))
    model.eval()
    return value


def _weights(model) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def test_the_guard_stops_at_a_non_finite_loss_or_a_thousand_times_the_lowest():
    guard = DivergenceGuard()
    assert guard.update(1, 1e6) == (True, None)  # step 1: only a non-finite loss diverges
    assert guard.update(2, 2.0) == (True, None)
    assert guard.update(3, 1999.0) == (False, None)  # 999.5 times the lowest: noisy, not diverged
    assert guard.best == 2.0 and guard.best_step == 2
    is_lowest, reason = guard.update(4, 2001.0)
    assert not is_lowest and reason == (
        "the loss jumped to 2001 at step 4, more than 1000 times the lowest so far (2 at step 2)"
    )
    for bad in (math.nan, math.inf, -math.inf):
        assert guard.update(5, bad) == (False, f"the loss became non-finite ({bad}) at step 5")
    assert guard.best == 2.0 and guard.best_step == 2  # diverging losses are not recorded


@pytest.mark.parametrize("early_stopping", [False, True])
def test_sgd_at_lr_1e4_diverges_and_keeps_the_initial_weights(
    tiny_config, letter_samples, early_stopping
):
    samples = letter_samples(4)
    data = encode_samples(samples, len(CLASSES), tiny_config)
    model = DenseDetector(tiny_config, len(CLASSES))
    initial, initial_loss = _weights(model), _loss(model, data)
    routine = UpdateRoutine(
        optimizer="sgd", lr=1e4, steps=10, batch_size=4, early_stopping=early_stopping
    )
    result = adapt(model, samples, routine)

    # step 1 (loss 2.58) is applied; step 2 measures 3.7e8, more than 1000 times it, and stops
    assert result.diverged and not result.stopped_early
    assert result.steps_run == 1 and result.best_step == 0
    assert [s for s, _ in result.loss_curve] == [1, 2]
    first, jump = result.loss_curve[0][1], result.loss_curve[1][1]
    assert first == pytest.approx(initial_loss, rel=1e-5) and jump > 1000 * first
    assert result.stop_reason == (
        f"the loss jumped to {jump:.4g} at step 2, more than 1000 times the lowest so far "
        f"({first:.4g} at step 1) (SGD lr 10000); the initial weights, whose loss was "
        f"{first:.4g} (at step 1), are kept"
    )
    # the model is the one the run started from, bit for bit, and its loss is finite
    assert all(torch.equal(initial[k], v) for k, v in model.state_dict().items())
    loss = _loss(model, data)
    assert math.isfinite(loss) and loss == pytest.approx(initial_loss, rel=1e-6)
    assert result.final_loss == pytest.approx(loss, rel=1e-4)
    assert all(p.requires_grad for p in model.parameters()) and not model.training


def test_a_non_finite_loss_restores_the_lowest_weights_so_far(tiny_config, letter_samples):
    """A run that went well for four steps, then broke (here: a weight set to NaN after step
    4): the weights after step 3, which scored the lowest loss (at step 4), come back."""
    samples = letter_samples(4)
    data = encode_samples(samples, len(CLASSES), tiny_config)
    model = DenseDetector(tiny_config, len(CLASSES))
    after: dict[int, dict[str, torch.Tensor]] = {}

    def poison_after_step_4(step, steps, loss):
        after[step] = _weights(model)
        if step == 4:
            with torch.no_grad():
                model.head.cls_logits.bias[0] = math.nan

    routine = UpdateRoutine(optimizer="adam", lr=2e-3, steps=10, batch_size=4)
    result = adapt(model, samples, routine, progress=poison_after_step_4)

    losses = [v for _, v in result.loss_curve]
    assert len(losses) == 4 and losses == sorted(losses, reverse=True)  # falling, then NaN
    assert result.diverged and result.steps_run == 4 and result.best_step == 3
    assert result.stop_reason == (
        "the loss became non-finite (nan) at step 5 (Adam lr 0.002); the weights after step 3, "
        f"whose loss was {losses[3]:.4g} (at step 4), are kept"
    )
    assert all(torch.equal(after[3][k], v) for k, v in model.state_dict().items())
    assert _loss(model, data) == pytest.approx(losses[3], rel=1e-4)


def test_a_normal_run_does_not_diverge(tiny_config, letter_samples):
    model = DenseDetector(tiny_config, len(CLASSES))
    routine = UpdateRoutine(optimizer="adam", lr=1e-3, steps=10, batch_size=4)
    result = adapt(model, letter_samples(4), routine)
    assert not result.diverged and result.stop_reason is None
    assert result.steps_run == 10 and len(result.loss_curve) == 10
    assert all(math.isfinite(p.abs().max().item()) for p in model.parameters())
