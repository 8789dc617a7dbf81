"""Each meta-learner's update against its formula, on a toy model small enough to do by hand."""

import pytest
import torch

from worker.engine.detector import DenseDetector
from worker.engine.meta.learners import (
    FOMAML,
    LR_PREFIX,
    MAML,
    FunctionalLoss,
    InnerLoop,
    JointTraining,
    MetaSGD,
    Reptile,
    TaskBatch,
    expand_class_head,
    inner_adapt,
)
from worker.engine.routine import prototype_class_head
from worker.engine.samples import encode_samples

W, B, A = "head.cls_logits.weight", "head.cls_logits.bias", "trunk.A"
WAYS, DIM, ALPHA = 3, 4, 0.1


def toy_loss(params, x, targets):
    """Linear 'detector': features x @ A, one output per class from the (replicated) head."""
    pred = (x @ params[A]) @ params[W].T + params[B]
    return ((pred - targets["y"]) ** 2).mean() + 0.1 * (pred**4).mean()  # non-quadratic term


def make_task(seed):
    g = torch.Generator().manual_seed(seed)
    return (
        torch.randn(6, DIM, generator=g),
        {"y": torch.randn(6, WAYS, generator=g)},
        torch.randn(5, DIM, generator=g),
        {"y": torch.randn(5, WAYS, generator=g)},
    )


@pytest.fixture
def meta():
    g = torch.Generator().manual_seed(0)
    return {
        A: torch.randn(DIM, DIM, generator=g) * 0.5,
        W: torch.randn(1, DIM, generator=g) * 0.5,
        B: torch.zeros(1),
    }


INNER = InnerLoop(steps=1, lr=ALPHA, optimizer="sgd", batch_size=6)
ALL = torch.arange(6)[None]  # one inner step over all six support examples


def manual_inner(theta, sx, sy, create_graph=False, lrs=None):
    """θ' = θ_task − α ∇L_s(θ_task), written out with torch.autograd."""
    task = expand_class_head(theta, WAYS)
    grads = torch.autograd.grad(
        toy_loss(task, sx, sy), list(task.values()), create_graph=create_graph
    )
    step = {k: (lrs[k] if lrs else ALPHA) * g for k, g in zip(task, grads, strict=True)}
    return {k: task[k] - step[k] for k in task}, dict(zip(task, grads, strict=True))


def test_reptile_gradient_is_theta_minus_adapted_theta(meta):
    sx, sy, _, _ = make_task(1)
    got, _ = Reptile(INNER).task_gradient(toy_loss, meta, WAYS, sx, sy, ALL, None, None)
    adapted, _ = manual_inner({k: v.clone().requires_grad_() for k, v in meta.items()}, sx, sy)
    expected = {
        A: meta[A] - adapted[A],
        W: meta[W] - adapted[W].mean(0, keepdim=True),
        B: meta[B] - adapted[B].mean(0, keepdim=True),
    }
    for k in meta:
        assert torch.allclose(got[k], expected[k].detach(), atol=1e-6), k


def test_joint_training_is_reptile_with_one_inner_step():
    assert JointTraining(InnerLoop(steps=10)).inner.steps == 1


def test_fomaml_gradient_is_the_query_gradient_at_the_adapted_weights(meta):
    sx, sy, qx, qy = make_task(2)
    got, _ = FOMAML(INNER).task_gradient(toy_loss, meta, WAYS, sx, sy, ALL, qx, qy)
    adapted, _ = manual_inner({k: v.clone().requires_grad_() for k, v in meta.items()}, sx, sy)
    leaves = {k: v.detach().requires_grad_() for k, v in adapted.items()}
    grads = dict(
        zip(
            leaves,
            torch.autograd.grad(toy_loss(leaves, qx, qy), list(leaves.values())),
            strict=True,
        )
    )
    assert torch.allclose(got[A], grads[A], atol=1e-6)
    assert torch.allclose(
        got[W], grads[W].sum(0, keepdim=True), atol=1e-6
    )  # adjoint of replication


def test_maml_differentiates_through_the_inner_loop_and_differs_from_fomaml(meta):
    sx, sy, qx, qy = make_task(3)
    got, _ = MAML(INNER).task_gradient(toy_loss, meta, WAYS, sx, sy, ALL, qx, qy)
    theta = {k: v.clone().requires_grad_() for k, v in meta.items()}
    adapted, _ = manual_inner(theta, sx, sy, create_graph=True)
    expected = dict(
        zip(
            theta, torch.autograd.grad(toy_loss(adapted, qx, qy), list(theta.values())), strict=True
        )
    )
    for k in meta:
        assert torch.allclose(got[k], expected[k], atol=1e-5), k
    first_order, _ = FOMAML(INNER).task_gradient(toy_loss, meta, WAYS, sx, sy, ALL, qx, qy)
    # the second-order term (I − αH) makes MAML's gradient differ wherever the loss is curved
    assert (got[A] - first_order[A]).abs().max() > 1e-3


def test_metasgd_learns_per_parameter_rates_with_the_right_gradient(meta):
    sx, sy, qx, qy = make_task(4)
    learner = MetaSGD(INNER)
    meta_full = learner.init_meta_params(meta)
    assert torch.all(meta_full[LR_PREFIX + A] == ALPHA)
    got, _ = learner.task_gradient(toy_loss, meta_full, WAYS, sx, sy, ALL, qx, qy)
    theta = {k: v.clone().requires_grad_() for k, v in meta.items()}
    lrs = {k: meta_full[LR_PREFIX + k].clone().requires_grad_() for k in meta}
    adapted, _ = manual_inner(theta, sx, sy, create_graph=True, lrs=expand_class_head(lrs, WAYS))
    q = toy_loss(adapted, qx, qy)
    grad_lr = dict(
        zip(lrs, torch.autograd.grad(q, list(lrs.values()), retain_graph=True), strict=True)
    )
    for k in meta:
        assert torch.allclose(got[LR_PREFIX + k], grad_lr[k], atol=1e-5), k
    # dL/dα = −∇L_s(θ) ⊙ ∇L_q(θ') for the unshared parameter
    _, inner_grads = manual_inner({k: v.clone().requires_grad_() for k, v in meta.items()}, sx, sy)
    leaves = {k: v.detach().requires_grad_() for k, v in adapted.items()}
    query_grads = dict(
        zip(
            leaves,
            torch.autograd.grad(toy_loss(leaves, qx, qy), list(leaves.values())),
            strict=True,
        )
    )
    assert torch.allclose(got[LR_PREFIX + A], -inner_grads[A] * query_grads[A], atol=1e-5)


@pytest.mark.parametrize("learner_cls", [Reptile, FOMAML, MAML])
def test_vmapped_meta_batch_equals_the_mean_of_single_tasks(meta, learner_cls):
    learner = learner_cls(INNER)
    tasks = [make_task(s) for s in (5, 6)]
    batch = TaskBatch(
        WAYS,
        torch.stack([t[0] for t in tasks]),
        {"y": torch.stack([t[1]["y"] for t in tasks])},
        torch.stack([ALL, ALL]),
        torch.stack([t[2] for t in tasks]),
        {"y": torch.stack([t[3]["y"] for t in tasks])},
    )
    batched, _ = learner.meta_gradient(toy_loss, meta, batch)
    sequential, _ = learner.meta_gradient(toy_loss, meta, batch, task_chunk=0)  # no vmap
    singles = [
        learner.task_gradient(toy_loss, meta, WAYS, t[0], t[1], ALL, t[2], t[3])[0] for t in tasks
    ]
    for k in meta:
        assert torch.allclose(batched[k], (singles[0][k] + singles[1][k]) / 2, atol=1e-5), k
        assert torch.allclose(sequential[k], batched[k], atol=1e-5), k


def test_head_only_inner_loop_leaves_the_trunk_but_fomaml_still_trains_it(meta):
    sx, sy, qx, qy = make_task(7)
    head_only = InnerLoop(steps=1, lr=ALPHA, optimizer="sgd", batch_size=6, train_layers="head")
    reptile, _ = Reptile(head_only).task_gradient(toy_loss, meta, WAYS, sx, sy, ALL, None, None)
    assert torch.count_nonzero(reptile[A]) == 0 and torch.count_nonzero(reptile[W]) > 0
    fomaml, _ = FOMAML(head_only).task_gradient(toy_loss, meta, WAYS, sx, sy, ALL, qx, qy)
    assert torch.count_nonzero(fomaml[A]) > 0  # the query loss reaches the fixed trunk


@pytest.fixture
def detector_task(tiny_config, letter_samples):
    """A real (tiny) detector and one 2-way task: support and query images with targets."""
    torch.manual_seed(0)
    model = DenseDetector(tiny_config, 1)
    support = encode_samples(letter_samples(4, seed=1, classes=["A", "B"]), 2, tiny_config)
    query = encode_samples(letter_samples(2, seed=2, classes=["A", "B"]), 2, tiny_config)
    meta = {k: v.detach().clone() for k, v in model.named_parameters()}
    return FunctionalLoss(model), meta, support, query


def test_classifier_inner_loop_adapts_only_the_class_layer(detector_task):
    loss, meta, support, query = detector_task
    inner = InnerLoop(steps=3, lr=1e-2, batch_size=2, train_layers="classifier")
    indices = torch.tensor([[0, 1], [2, 3], [1, 2]])
    adapted, _ = inner_adapt(
        loss,
        expand_class_head(meta, 2),
        support.images,
        support.targets,
        indices,
        inner,
        first_order=True,
    )
    task = expand_class_head(meta, 2)
    changed = {k for k in adapted if not torch.equal(adapted[k], task[k])}
    assert changed == {W, B}
    # one step by hand on the full model (nothing cached): Adam's first step is lr·g/(|g|+ε)
    frozen = {k: v for k, v in task.items() if k not in (W, B)}
    idx = indices[0]
    grads = torch.func.grad(
        lambda p: loss(
            {**frozen, **p}, support.images[idx], {k: v[idx] for k, v in support.targets.items()}
        )
    )({W: task[W], B: task[B]})
    one_step, _ = inner_adapt(
        loss, task, support.images, support.targets, indices[:1], inner, first_order=True
    )
    for k in (W, B):
        expected = task[k] - inner.lr * grads[k] / (grads[k].abs() + inner.eps)
        assert torch.allclose(one_step[k], expected, atol=1e-6), k


def test_classifier_maml_reaches_the_trunk_through_the_support_maps(detector_task):
    loss, meta, support, query = detector_task
    inner = InnerLoop(steps=2, lr=1e-2, optimizer="sgd", batch_size=2, train_layers="classifier")
    indices = torch.tensor([[0, 1], [2, 3]])
    args = (loss, meta, 2, support.images, support.targets, indices, query.images, query.targets)
    maml, _ = MAML(inner).task_gradient(*args)
    fomaml, _ = FOMAML(inner).task_gradient(*args)
    trunk = "trunk.stem.0.weight"
    assert torch.count_nonzero(maml[trunk]) > 0 and torch.count_nonzero(fomaml[trunk]) > 0
    # second order: the support maps' dependence on the trunk adds to the query gradient
    assert not torch.allclose(maml[trunk], fomaml[trunk], atol=1e-7)
    assert maml[W].shape == meta[W].shape  # the adjoint of the replicated class row


def test_second_order_through_adam_stays_finite_where_a_gradient_is_exactly_zero(meta):
    """√v has an infinite derivative at v = 0; MAML through Adam must not turn that into NaN."""
    sx, sy, qx, qy = make_task(11)
    adam = InnerLoop(steps=2, lr=1e-2, optimizer="adam", batch_size=6)
    zeroed = {
        **meta,
        A: torch.zeros_like(meta[A]),
    }  # x @ 0: the head's weight gradient is exactly 0
    grads, _ = MAML(adam).task_gradient(
        toy_loss, zeroed, WAYS, sx, sy, torch.cat([ALL, ALL]), qx, qy
    )
    assert all(torch.isfinite(g).all() for g in grads.values())
    assert torch.count_nonzero(grads[A]) > 0


def test_a_prototype_start_is_the_routines_prototype_class_head(detector_task, tiny_config):
    """With ``class_init='prototype'`` the inner loop starts where an adaptation with the same
    key starts: the replicated row moved by :func:`prototype_class_head` (zero steps here)."""
    loss, meta, support, _ = detector_task
    inner = InnerLoop(steps=0, batch_size=2, train_layers="classifier", class_init="prototype")
    start, _ = inner_adapt(
        loss,
        expand_class_head(meta, 2),
        support.images,
        support.targets,
        torch.zeros((0, 2), dtype=torch.long),
        inner,
        first_order=True,
    )
    model = DenseDetector(tiny_config, 2)
    model.load_state_dict(
        {**model.state_dict(), **{k: v.clone() for k, v in expand_class_head(meta, 2).items()}}
    )
    prototype_class_head(model.eval(), support, scale=inner.class_init_scale)
    assert not torch.allclose(start[W][0], start[W][1])  # the rows now differ per class
    assert torch.allclose(start[W], model.head.cls_logits.weight, atol=1e-6)
    assert torch.allclose(start[B], model.head.cls_logits.bias, atol=1e-6)


@pytest.mark.parametrize("layers", ["classifier", "head"])
def test_fomaml_with_a_prototype_start_gets_the_exact_gradient_through_the_prototypes(
    detector_task, layers
):
    """With no inner step FOMAML is exact, so its meta-gradient must equal MAML's, which
    differentiates the query loss through the prototype start (Proto-MAML); without the
    prototypes' own path (the query gradient at the start alone) the pyramid's would differ."""
    loss, meta, support, query = detector_task
    inner = InnerLoop(steps=0, batch_size=2, train_layers=layers, class_init="prototype")
    args = (
        loss,
        meta,
        2,
        support.images,
        support.targets,
        torch.zeros((0, 2), dtype=torch.long),
        query.images,
        query.targets,
    )
    fomaml, _ = FOMAML(inner).task_gradient(*args)
    maml, _ = MAML(inner).task_gradient(*args)
    for k in meta:
        assert torch.allclose(fomaml[k], maml[k], rtol=1e-4, atol=1e-6), k
    start, _ = inner_adapt(
        loss,
        expand_class_head(meta, 2),
        support.images,
        support.targets,
        torch.zeros((0, 2), dtype=torch.long),
        inner,
        first_order=True,
    )
    at_start = torch.func.grad(loss)(start, query.images, query.targets)
    tower = "head.tower.0.weight"
    assert not torch.allclose(at_start[tower], fomaml[tower], rtol=1e-3, atol=1e-6)


def test_inner_loop_rejects_an_unknown_class_init():
    with pytest.raises(ValueError, match="class_init"):
        InnerLoop(class_init="imprint")
