"""Meta-learners for the dense detector: Reptile, FOMAML, MAML, Meta-SGD and joint training.

Description:
    All learners share one functional core (``torch.func``): the detector's loss as a function
    of a parameter dict (:class:`FunctionalLoss`), an inner loop that adapts a parameter dict to
    a task's support images (:func:`inner_adapt`), and a per-task meta-gradient that
    ``torch.func.vmap`` batches over the tasks of a meta-batch — every task computes with its own
    weights in one call, which the static-shape detector allows.

    The class head is *shared*: the meta-parameters hold one class vector, replicated for the M
    classes of a task (:func:`expand_class_head`), so the learned initialization adapts to any
    number of classes. Gradients flow back through the replication (a sum over classes);
    Reptile's difference θ − θ' is averaged over the class copies (:func:`reduce_class_head`).

    =========  ==========================================================================
    learner    meta-gradient of one task (θ: meta-parameters, θ': after the inner loop)
    =========  ==========================================================================
    reptile    θ − θ'  (outer SGD with step size β annealed linearly to 0)
    joint      reptile with one inner step (the thesis' joint-training baseline)
    fomaml     ∇L_query(θ') with θ' treated as a constant of θ (first order)
    maml       ∇_θ L_query(θ'(θ)) through the inner loop (second order)
    metasgd    as maml, inner step θ' = θ − α ⊙ ∇L_support with α learned per parameter
    =========  ==========================================================================

    With ``class_init="prototype"`` every task's inner loop starts its class rows from the
    support set's prototypes (:func:`~worker.engine.routine.imprint`, as Proto-MAML does;
    Triantafillou et al. 2020), which is how such a model is adapted later. MAML and Meta-SGD
    differentiate through that start; FOMAML keeps its inner steps first order but adds the
    start's exact dependence on the pyramid and head (:func:`prototype_pullback`), so the outer
    loop learns features whose prototypes tell new classes apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

import torch
from torch import Tensor
from torch.func import functional_call, grad_and_value, vjp, vmap

from ..detector import DenseDetector, detection_losses, total_loss
from ..model_io import LR_PREFIX
from ..routine import CLASS_INITS, class_patch_sums, imprint, routine_default
from ..samples import Inputs, take

Params = dict[str, Tensor]
CLASS_HEAD_KEYS = ("head.cls_logits.weight", "head.cls_logits.bias")


def _maybe_take(inputs: Inputs | None, index: int) -> Inputs | None:
    return None if inputs is None else take(inputs, index)


def expand_class_head(params: Params, ways: int) -> Params:
    """Task parameters from meta-parameters: the one shared class row replicated ``ways`` times."""
    out = dict(params)
    for key in CLASS_HEAD_KEYS:
        out[key] = params[key].expand(ways, *params[key].shape[1:])
    return out


def reduce_class_head(task_params: Params) -> Params:
    """Meta-shaped parameters from task parameters: the class rows averaged into one."""
    out = dict(task_params)
    for key in CLASS_HEAD_KEYS:
        out[key] = task_params[key].mean(0, keepdim=True)
    return out


class FunctionalLoss:
    """``loss(params, images, targets)``: the detector's summed training losses as a function of
    a parameter dict. The module itself is only a template; its own weights are never used."""

    def __init__(self, model: DenseDetector):
        self.model = model.train()

    def __call__(self, params: Params, images: Tensor, targets: dict[str, Tensor]) -> Tensor:
        return total_loss(functional_call(self.model, params, (images, targets)))

    def frozen_maps(self, params: Params, images: Tensor) -> dict[str, Tensor]:
        """:meth:`DenseDetector.frozen_maps` with the given parameters."""
        return functional_call(self.model, params, (images,), {"frozen_only": True})

    def classifier_loss(
        self, params: Params, frozen: dict[str, Tensor], targets: dict[str, Tensor]
    ) -> Tensor:
        """The loss as a function of the class layer alone, on precomputed frozen maps
        (:meth:`DenseDetector.classify` with the class layer's weights from ``params``)."""
        layer = {key.rsplit(".", 1)[1]: params[key] for key in CLASS_HEAD_KEYS}
        logits = functional_call(self.model.head.cls_logits, layer, (frozen["features"],))
        maps = {
            "cls_logits": logits,
            "box_reg": frozen["box_reg"],
            "centerness": frozen["centerness"],
        }
        return total_loss(detection_losses(maps, targets, self.model.config.stride))


@dataclass
class InnerLoop:
    """The inner loop; its values become the model card's adaptation preset.

    Arguments:
        steps, lr: gradient steps and learning rate.
        optimizer: ``adam`` (β1 = 0: no momentum, as in the thesis) or ``sgd``.
        batch_size: images per inner step, drawn from the task's support set (memory budget).
        train_layers: ``all``; ``head`` to adapt the pyramid and head only (cheaper steps); or
            ``classifier`` to adapt only the class layer, on frozen maps computed once per task
            (ANIL's "almost no inner loop": the outer loop learns features that a few steps on
            the class layer can use; cheap enough for second-order MAML and Meta-SGD on a CPU).
    """

    # Fewer steps than an adaptation's default, on purpose: the inner loop runs for every task of
    # every meta-iteration, so meta-training keeps it short (as MAML and Reptile do); the card's
    # preset then asks for max(10, steps) (meta/train.py). The other defaults are the routine's.
    steps: int = 5
    lr: float = routine_default("lr")
    optimizer: str = routine_default("optimizer")
    batch_size: int = routine_default("batch_size")
    train_layers: str = routine_default("train_layers")
    beta2: float = 0.999  # Adam's (β1 is 0, as in the adaptation's optimizer)
    eps: float = 1e-8
    # or "prototype": each task's class rows start at its prototypes
    class_init: str = routine_default("class_init")
    class_init_scale: float = routine_default("class_init_scale")

    def __post_init__(self) -> None:
        if self.class_init not in CLASS_INITS:
            raise ValueError(f"class_init must be one of {CLASS_INITS}, not {self.class_init!r}")

    def adapts(self, key: str) -> bool:
        """Whether the inner loop updates parameter ``key`` (``head``: the trunk stays fixed, as
        in ANIL — the first-order and second-order meta-gradients still reach the trunk through
        the query loss)."""
        if self.train_layers == "classifier":
            return key in CLASS_HEAD_KEYS
        return self.train_layers == "all" or not key.startswith("trunk.")

    def to_dict(self) -> dict:
        return asdict(self)


def prototype_start(
    loss: FunctionalLoss, layer: Params, features: Tensor, cls: Tensor, scale: float
) -> Params:
    """The class layer's rows (``layer``: its weight and bias, one row per class) moved towards
    the prototypes of the head tower's ``features`` at the positives of ``cls``."""
    sums, counts = class_patch_sums(features, cls, loss.model.head.cls_logits)
    weight, bias = imprint(
        layer[CLASS_HEAD_KEYS[0]], layer[CLASS_HEAD_KEYS[1]], sums, counts, scale
    )
    return {CLASS_HEAD_KEYS[0]: weight, CLASS_HEAD_KEYS[1]: bias}


def prototype_pullback(
    loss: FunctionalLoss, task: Params, images: Inputs, inner: InnerLoop
) -> tuple[dict[str, Tensor], Callable[[Tensor, Params], Params]]:
    """The support set's frozen maps under ``task``'s parameters, and how a gradient on the class
    rows reaches the other parameters through the prototype start made from them: call the
    returned function with the task's ``cls`` targets and the class rows' gradient to get the
    vector-Jacobian product of the start's offset (a function of the pyramid and head through the
    maps). FOMAML adds it to its query gradient; its inner loop reuses the maps (detached)."""
    layer = {k: task[k] for k in CLASS_HEAD_KEYS}
    rest = {k: v for k, v in task.items() if k not in CLASS_HEAD_KEYS}
    maps, maps_pullback = vjp(lambda params: loss.frozen_maps({**params, **layer}, images), rest)

    def pullback(cls: Tensor, class_grads: Params) -> Params:
        def offset(features: Tensor) -> Params:
            moved = prototype_start(loss, layer, features, cls, inner.class_init_scale)
            return {k: moved[k] - layer[k] for k in CLASS_HEAD_KEYS}

        _, features_pullback = vjp(offset, maps["features"])
        (features_grad,) = features_pullback(class_grads)
        cotangent = {
            k: features_grad if k == "features" else torch.zeros_like(v) for k, v in maps.items()
        }
        return maps_pullback(cotangent)[0]

    return {k: v.detach() for k, v in maps.items()}, pullback


def _adam_root(second_moment: Tensor, eps: float, first_order: bool) -> Tensor:
    """√v of Adam's step. Differentiated through (second order), √ at v = 0 — a parameter whose
    gradient is exactly 0 — has an infinite derivative and turns the meta-gradient into NaN, so
    there it is √(v + ε²) instead: the same step to within ε, and smooth everywhere."""
    return second_moment.sqrt() if first_order else (second_moment + eps * eps).sqrt()


def inner_adapt(
    loss: FunctionalLoss,
    params: Params,
    images: Tensor,
    targets: dict[str, Tensor],
    indices: Tensor,
    inner: InnerLoop,
    first_order: bool,
    lrs: Params | None = None,
    maps: dict[str, Tensor] | None = None,
) -> tuple[Params, Tensor]:
    """Run the inner loop on one task; returns the adapted parameters and the mean inner loss.

    Arguments:
        indices: (steps, batch) support-image indices of each inner step (drawn outside, so the
            loop is deterministic and ``vmap``-able).
        first_order: detach the inner gradients (Reptile, FOMAML); keep them for MAML/Meta-SGD.
        lrs: per-parameter learning rates (Meta-SGD); plain SGD steps with them when given.
        maps: the support images' frozen maps under ``params``, where already computed.
    """
    frozen = {k: v for k, v in params.items() if not inner.adapts(k)}
    fast = {k: v for k, v in params.items() if inner.adapts(k)}
    if maps is None and (inner.train_layers == "classifier" or inner.class_init == "prototype"):
        maps = loss.frozen_maps(params, images)
        if first_order:
            maps = {k: v.detach() for k, v in maps.items()}
    if inner.class_init == "prototype":  # the class rows start at the support set's prototypes
        fast.update(
            prototype_start(loss, fast, maps["features"], targets["cls"], inner.class_init_scale)
        )
    if inner.train_layers == "classifier":  # the frozen maps once; each step only the class layer
        images = maps  # indexed per step below, like the inputs
        step_fn = grad_and_value(loss.classifier_loss)
    else:
        step_fn = grad_and_value(lambda p, x, y: loss({**frozen, **p}, x, y))
    state = {k: torch.zeros_like(v) for k, v in fast.items()} if inner.optimizer == "adam" else {}
    losses = []
    for t in range(indices.shape[0]):
        index = indices[t]
        grads, value = step_fn(fast, take(images, index), {k: v[index] for k, v in targets.items()})
        losses.append(value.detach())
        if first_order:
            grads = {k: g.detach() for k, g in grads.items()}
        fast, state = inner_step(fast, grads, state, t + 1, inner, lrs, first_order)
    mean_loss = torch.stack(losses).mean() if losses else torch.zeros(())
    return {**frozen, **fast}, mean_loss


def inner_step(
    fast: Params,
    grads: Params,
    state: Params,
    step: int,
    inner: InnerLoop,
    lrs: Params | None = None,
    first_order: bool = True,
) -> tuple[Params, Params]:
    """One update of the adapted parameters (step counts from 1): with learned rates (Meta-SGD),
    SGD, or Adam with β1 = 0 — torch.optim.Adam's update, ``state`` holding its second moments.
    Elementwise, so it serves one task's parameters or several tasks' stacked (T, …)."""
    if lrs is not None:
        return {k: p - lrs[k] * grads[k] for k, p in fast.items()}, state
    if inner.optimizer == "sgd":
        return {k: p - inner.lr * grads[k] for k, p in fast.items()}, state
    correction = 1 - inner.beta2**step
    state = {k: inner.beta2 * state[k] + (1 - inner.beta2) * grads[k] ** 2 for k in fast}
    fast = {
        k: p
        - inner.lr
        * grads[k]
        / (_adam_root(state[k] / correction, inner.eps, first_order) + inner.eps)
        for k, p in fast.items()
    }
    return fast, state


@dataclass
class TaskBatch:
    """A meta-batch of T tasks with the same M and K, stacked for ``vmap``."""

    ways: int
    support_images: Inputs  # (T, M·K, 3, S, S), or a tuple of trunk features (T, M·K, …)
    support_targets: dict[str, Tensor]  # each (T, M·K, ...)
    indices: Tensor  # (T, steps, batch)
    query_images: Inputs | None = None  # (T, M·Q, 3, S, S), or trunk features
    query_targets: dict[str, Tensor] | None = None

    def to(self, device: torch.device | str) -> TaskBatch:
        move = lambda d: (  # noqa: E731
            None if d is None else {k: v.to(device) for k, v in d.items()}
        )
        inputs = lambda x: (  # noqa: E731
            tuple(v.to(device) for v in x) if isinstance(x, tuple) else x.to(device)
        )
        return TaskBatch(
            self.ways,
            inputs(self.support_images),
            move(self.support_targets),
            self.indices.to(device),
            None if self.query_images is None else inputs(self.query_images),
            move(self.query_targets),
        )


class MetaLearner:
    """Base class: a per-task meta-gradient, batched over tasks by :meth:`meta_gradient`."""

    name = "base"
    uses_query = False
    outer = "adam"  # how meta_train steps the meta-parameters

    def __init__(self, inner: InnerLoop):
        self.inner = inner

    def init_meta_params(self, params: Params) -> Params:
        """Meta-parameters from a detector's parameters (with a one-row class head)."""
        return {k: v.detach().clone() for k, v in params.items()}

    def detector_params(self, meta: Params) -> Params:
        """The detector's part of the meta-parameters (what is saved as the initialization)."""
        return {k: v for k, v in meta.items() if not k.startswith(LR_PREFIX)}

    def task_gradient(
        self,
        loss: FunctionalLoss,
        meta: Params,
        ways: int,
        support_images: Tensor,
        support_targets: dict[str, Tensor],
        indices: Tensor,
        query_images: Tensor | None,
        query_targets: dict[str, Tensor] | None,
    ) -> tuple[Params, Tensor]:
        raise NotImplementedError

    def meta_gradient(
        self, loss: FunctionalLoss, meta: Params, batch: TaskBatch, task_chunk: int | None = None
    ) -> tuple[Params, dict[str, float]]:
        """Mean meta-gradient over the batch's tasks, computed with ``vmap`` over tasks.

        ``task_chunk`` bounds how many tasks run at once (memory); the result is the same.
        ``task_chunk=0`` runs the tasks one after another without ``vmap`` (faster on a CPU,
        where ``vmap``'s batched per-task weights cost more than they save).
        """

        def one_task(sx, sy, idx, qx, qy):
            return self.task_gradient(loss, meta, batch.ways, sx, sy, idx, qx, qy)

        has_query = batch.query_images is not None
        if task_chunk == 0:
            total: Params = {}
            task_losses = []
            for t in range(batch.indices.shape[0]):
                grads, value = one_task(
                    take(batch.support_images, t),
                    take(batch.support_targets, t),
                    batch.indices[t],
                    _maybe_take(batch.query_images, t),
                    _maybe_take(batch.query_targets, t),
                )
                total = {k: total.get(k, 0) + g.detach() for k, g in grads.items()}
                task_losses.append(float(value))
            count = batch.indices.shape[0]
            return {k: g / count for k, g in total.items()}, {
                "loss": float(sum(task_losses) / count)
            }
        in_dims = (0, 0, 0, 0 if has_query else None, 0 if has_query else None)
        grads, losses = vmap(one_task, in_dims=in_dims, chunk_size=task_chunk)(
            batch.support_images,
            batch.support_targets,
            batch.indices,
            batch.query_images,
            batch.query_targets,
        )
        return {k: g.mean(0) for k, g in grads.items()}, {"loss": float(losses.mean())}


class Reptile(MetaLearner):
    """θ ← θ + β · mean_i(θ'_i − θ) (Nichol et al. 2018); inner Adam with β1 = 0 by default."""

    name = "reptile"
    outer = "sgd"

    def task_gradient(
        self,
        loss,
        meta,
        ways,
        support_images,
        support_targets,
        indices,
        query_images,
        query_targets,
    ):
        with torch.no_grad():
            adapted, inner_loss = inner_adapt(
                loss,
                expand_class_head(meta, ways),
                support_images,
                support_targets,
                indices,
                self.inner,
                first_order=True,
            )
            reduced = reduce_class_head(adapted)
            return {k: meta[k] - reduced[k] for k in meta}, inner_loss


class JointTraining(Reptile):
    """The thesis' joint-training baseline: Reptile with a single inner step."""

    name = "joint"

    def __init__(self, inner: InnerLoop):
        super().__init__(InnerLoop(**{**inner.to_dict(), "steps": 1}))


class FOMAML(MetaLearner):
    """First-order MAML: the query gradient at the adapted weights, applied to θ."""

    name = "fomaml"
    uses_query = True

    def task_gradient(
        self,
        loss,
        meta,
        ways,
        support_images,
        support_targets,
        indices,
        query_images,
        query_targets,
    ):
        task = expand_class_head(meta, ways)
        maps = pullback = None
        if self.inner.class_init == "prototype":
            maps, pullback = prototype_pullback(loss, task, support_images, self.inner)
        with torch.no_grad():
            adapted, _ = inner_adapt(
                loss,
                task,
                support_images,
                support_targets,
                indices,
                self.inner,
                first_order=True,
                maps=maps,
            )
        grads, query_loss = grad_and_value(loss)(adapted, query_images, query_targets)
        if pullback is not None:  # the start's own dependence on θ, exactly
            extra = pullback(support_targets["cls"], {k: grads[k] for k in CLASS_HEAD_KEYS})
            grads = {k: g + extra[k] if k in extra else g for k, g in grads.items()}
        for key in CLASS_HEAD_KEYS:  # adjoint of the replication: sum over class rows
            grads[key] = grads[key].sum(0, keepdim=True)
        return grads, query_loss.detach()


class MAML(MetaLearner):
    """Second-order MAML (Finn et al. 2017): differentiate the query loss through the inner loop."""

    name = "maml"
    uses_query = True

    def _query_loss(
        self,
        loss: FunctionalLoss,
        meta: Params,
        ways: int,
        support_images,
        support_targets,
        indices,
        query_images,
        query_targets,
    ) -> Tensor:
        adapted, _ = inner_adapt(
            loss,
            expand_class_head(meta, ways),
            support_images,
            support_targets,
            indices,
            self.inner,
            first_order=False,
        )
        return loss(adapted, query_images, query_targets)

    def task_gradient(
        self,
        loss,
        meta,
        ways,
        support_images,
        support_targets,
        indices,
        query_images,
        query_targets,
    ):
        grads, query_loss = grad_and_value(self._query_loss, argnums=1)(
            loss, meta, ways, support_images, support_targets, indices, query_images, query_targets
        )
        return grads, query_loss.detach()


class MetaSGD(MAML):
    """Meta-SGD (Li et al. 2017): per-parameter inner learning rates α, learned with θ."""

    name = "metasgd"

    def init_meta_params(self, params: Params) -> Params:
        """θ and one learning rate per parameter the inner loop adapts, starting at its lr."""
        meta = super().init_meta_params(params)
        meta.update(
            {
                LR_PREFIX + k: torch.full_like(v, self.inner.lr)
                for k, v in params.items()
                if self.inner.adapts(k)
            }
        )
        return meta

    def _query_loss(
        self,
        loss,
        meta,
        ways,
        support_images,
        support_targets,
        indices,
        query_images,
        query_targets,
    ):
        theta = self.detector_params(meta)
        lrs = expand_class_head(
            {k: meta[LR_PREFIX + k] for k in theta if LR_PREFIX + k in meta}, ways
        )
        adapted, _ = inner_adapt(
            loss,
            expand_class_head(theta, ways),
            support_images,
            support_targets,
            indices,
            self.inner,
            first_order=False,
            lrs=lrs,
        )
        return loss(adapted, query_images, query_targets)


LEARNERS: dict[str, Callable[[InnerLoop], MetaLearner]] = {
    "reptile": Reptile,
    "joint": JointTraining,
    "fomaml": FOMAML,
    "maml": MAML,
    "metasgd": MetaSGD,
}


def make_learner(name: str, inner: InnerLoop) -> MetaLearner:
    if name not in LEARNERS:
        raise ValueError(f"unknown meta-learner {name!r}; choose one of {sorted(LEARNERS)}")
    return LEARNERS[name](inner)
