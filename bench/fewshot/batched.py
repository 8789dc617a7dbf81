"""Adapt several tasks in one batched computation (the few-shot benchmark on a GPU).

Description:
    A small detector on a GPU is bound by kernel launches: one task's adaptation step costs
    about what eight tasks' cost in one call. :func:`adapt_tasks` stacks the tasks' weights
    (T, …) and runs every step for all of them in one ``torch.func.vmap`` call — each task with
    its own weights, images and batches — which the static-shape detector allows.

    It is :func:`~worker.engine.routine.adapt` without early stopping: the same batches from the
    same seeds (:func:`~worker.engine.routine.batch_indices`), the same layers, and the same
    updates (Adam with β1 = 0, SGD, or Meta-SGD's learned rates), so a task adapted with others
    matches it adapted alone up to floating-point rounding (tested).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import torch
from torch import Tensor
from torch.func import grad_and_value, vmap

from worker.engine.detector import DenseDetector
from worker.engine.meta.learners import FunctionalLoss, InnerLoop, inner_step
from worker.engine.routine import (
    AdaptResult,
    UpdateRoutine,
    batch_indices,
    check_rates,
    frozen_cache,
    prototype_class_head,
)
from worker.engine.samples import EncodedSet, Inputs, Sample, encode_samples, take

Params = dict[str, Tensor]
TaskEvaluateFn = Callable[[int, DenseDetector], dict]


def _stack(parts: Sequence[Inputs]) -> Inputs:
    """Per-task inputs (a tensor, a tuple of tensors or a dict) stacked on a new task dimension,
    padded with zero rows to the longest task (no step index reaches the padding)."""
    first = parts[0]
    if isinstance(first, dict):
        return {k: _stack([p[k] for p in parts]) for k in first}
    if isinstance(first, (tuple, list)):
        return tuple(_stack([p[i] for p in parts]) for i in range(len(first)))
    longest = max(p.shape[0] for p in parts)
    return torch.stack(
        [torch.cat([p, p.new_zeros((longest - p.shape[0], *p.shape[1:]))]) for p in parts]
    )


def _rows(inputs: Inputs, index: Tensor) -> Inputs:
    """Rows ``index[t]`` of task ``t``'s inputs: (T, N, …) → (T, B, …)."""
    return take(inputs, (torch.arange(index.shape[0], device=index.device)[:, None], index))


def _shared_routine(routines: Sequence[UpdateRoutine]) -> UpdateRoutine:
    first = routines[0]
    common = lambda r: {**r.to_dict(), "seed": None}  # noqa: E731
    if any(common(r) != common(first) for r in routines):
        raise ValueError("tasks adapted together share one routine (all but its seed)")
    if first.early_stopping:
        raise ValueError(
            "early stopping decides per task when to stop: adapt_tasks runs without it"
        )
    return first


def adapt_tasks(
    models: Sequence[DenseDetector],
    supports: Sequence[Sequence[Sample] | EncodedSet],
    routines: Sequence[UpdateRoutine],
    evaluate: TaskEvaluateFn | None = None,
    lrs: Sequence[Params] | None = None,
    chunk_size: int | None = None,
) -> list[AdaptResult]:
    """Adapt ``models[t]`` to ``supports[t]`` following ``routines[t]``, all tasks in one batched
    computation per step; the models are updated in place, as :func:`~worker.engine.routine.adapt`
    updates one.

    Arguments:
        models: detectors of one architecture and class count (their weights may differ).
        routines: one per task, equal but for the seed, without early stopping.
        evaluate: called as ``evaluate(t, model)`` with task ``t``'s model at each checkpoint
            (step 0: before the first step, after the class layer's start).
        lrs: per-task learned rates for the ``metasgd`` optimizer.
        chunk_size: tasks per vmap call (memory); None for all at once.

    Example:
        >>> results = adapt_tasks([m1, m2], [support1, support2],
        ...                       [UpdateRoutine(steps=10, early_stopping=False, seed=s)
        ...                        for s in (0, 1)])
    """
    started = time.time()
    if not (len(models) == len(supports) == len(routines)) or not models:
        raise ValueError("give one model, support set and routine per task")
    routine = _shared_routine(routines)
    if routine.optimizer == "metasgd" and (lrs is None or len(lrs) != len(models)):
        raise ValueError("the metasgd optimizer needs each task's learned learning rates")
    template = models[0]
    device = next(template.parameters()).device
    data = [
        (s if isinstance(s, EncodedSet) else encode_samples(s, m.num_classes, m.config)).to(device)
        for s, m in zip(supports, models, strict=True)
    ]
    if len({min(routine.batch_size, len(d)) for d in data}) > 1:
        raise ValueError("tasks adapted together need the same images per step")

    # what each step reads: the images, or what the frozen layers make of them (once per image);
    # the class layer is not among them, so a prototype start can use the cached maps
    inputs = []
    for model, task_data in zip(models, data, strict=True):
        cache = frozen_cache(model, task_data, routine.train_layers)
        if cache is None and routine.train_layers != "all":
            raise ValueError("a task's frozen maps exceed the cache budget: adapt it alone")
        if routine.class_init == "prototype":  # each task's class layer from its own support set
            prototype_class_head(
                model,
                task_data,
                routine.class_init_scale,
                cache["features"] if isinstance(cache, dict) else None,
            )
        inputs.append(task_data.images if cache is None else cache)
    inputs = _stack(inputs)
    checkpoints: list[list[dict]] = [[] for _ in models]
    if 0 in routine.checkpoints and evaluate is not None:  # where the first step starts
        for t, model in enumerate(models):
            checkpoints[t].append({"step": 0, "metrics": evaluate(t, model)})
    targets = _stack([d.targets for d in data])

    # which parameters adapt, and how (Adam's β2 and ε are torch.optim.Adam's, as adapt() uses)
    inner = InnerLoop(train_layers=routine.train_layers, optimizer=routine.optimizer, lr=routine.lr)
    per_task = [dict(m.named_parameters()) for m in models]
    stacked = {k: torch.stack([params[k].detach() for params in per_task]) for k in per_task[0]}
    fast = {k: v for k, v in stacked.items() if inner.adapts(k)}
    frozen = {k: v for k, v in stacked.items() if not inner.adapts(k)}
    rates = None
    if routine.optimizer == "metasgd":
        for task_lrs in lrs:
            check_rates(task_lrs, list(fast))
        rates = {k: torch.stack([task_lrs[k] for task_lrs in lrs]) for k in fast}

    loss = FunctionalLoss(template)  # puts the template in training mode

    def task_loss(
        fast_params: Params, frozen_params: Params, x: Inputs, y: dict[str, Tensor]
    ) -> Tensor:
        params = {**frozen_params, **fast_params}
        if routine.train_layers == "classifier":
            return loss.classifier_loss(params, x, y)
        return loss(params, x, y)

    step_fn = vmap(grad_and_value(task_loss), chunk_size=chunk_size)
    orders = [
        batch_indices(len(d), routine.batch_size, routine.steps, r.seed)
        for d, r in zip(data, routines, strict=True)
    ]
    second = {k: torch.zeros_like(v) for k, v in fast.items()}
    losses: list[Tensor] = []

    def load(t: int) -> DenseDetector:
        with torch.no_grad():
            for k, p in models[t].named_parameters():
                p.copy_(fast[k][t] if k in fast else frozen[k][t])
        return models[t]

    with torch.no_grad():  # torch.func.grad still differentiates inside
        for step in range(1, routine.steps + 1):
            index = torch.stack([next(order) for order in orders]).to(device)
            grads, values = step_fn(fast, frozen, _rows(inputs, index), _rows(targets, index))
            losses.append(values)
            fast, second = inner_step(fast, grads, second, step, inner, rates)
            if step in routine.checkpoints and evaluate is not None:
                for t in range(len(models)):
                    checkpoints[t].append({"step": step, "metrics": evaluate(t, load(t))})
                template.train()  # the functional loss computes in training mode
        for t in range(len(models)):
            load(t).eval()

    curves = torch.stack(losses).T.tolist() if losses else [[] for _ in models]
    seconds = round((time.time() - started) / len(models), 3)
    results = []
    for t, curve in enumerate(curves):
        tail = curve[-routine.window :]
        results.append(
            AdaptResult(
                steps_run=routine.steps,
                best_step=routine.steps,
                stopped_early=False,
                final_loss=round(sum(tail) / len(tail), 5) if tail else None,
                loss_curve=[(s, round(v, 5)) for s, v in enumerate(curve, start=1)],
                checkpoints=checkpoints[t],
                seconds=seconds,
            )
        )
    return results
