"""The update routine: how a model adapts to a project's annotated images.

Description:
    :class:`UpdateRoutine` is what an adapt job runs — optimizer (Adam with β1 = 0 as in the
    thesis, or SGD), learning rate, steps, batch size, which layers train, early stopping and the
    steps at which metrics are taken. :func:`adapt` runs it on a detector in place.

    Early stopping follows the thesis: keep the running mean of the last 30 losses; when it
    reaches twice the lowest running mean seen, stop and restore the weights from that lowest
    point.

    A divergence guard runs whether or not early stopping is on (:class:`DivergenceGuard`): a
    step whose loss is not finite, or more than 1000 times the lowest loss so far, is not
    applied; the run stops there, the weights that scored the lowest loss (the initial ones if
    none scored lower) are restored, and the result says so (``diverged``, ``stop_reason``).
"""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field

import torch
from torch import Tensor

from contracts.defaults import (
    CLASS_INITS,
    OPTIMIZERS,
    ROUTINE_DEFAULTS,
    TRAIN_LAYERS,
    resolve_checkpoints,
)

from .detector import DenseDetector, detection_losses, total_loss
from .samples import EncodedSet, Sample, encode_samples, take, working_scale

# an adaptation with frozen layers computes their outputs once per image, within this budget
FROZEN_CACHE_BYTES = 1 << 30
# a loss this many times the lowest one so far means the run diverged (DivergenceGuard)
DIVERGENCE_FACTOR = 1000.0


class Cancelled(Exception):
    """Raised by a progress callback to stop an adaptation that was cancelled."""


def routine_default(name: str):
    """A routine field's default, from ``contracts.defaults``: the one place it is written."""
    return ROUTINE_DEFAULTS[name]


@dataclass
class UpdateRoutine:
    """Parameters of one adaptation (docs/contracts.md §3): the fields of the contract's routine,
    with its defaults (``contracts.defaults``), and the early-stopping window. Unlike a job's
    routine it may run 0 steps. Checkpoints left empty are the contract's (after 10 steps and at
    the end)."""

    optimizer: str = routine_default("optimizer")
    lr: float = routine_default("lr")
    steps: int = routine_default("steps")
    batch_size: int = routine_default("batch_size")
    early_stopping: bool = routine_default("early_stopping")
    checkpoints: list[int] = field(default_factory=list)
    train_layers: str = routine_default("train_layers")
    seed: int = routine_default("seed")
    window: int = 30  # the running mean of early stopping (the thesis' 30): not a job's choice
    # the class layer before the first step: the model's rows as loaded (``model``), or moved
    # towards each class's prototype in the support set (``prototype``,
    # :func:`prototype_class_head`)
    class_init: str = routine_default("class_init")
    class_init_scale: float = routine_default("class_init_scale")

    def __post_init__(self) -> None:
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {OPTIMIZERS}, not {self.optimizer!r}")
        if self.train_layers not in TRAIN_LAYERS:
            raise ValueError(
                f"train_layers must be one of {TRAIN_LAYERS}, not {self.train_layers!r}"
            )
        if self.class_init not in CLASS_INITS:
            raise ValueError(f"class_init must be one of {CLASS_INITS}, not {self.class_init!r}")
        if not (self.class_init_scale >= 0 and math.isfinite(self.class_init_scale)):
            raise ValueError("class_init_scale must be a number ≥ 0")
        if not (self.lr > 0 and math.isfinite(self.lr)):
            raise ValueError("lr must be a positive number")
        if self.steps < 0 or self.batch_size < 1 or self.window < 1:
            raise ValueError("steps must be ≥ 0, batch_size and window ≥ 1")
        # step 0: the model the first step starts from (after the class layer's start)
        self.checkpoints = resolve_checkpoints(self.checkpoints, self.steps)

    @classmethod
    def from_dict(cls, data: dict) -> UpdateRoutine:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class AdaptResult:
    """What :func:`adapt` did.

    Attributes:
        steps_run: the optimizer steps applied (a diverging step is not applied).
        best_step: the optimizer steps behind the weights kept (0: the initial weights).
        stopped_early: early stopping ended the run.
        final_loss: the mean of the last ``window`` losses; for a diverged run the loss of the
            weights kept.
        loss_curve: ``(step, loss)`` per step, the loss measured before that step's update;
            a diverging step's loss is in it when finite.
        checkpoints: ``{"step", "metrics"}`` per checkpoint step reached.
        seconds: wall-clock time.
        diverged: the divergence guard stopped the run and restored the best weights.
        stop_reason: why the run stopped before its last step (a sentence), else None.
    """

    steps_run: int
    best_step: int
    stopped_early: bool
    final_loss: float | None
    loss_curve: list[tuple[int, float]]
    checkpoints: list[dict]
    seconds: float
    diverged: bool = False
    stop_reason: str | None = None


ProgressFn = Callable[[int, int, float], None]
EvaluateFn = Callable[[DenseDetector], dict]


class PerParameterSGD(torch.optim.Optimizer):
    """SGD with a learned learning-rate tensor per parameter (Meta-SGD's inner step)."""

    def __init__(self, params: Sequence[Tensor], lrs: Sequence[Tensor]):
        super().__init__(
            [{"params": [p], "lr_tensor": lr} for p, lr in zip(params, lrs, strict=True)], {}
        )

    @torch.no_grad()
    def step(self, closure=None):  # noqa: D102
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    p.sub_(group["lr_tensor"] * p.grad)


def make_optimizer(
    model: DenseDetector,
    params: Sequence[Tensor],
    routine: UpdateRoutine,
    lrs: dict[str, Tensor] | None = None,
) -> torch.optim.Optimizer:
    if routine.optimizer == "adam":
        return torch.optim.Adam(params, lr=routine.lr, betas=(0.0, 0.999))
    if routine.optimizer == "metasgd":
        if lrs is None:
            raise ValueError("the metasgd optimizer needs a model with learned learning rates")
        names = {id(p): n for n, p in model.named_parameters()}
        check_rates(lrs, [names[id(p)] for p in params])
        return PerParameterSGD(params, [lrs[names[id(p)]] for p in params])
    return torch.optim.SGD(params, lr=routine.lr, momentum=0.0)


def check_rates(lrs: dict[str, Tensor], names: Sequence[str]) -> None:
    """Meta-SGD steps each weight by the rate learned for it: refuse weights without one."""
    missing = [n for n in names if n not in lrs]
    if missing:
        raise ValueError(
            f"this model learned rates for {len(lrs)} tensors only (e.g. {sorted(lrs)[0]}), "
            f"not for {missing[0]} and {len(missing) - 1} more: keep its preset's "
            "train_layers, or choose the adam or sgd optimizer"
        )


def trainable_parameters(model: DenseDetector, train_layers: str) -> list[Tensor]:
    """The parameters an adaptation updates: ``all``; ``head`` (the trunk is frozen); or
    ``classifier`` (only the class-logit layer — boxes and centre-ness stay as they are)."""
    for p in model.parameters():
        p.requires_grad_(train_layers != "classifier")
    if train_layers == "head":
        for p in model.trunk.parameters():
            p.requires_grad_(False)
    if train_layers == "classifier":
        for p in model.head.cls_logits.parameters():
            p.requires_grad_(True)
    return [p for p in model.parameters() if p.requires_grad]


Cache = dict[str, Tensor] | tuple[Tensor, ...]


def frozen_cache(
    model: DenseDetector, data: EncodedSet, train_layers: str, chunk: int = 32
) -> Cache | None:
    """What the frozen layers make of every image, computed once: the trunk's features (``head``)
    or the frozen maps (``classifier``); None when nothing is frozen or it exceeds the budget."""
    if train_layers == "all":
        return None
    compute = model.frozen_maps if train_layers == "classifier" else model.trunk
    parts = []
    with torch.no_grad():
        for start in range(0, len(data), chunk):
            out = compute(data.images[start : start + chunk])
            parts.append(out)
            tensors = list(out.values()) if isinstance(out, dict) else list(out)
            per_image = sum(t.numel() * t.element_size() for t in tensors) / tensors[0].shape[0]
            if per_image * len(data) > FROZEN_CACHE_BYTES:
                return None
    if isinstance(parts[0], dict):
        return {k: torch.cat([p[k] for p in parts]) for k in parts[0]}
    return tuple(torch.cat(level) for level in zip(*parts, strict=True))


def class_patch_sums(
    features: Tensor, cls: Tensor, layer: torch.nn.Conv2d
) -> tuple[Tensor, Tensor]:
    """Per class, the sum of the class layer's input patches over the class's positive locations
    (C, D·k·k), and how many locations that is (C,). ``features``: the head tower's maps
    (N, D, H, W); ``cls``: the one-hot class targets (N, C, H, W)."""
    patches = torch.nn.functional.unfold(
        features, layer.kernel_size, padding=layer.padding
    )  # (N, D·9, L)
    cls = cls.flatten(2).to(patches)
    return torch.einsum("ndl,ncl->cd", patches, cls), cls.sum((0, 2))


def imprint(
    weight: Tensor, bias: Tensor, sums: Tensor, counts: Tensor, scale: float
) -> tuple[Tensor, Tensor]:
    """The class layer's weight and bias moved towards the classes' prototypes (see
    :func:`prototype_class_head`). Pure and branch-free, so ``torch.func`` can differentiate it
    (Proto-MAML's gradient through the prototypes) and ``vmap`` it over tasks; a class without
    a positive location keeps its row, and with fewer than two such classes nothing moves."""
    present = (counts > 0).to(sums)
    known = present.sum().clamp(min=1)
    prototypes = sums / counts.clamp(min=1)[:, None].to(sums)
    centre = (prototypes * present[:, None]).sum(0) / known
    offsets = (prototypes - centre) * present[:, None]
    step = scale / (offsets.pow(2).sum() / known).clamp(min=1e-12)
    return weight + (step * offsets).view_as(weight), bias - step * (offsets @ centre)


@torch.no_grad()
def prototype_class_head(
    model: DenseDetector,
    data: EncodedSet,
    scale: float,
    features: Tensor | None = None,
    chunk: int = 32,
) -> None:
    """Move each class's row of the class layer towards the class's prototype (imprinting, as
    Proto-MAML initializes its output layer from prototypes), in place.

    The class layer is a 3×3 convolution over the head tower's ``features``, so a location's
    input is its 3×3 patch (D·9 values). ``p_c`` is the mean patch over the support set's
    positive locations of class ``c``, ``p̄`` the mean of the prototypes and ``d_c = p_c − p̄``.
    Row ``c`` gets ``s·d_c`` added to its weight and ``−s·d_c·p̄`` to its bias, i.e. its logit
    gains ``s·d_c·(x − p̄)``: positive near its own prototype, class-agnostic detection (the rows'
    common part) unchanged. ``s = scale / mean_c |d_c|²``, so at its own prototype a class's
    logit rises by ``scale`` on average. Classes without a positive location keep their row; with
    fewer than two such classes there is nothing to tell apart and the layer is unchanged.

    Arguments:
        features: the head tower's maps of ``data``'s images, where already computed.
    """
    layer = model.head.cls_logits
    sums = counts = 0
    for start in range(0, len(data), chunk):
        maps = (
            features[start : start + chunk]
            if features is not None
            else model.frozen_maps(data.images[start : start + chunk])["features"]
        )
        part_sums, part_counts = class_patch_sums(
            maps, data.targets["cls"][start : start + chunk], layer
        )
        sums, counts = sums + part_sums, counts + part_counts
    weight, bias = imprint(layer.weight, layer.bias, sums, counts, scale)
    layer.weight.copy_(weight)
    layer.bias.copy_(bias)


def step_loss(
    model: DenseDetector,
    images: Tensor,
    targets: dict[str, Tensor],
    train_layers: str,
    cache: Cache | None = None,
    index: Tensor | None = None,
) -> Tensor:
    """One step's training loss; with a cache the frozen layers are not run again."""
    cached = cache is not None and index is not None
    if train_layers == "head" and cached:
        return total_loss(model(take(cache, index), targets))  # trunk features as inputs
    if train_layers != "classifier":
        return total_loss(model(images, targets))
    if cached:
        frozen = take(cache, index)
    else:
        with torch.no_grad():
            frozen = model.frozen_maps(images)
    return total_loss(detection_losses(model.classify(frozen), targets, model.config.stride))


def batch_indices(count: int, batch_size: int, steps: int, seed: int) -> Iterator[Tensor]:
    """The image indices of each step: a seeded shuffle drawn without replacement, reshuffled
    (the epoch's remainder first) when it runs out; ``min(batch_size, count)`` per step."""
    generator = torch.Generator().manual_seed(seed)
    order = torch.randperm(count, generator=generator)
    cursor = 0
    for _ in range(steps):
        if cursor + batch_size > len(order):  # reshuffle per epoch
            order = torch.cat([order[cursor:], torch.randperm(count, generator=generator)])
            cursor = 0
        index = order[cursor : cursor + min(batch_size, count)]
        cursor += len(index)
        yield index


class EarlyStopping:
    """Running mean of the last ``window`` losses; stops at twice its minimum."""

    def __init__(self, window: int):
        self.window = window
        self.recent: list[float] = []
        self.best_mean = math.inf
        self.best_step = 0

    def update(self, step: int, loss: float) -> tuple[bool, bool]:
        """Record a loss; returns (new best, should stop)."""
        self.recent = (self.recent + [loss])[-self.window :]
        if len(self.recent) < self.window:
            return False, False
        mean = sum(self.recent) / len(self.recent)
        if mean < self.best_mean:
            self.best_mean, self.best_step = mean, step
            return True, False
        return False, mean >= 2 * self.best_mean


class DivergenceGuard:
    """Tells a diverging run from a noisy one: a loss that is not finite (NaN, ±infinity), or
    more than ``factor`` (1000) times the lowest loss seen so far, diverged. Step 1 can only
    diverge by a non-finite loss.

    Example:
        >>> guard = DivergenceGuard()
        >>> [guard.update(step, loss) for step, loss in [(1, 3.0), (2, 2.0), (3, 2500.0)]]
        [(True, None), (True, None), (False, 'the loss jumped to 2500 at step 3, ...')]
    """

    def __init__(self, factor: float = DIVERGENCE_FACTOR):
        self.factor = factor
        self.best = math.inf
        self.best_step = 0  # the step whose loss was the lowest (0: none yet)

    def update(self, step: int, loss: float) -> tuple[bool, str | None]:
        """Record the loss of ``step``; returns (it is the lowest so far, why the run diverged
        or None). A diverging loss is not recorded."""
        if not math.isfinite(loss):
            return False, f"the loss became non-finite ({loss}) at step {step}"
        if loss > self.factor * self.best:
            return False, (
                f"the loss jumped to {loss:.4g} at step {step}, more than {self.factor:g} times "
                f"the lowest so far ({self.best:.4g} at step {self.best_step})"
            )
        if loss < self.best:
            self.best, self.best_step = loss, step
            return True, None
        return False, None


def _describe(routine: UpdateRoutine) -> str:
    if routine.optimizer == "metasgd":
        return "Meta-SGD's learned rates"
    return f"{'SGD' if routine.optimizer == 'sgd' else 'Adam'} lr {routine.lr:g}"


def _divergence_reason(
    problem: str, routine: UpdateRoutine, guard: DivergenceGuard, kept: int
) -> str:
    """A diverged run's ``stop_reason``: what happened, with which optimizer, what is kept."""
    if not math.isfinite(guard.best):
        return f"{problem} ({_describe(routine)}): the initial weights are kept, unchanged"
    which = "the initial weights" if kept == 0 else f"the weights after step {kept}"
    return (
        f"{problem} ({_describe(routine)}); {which}, whose loss was {guard.best:.4g} "
        f"(at step {guard.best_step}), are kept"
    )


def _snapshot(params: Sequence[tuple[str, Tensor]]) -> dict[str, Tensor]:
    return {name: p.detach().clone() for name, p in params}


def adapt(
    model: DenseDetector,
    samples: Sequence[Sample] | EncodedSet,
    routine: UpdateRoutine,
    evaluate: EvaluateFn | None = None,
    progress: ProgressFn | None = None,
    lrs: dict[str, Tensor] | None = None,
    scale: float | None = None,
) -> AdaptResult:
    """Adapt ``model`` in place to ``samples`` following ``routine``.

    Arguments:
        samples: annotated images (class indices match the model's head), or an encoded set.
        evaluate: called with the model at each checkpoint step (step 0: before the first step,
            after the class layer's start); its dict is recorded.
        progress: called as ``progress(step, steps, loss)`` after every step; it may raise
            :class:`Cancelled`.
        lrs: per-parameter learning rates for the ``metasgd`` optimizer (from
            :func:`~worker.engine.model_io.learned_lrs`).
        scale: a ``tiles`` model's working scale (image → input pixels); by default derived from
            the samples' boxes (:func:`~worker.engine.samples.working_scale`). It is kept on the
            model (``model.working_scale``), which detects at it from then on.

    Divergence: a step's loss is measured before its update. When it is not finite, or more
    than 1000 times the lowest loss so far (:class:`DivergenceGuard`), that step is not applied,
    the run stops, and the weights that scored the lowest loss are restored (the initial ones,
    after the class layer's start, when no later weights scored lower); the result has
    ``diverged=True`` and a ``stop_reason``. Weights left non-finite by the last step are
    caught the same way. Early stopping, when on, still stops first when its rule fires.

    Raises: :class:`Cancelled` from ``progress``; ValueError for a routine the model cannot run
    (e.g. ``metasgd`` without ``lrs``).

    Example:
        >>> result = adapt(model, samples, UpdateRoutine(steps=10, lr=1e-3))
        >>> result.steps_run
        10
    """
    started = time.time()
    device = next(model.parameters()).device
    if model.config.scale_mode == "tiles" and (scale or not isinstance(samples, EncodedSet)):
        model.working_scale = scale or working_scale(samples, model.config)
    data = (
        samples
        if isinstance(samples, EncodedSet)
        else encode_samples(samples, model.num_classes, model.config, model.working_scale)
    )
    data = data.to(device)
    cache = frozen_cache(model, data, routine.train_layers)
    if routine.class_init == "prototype":
        prototype_class_head(
            model,
            data,
            routine.class_init_scale,
            cache["features"] if isinstance(cache, dict) else None,
        )
    optimizer = make_optimizer(
        model, trainable_parameters(model, routine.train_layers), routine, lrs
    )
    trained = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    stopper = EarlyStopping(routine.window) if routine.early_stopping else None
    guard = DivergenceGuard()
    # the trained weights that scored the lowest loss so far, before the step that measured it
    lowest = _snapshot(trained)
    best_state: dict[str, Tensor] | None = None
    curve: list[tuple[int, float]] = []
    checkpoints: list[dict] = []
    if 0 in routine.checkpoints and evaluate is not None:
        checkpoints.append({"step": 0, "metrics": evaluate(model)})
    step, stopped, problem = 0, False, None
    model.train()
    try:
        for step, index in enumerate(
            batch_indices(len(data), routine.batch_size, routine.steps, routine.seed), start=1
        ):
            index = index.to(device)
            images, targets = data.batch(index)
            loss = step_loss(model, images, targets, routine.train_layers, cache, index)
            value = float(loss.detach())
            is_lowest, problem = guard.update(step, value)
            if problem is not None:
                if math.isfinite(value):
                    curve.append((step, round(value, 5)))
                break
            if is_lowest and step > 1:
                lowest = _snapshot(trained)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            curve.append((step, round(value, 5)))
            if stopper is not None:
                is_best, stop = stopper.update(step, value)
                if is_best:
                    best_state = copy.deepcopy(model.state_dict())
                if stop:
                    stopped = True
                    break
            if step in routine.checkpoints and evaluate is not None:
                checkpoints.append({"step": step, "metrics": evaluate(model)})
                model.train()
            if progress is not None:
                progress(step, routine.steps, value)
    finally:
        for p in model.parameters():
            p.requires_grad_(True)
    steps_run = step if routine.steps else 0
    if problem is not None:
        steps_run = step - 1  # the step that diverged was not applied
    elif steps_run and not all(bool(torch.isfinite(p).all()) for _, p in trained):
        problem = f"the weights became non-finite at step {step}"
    if problem is not None:
        with torch.no_grad():
            for name, p in trained:
                p.copy_(lowest[name])
        model.eval()
        kept = max(guard.best_step - 1, 0)  # step k's loss is that of the weights after k-1
        return AdaptResult(
            steps_run=steps_run,
            best_step=kept,
            stopped_early=False,
            final_loss=round(guard.best, 5) if math.isfinite(guard.best) else None,
            loss_curve=curve,
            checkpoints=checkpoints,
            seconds=round(time.time() - started, 3),
            diverged=True,
            stop_reason=_divergence_reason(problem, routine, guard, kept),
        )
    if stopped and best_state is not None:
        model.load_state_dict(best_state)
    model.eval()
    tail = [loss for _, loss in curve[-routine.window :]]
    return AdaptResult(
        steps_run=steps_run,
        best_step=stopper.best_step if (stopped and stopper) else steps_run,
        stopped_early=stopped,
        final_loss=round(sum(tail) / len(tail), 5) if tail else None,
        loss_curve=curve,
        checkpoints=checkpoints,
        seconds=round(time.time() - started, 3),
        stop_reason=f"early stopping: the running mean of the last {routine.window} losses "
        f"reached twice its lowest (at step {stopper.best_step}), whose weights are kept"
        if stopped and stopper
        else None,
    )
