"""Few-shot benchmark: how fast each initialization adapts to classes it never saw.

Description:
    For each class fold × method × K × sampled task: draw an M-way K-shot task from the fold's
    ``test-adapt`` images, adapt the method's initialization with its own update preset
    (learning rate, optimizer; early stopping off so every method runs every step) and score the
    adapted model on the fold's ``test-test`` images at each checkpoint step with COCO AP and
    AP50. Every method sees the same tasks. Cells report the mean and a 95% t-interval over tasks.

    Results are written after every adaptation, so an interrupted run resumes where it stopped
    (runs already in the results file are skipped; a method's step cap may be raised or lowered
    on resume). On a GPU, ``task_batch`` adapts several tasks in one batched computation.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from worker.engine.detector import DenseDetector, DetectorConfig
from worker.engine.inference import detect
from worker.engine.meta.episodes import (
    DetectionDataset,
    Episode,
    EpisodeSampler,
    scoring_set,
    split_by_classes,
)
from worker.engine.metrics import coco_metrics
from worker.engine.model_io import (
    learned_lrs,
    load_detector,
    read_card,
    read_state,
    weights_sha256,
)
from worker.engine.routine import UpdateRoutine, adapt
from worker.engine.samples import Sample

from .batched import adapt_tasks

log = logging.getLogger(__name__)

# two-sided 95% Student-t quantiles by degrees of freedom
_T95 = {
    1: 12.706,
    2: 4.303,
    3: 3.182,
    4: 2.776,
    5: 2.571,
    6: 2.447,
    7: 2.365,
    8: 2.306,
    9: 2.262,
    10: 2.228,
    15: 2.131,
    20: 2.086,
    30: 2.042,
}


def t95(dof: int) -> float:
    keys = [k for k in sorted(_T95) if k <= dof]
    return _T95[keys[-1]] if keys else float("nan")


# what a method may override in its card's adaptation preset (what :func:`_adapt_group` reads;
# the step count and checkpoints are the benchmark's)
PRESET_KEYS = ("optimizer", "lr", "batch_size", "train_layers", "class_init", "class_init_scale")


@dataclass
class Method:
    """An initialization to benchmark: a model card path, or ``scratch`` (random weights)."""

    name: str
    card: str | None  # path of the .json card; None for from-scratch
    max_steps: int | None = None  # cap below the benchmark's largest step count
    preset: dict = field(default_factory=dict)  # overrides of the card's adaptation preset

    @property
    def weights(self) -> Path | None:
        """The card's safetensors file, beside it (None for from-scratch)."""
        return None if self.card is None else Path(self.card).with_suffix(".safetensors")


@dataclass
class FewshotConfig:
    folds: list[list[str]]
    train_classes: list[str]
    methods: list[Method]
    ways: int = 5
    shots: list[int] = field(default_factory=lambda: [1, 5, 20])
    steps: list[int] = field(default_factory=lambda: [10, 100, 1000])
    checkpoints: list[int] = field(default_factory=lambda: [10, 20, 50, 100, 200, 500, 1000])
    tasks: int = 3
    test_images: int = 100
    seed: int = 0
    scratch_arch: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


def summarize(values: Sequence[float]) -> dict:
    values = [v for v in values if v is not None and math.isfinite(v)]
    n = len(values)
    if not n:
        return {"mean": None, "ci95": None, "n": 0}
    mean = float(np.mean(values))
    half = t95(n - 1) * float(np.std(values, ddof=1)) / math.sqrt(n) if n > 1 else None
    return {"mean": round(mean, 4), "ci95": None if half is None else round(half, 4), "n": n}


def _run_key(fold: int, method: str, shots: int, task: int) -> str:
    return f"fold{fold}/{method}/K{shots}/task{task}"


SCRATCH_PRESET = {"optimizer": "adam", "lr": 1e-3, "batch_size": 8, "train_layers": "all"}


def method_preset(method: Method, card: dict | None = None) -> dict:
    """The adaptation preset a method runs with: its card's (``card``, where already read), with
    the method's overrides."""
    if method.card is None:
        return dict(SCRATCH_PRESET)
    return {**(card or read_card(method.card)).get("preset", {}), **method.preset}


def _preset_of(routine: dict) -> dict:
    """The preset's part of a routine, defaults filled in (a run stored before a key existed
    ran with its default)."""
    full = UpdateRoutine.from_dict({k: v for k, v in routine.items() if k in PRESET_KEYS}).to_dict()
    return {k: full[k] for k in PRESET_KEYS}


def initial_model(
    method: Method, classes: list[str], arch: DetectorConfig, device: str, seed: int
) -> tuple[DenseDetector, dict, dict | None]:
    """A method's starting point for a task of ``classes``: the model (random weights of
    ``arch`` from ``seed`` for from-scratch), the adaptation preset it runs with, and Meta-SGD's
    learned rates (None for other optimizers)."""
    if method.card is None:
        torch.manual_seed(seed)
        return DenseDetector(arch, len(classes)).to(device), method_preset(method), None
    card = read_card(method.card)
    preset, state = method_preset(method, card), read_state(method.weights, card)
    model = load_detector(card, state, classes, device)
    lrs = (
        learned_lrs(state, card, classes, device) if preset.get("optimizer") == "metasgd" else None
    )
    return model, preset, lrs


def run_fewshot(
    cfg: FewshotConfig,
    dataset: DetectionDataset,
    results_path: str | Path,
    device: str = "cpu",
    command: str = "",
    task_batch: int = 1,
) -> dict:
    """Run (or resume) the benchmark, updating ``results_path`` after every adaptation.

    ``task_batch`` > 1 adapts up to that many tasks of one method and K (across folds) in one
    batched computation (:func:`~.batched.adapt_tasks`; for a GPU, where one task's step costs
    about what eight tasks' cost together); 1 adapts them one by one.
    """
    path = Path(results_path)
    results = json.loads(path.read_text()) if path.exists() else {}
    if results.get("config") is not None and (why := _mismatch(results["config"], cfg.to_dict())):
        raise ValueError(
            f"{path} holds a run with another configuration ({why}); choose another "
            "file (a resumed run may add values of K and methods, and change a "
            "method's step cap)"
        )
    runs: dict = results.setdefault("runs", {})
    for run in runs.values():  # a file from before runs recorded their device: the file's
        run.setdefault("device", results.get("device", device))
    results.update({"config": cfg.to_dict(), "command": command, "dataset": dataset.description})
    arch = DetectorConfig.from_dict(cfg.scratch_arch) if cfg.scratch_arch else None
    limits = {m.name: _limit(cfg, m) for m in cfg.methods}
    cells = draw_tasks(cfg, dataset)  # every method sees the same tasks
    digests = {m.name: _weights_digest(m) for m in cfg.methods}
    pending = {}
    for method in cfg.methods:
        limit, digest, preset = (
            limits[method.name],
            digests[method.name],
            _preset_of(method_preset(method)),
        )
        for shots in cfg.shots:
            todo = []
            for c in cells[shots]:
                run = runs.get(key := _run_key(c.fold, method.name, shots, c.task))
                if (
                    run is None
                    or run["routine"]["steps"] < limit
                    or run.get("init_sha256", digest) != digest
                    or _preset_of(run["routine"]) != preset
                ):
                    todo.append(
                        c
                    )  # not run, short of a raised cap, from other weights or another preset
                else:
                    runs[key] = _cut(run, limit)  # a lowered cap cuts it
            if todo:
                pending[method.name, shots] = todo
    total = len(cfg.folds) * len(cfg.methods) * len(cfg.shots) * cfg.tasks
    bar = tqdm(
        total=total,
        initial=total - sum(len(v) for v in pending.values()),
        desc="few-shot benchmark",
        unit="run",
    )
    methods = {m.name: m for m in cfg.methods}
    for (name, shots), todo in pending.items():
        for start in range(0, len(todo), max(1, task_batch)):
            group = todo[start : start + max(1, task_batch)]
            for cell, run in zip(
                group, _adapt_group(cfg, methods[name], group, arch, device), strict=True
            ):
                runs[_run_key(cell.fold, name, shots, cell.task)] = {
                    **run,
                    "init_sha256": digests[name],
                }
            results["device"] = _devices(runs, device)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(results, indent=1))
            tmp.replace(path)
            bar.update(len(group))
    bar.close()
    results["device"] = _devices(runs, device)
    results["environments"] = sorted(
        {r["environment"] for r in runs.values() if "environment" in r}
    )
    results["summary"] = summarize_runs(cfg, runs)
    results["headline"] = headline(results["summary"], cfg)
    path.write_text(json.dumps(results, indent=1))
    return results


@dataclass
class TaskCell:
    """One sampled task: its fold, index, support episode and scoring images."""

    fold: int
    task: int
    episode: Episode
    scoring: list[Sample]


def draw_tasks(cfg: FewshotConfig, dataset: DetectionDataset) -> dict[int, list[TaskCell]]:
    """The tasks of every fold and K (by K), drawn from seeds of (seed, fold, K, task) alone."""
    cells: dict[int, list[TaskCell]] = {k: [] for k in cfg.shots}
    for fold_index, fold in enumerate(cfg.folds):
        split = split_by_classes(dataset, fold, seed=cfg.seed, train_classes=cfg.train_classes)
        for shots in cfg.shots:
            sampler = EpisodeSampler(dataset, split.test_adapt, split.test_classes, cfg.ways, shots)
            for task in range(cfg.tasks):
                episode = sampler.sample(np.random.default_rng([cfg.seed, fold_index, shots, task]))
                scoring = scoring_set(
                    dataset, split.test_test, episode.classes, cfg.test_images, seed=cfg.seed + task
                )
                cells[shots].append(TaskCell(fold_index, task, episode, scoring))
    return cells


def _weights_digest(method: Method) -> str | None:
    """The first 16 hex digits of the SHA-256 of a method's initial weights (None: from scratch).
    Runs record it, so a model re-trained under the same card is run again on resume; runs from
    before this record are kept."""
    if method.weights is None:
        return None
    return weights_sha256(method.weights, read_card(method.card))[:16]  # a packed file's as written


def _environment(device: str) -> str:
    """What a run's numbers depend on beyond the code and seeds: all-layer adaptation is chaotic
    enough that another CPU kernel or thread count changes its AP50 visibly after tens of steps
    (class-layer adaptation repeats exactly)."""
    where = (
        torch.cuda.get_device_name(torch.device(device))
        if device.startswith("cuda")
        else f"cpu {torch.backends.cpu.get_cpu_capability()}, {torch.get_num_threads()} threads"
    )
    return f"torch {torch.__version__}, {where}"


def _devices(runs: dict, default: str) -> str:
    """Where a grid's runs ran: a grid resumed elsewhere (pieces on a GPU, then its cards written
    on a CPU) names each device."""
    return " + ".join(sorted({r["device"] for r in runs.values()})) or default


def _limit(cfg: FewshotConfig, method: Method) -> int:
    return min(max(cfg.steps), method.max_steps or max(cfg.steps))


def _uncapped(method: dict) -> dict:
    return {k: v for k, v in method.items() if k != "max_steps"}


def _mismatch(stored: dict, new: dict) -> str | None:
    """Why a run stored with configuration ``stored`` cannot be resumed under ``new`` (None if it
    can). The tasks are drawn from seeds of (seed, fold, K, task) alone, so a resumed run may add
    values of K and methods without changing the stored runs; it may change a method's step cap
    (see :func:`_cut`). Everything else, and every stored K and method, must stay."""
    rest = [
        k
        for k in stored.keys() | new.keys()
        if k not in ("shots", "methods") and stored.get(k) != new.get(k)
    ]
    if rest:
        return "differs in " + ", ".join(sorted(rest))
    if missing := sorted(set(stored["shots"]) - set(new["shots"])):
        return f"leaves out K = {missing}"
    methods = {m["name"]: _uncapped(m) for m in new["methods"]}
    for m in stored["methods"]:
        if m["name"] not in methods:
            return f"leaves out method {m['name']}"
        if methods[m["name"]] != _uncapped(m):
            return f"defines method {m['name']} differently"
    return None


def _cut(run: dict, limit: int) -> dict:
    """A stored run as a method capped at ``limit`` would have computed it: one that ran further is
    cut at the cap (adaptation without early stopping is deterministic, so its first ``limit``
    steps are what a shorter run computes); others are returned as they are."""
    if run["routine"]["steps"] <= limit:
        return run
    return {
        **run,
        "curve": [p for p in run["curve"] if p["step"] <= limit],
        "routine": {
            **run["routine"],
            "steps": limit,
            "checkpoints": [c for c in run["routine"]["checkpoints"] if c <= limit],
        },
    }


def _adapt_group(
    cfg: FewshotConfig, method: Method, group: list[TaskCell], arch, device: str
) -> list[dict]:
    """Adapt ``method``'s initialization to each task of ``group`` (one at a time, or batched
    when there are several) and score it at each checkpoint; one run record per task."""
    started = time.time()
    limit = _limit(cfg, method)
    # step 0 is scored inside the adaptation: after the class layer's start (a prototype start
    # moves it), before the first step; runs stored before that scored it on the model as loaded,
    # and their routine's checkpoints lack 0
    checkpoints = sorted({c for c in [0, *cfg.checkpoints, *cfg.steps] if c <= limit})
    models, routines, rates = [], [], []
    for cell in group:
        model, preset, lrs = initial_model(
            method, cell.episode.classes, arch or DetectorConfig(), device, cfg.seed + cell.task
        )
        models.append(model)
        rates.append(lrs)
        routines.append(
            UpdateRoutine.from_dict(
                {  # the preset's keys, the benchmark's steps
                    **preset,
                    "steps": limit,
                    "early_stopping": False,
                    "checkpoints": checkpoints,
                    "seed": cfg.seed + cell.task,
                }
            )
        )

    def evaluate(t: int, current: DenseDetector) -> dict:
        scoring, classes = group[t].scoring, group[t].episode.classes
        detections = detect(current, [s.image for s in scoring], batch_size=32)
        metrics = coco_metrics(scoring, detections, len(classes), pr_curves=False)["metrics"]
        return {"AP": round(metrics["AP"], 5), "AP50": round(metrics["AP50"], 5)}

    if len(group) == 1:
        outcomes = [
            adapt(
                models[0],
                group[0].episode.support,
                routines[0],
                evaluate=lambda current: evaluate(0, current),
                lrs=rates[0],
            )
        ]
    else:
        outcomes = adapt_tasks(
            models,
            [c.episode.support for c in group],
            routines,
            evaluate=evaluate,
            lrs=rates if rates[0] is not None else None,
        )
    seconds = round((time.time() - started) / len(group), 2)
    return [
        {
            "classes": cell.episode.classes,
            "support_images": len(cell.episode.support),
            "scored_images": len(cell.scoring),
            "routine": routine.to_dict(),
            "curve": [{"step": c["step"], **c["metrics"]} for c in outcome.checkpoints],
            "seconds": seconds,
            "device": device,
            "environment": _environment(device),
            **({"tasks_batched": len(group)} if len(group) > 1 else {}),
        }
        for cell, routine, outcome in zip(group, routines, outcomes, strict=True)
    ]


def summarize_runs(cfg: FewshotConfig, runs: dict) -> dict:
    """``summary[method][K][step] = {AP50: {mean, ci95, n}, AP: {...}}`` over folds and tasks."""
    summary: dict = {}
    for key, run in runs.items():
        _, method, shots, _ = key.split("/")
        for point in run["curve"]:
            cell = (
                summary.setdefault(method, {})
                .setdefault(shots, {})
                .setdefault(str(point["step"]), {"AP50": [], "AP": []})
            )
            cell["AP50"].append(point["AP50"])
            cell["AP"].append(point["AP"])
    return {
        m: {
            k: {
                s: {metric: summarize(v) for metric, v in cell.items()} for s, cell in steps.items()
            }
            for k, steps in ks.items()
        }
        for m, ks in summary.items()
    }


def steps_to_fraction(
    curve: dict, fraction: float = 0.9, final: str = "1000", stay: bool = False
) -> int | None:
    """Fewest checkpoint steps whose mean AP50 reaches ``fraction`` of the mean AP50 at step
    ``final`` — or, with ``final="peak"``, of the best mean AP50 at any checkpoint (for a method
    that overfits before 1000 steps, whose 1000-step AP50 is a low bar). With ``stay``, the
    fewest from which every later checkpoint stays there (a noisy curve may touch the bar first)."""
    if final == "peak":
        means = [
            c["AP50"]["mean"]
            for s, c in curve.items()
            if s != "0" and c["AP50"]["mean"] is not None
        ]
        if "1000" not in curve or not means:
            return None
        return steps_to_reach(curve, fraction * max(means), stay)
    if final not in curve or curve[final]["AP50"]["mean"] is None:
        return None
    return steps_to_reach(curve, fraction * curve[final]["AP50"]["mean"], stay)


def steps_to_reach(curve: dict, target: float, stay: bool = False) -> int | None:
    """Fewest checkpoint steps whose mean AP50 reaches ``target`` (with ``stay``: and every
    later checkpoint's too); None if none does."""
    found = None
    for step in sorted(int(s) for s in curve if s != "0"):
        mean = curve[str(step)]["AP50"]["mean"]
        if mean is not None and mean < target:
            found = None
        elif mean is not None and found is None:
            if not stay:
                return step
            found = step
    return found


META_LEARNERS = ("reptile", "fomaml", "maml", "metasgd")


def is_meta_learner(method: str) -> bool:
    """A meta-learned initialization: an algorithm's name, or a variant of one (``fomaml-full``)."""
    return method.partition("-")[0] in META_LEARNERS


def headline(summary: dict, cfg: FewshotConfig) -> dict:
    """The thesis' comparison: the best meta-learner (any variant) at 10 steps against standard
    pretraining (every method whose name starts with ``standard``: the preset, and any tuned
    variant), each at 10, 100 and 1000 steps, and the steps each needs to reach 90% of its own
    1000-step AP50 (also to reach it and stay there, and to reach 90% of its peak, where it
    overfits by 1000 steps); with the steps each baseline needs to match the meta-learner's
    10-step AP50 (None: not within the steps run). A baseline not run to 1000 steps (e.g. a
    larger-batch control) has no bar of its own, so every baseline is also timed to one common
    bar: 90% of the best 1000-step AP50 of any baseline, named in ``best_baseline_1000``."""
    meta_methods = [m for m in summary if is_meta_learner(m)]
    baselines = [m for m in summary if m.startswith("standard")]
    out: dict = {}
    for shots in (f"K{k}" for k in cfg.shots):
        at10 = {
            m: summary[m].get(shots, {}).get("10", {}).get("AP50", {}).get("mean")
            for m in meta_methods
        }
        at10 = {m: v for m, v in at10.items() if v is not None}
        if not at10 or not baselines:
            continue
        best = max(at10, key=at10.get)
        best_curve = summary[best].get(shots, {})
        best_steps = steps_to_fraction(best_curve)
        best_peak_steps = steps_to_fraction(best_curve, final="peak")
        best_staying = steps_to_fraction(best_curve, stay=True)
        row: dict = {
            "best_meta_learner": best,
            "best_AP50_at_10": at10[best],
            "best_steps_to_90pct_of_own_1000": best_steps,
            "best_steps_to_90pct_of_own_1000_staying": best_staying,
            "best_steps_to_90pct_of_own_peak": best_peak_steps,
        }
        ratio = lambda a, b: (a / b) if a and b else None  # noqa: E731
        finals = {
            m: summary[m].get(shots, {}).get("1000", {}).get("AP50", {}).get("mean")
            for m in baselines
        }
        finals = {m: v for m, v in finals.items() if v is not None}
        bar_from = max(finals, key=finals.get) if finals else None
        if bar_from:
            row["best_baseline_1000"] = {"method": bar_from, "AP50": finals[bar_from]}
        for baseline in baselines:
            curve = summary[baseline].get(shots, {})
            base_steps = steps_to_fraction(curve)
            peak_steps = steps_to_fraction(curve, final="peak")
            staying = steps_to_fraction(curve, stay=True)
            row[baseline] = {
                "AP50": {
                    s: curve.get(s, {}).get("AP50", {}).get("mean") for s in ("10", "100", "1000")
                },
                "steps_to_90pct_of_own_1000": base_steps,
                "step_ratio": ratio(base_steps, best_steps),
                "steps_to_90pct_of_own_1000_staying": staying,
                "step_ratio_staying": ratio(staying, best_staying),
                "steps_to_90pct_of_own_peak": peak_steps,
                "step_ratio_peak": ratio(peak_steps, best_peak_steps),
                "steps_to_match_best_at_10": steps_to_reach(curve, at10[best]),
                "max_steps_run": max((int(s) for s in curve), default=0),
            }
            if bar_from:
                shared = steps_to_reach(curve, 0.9 * finals[bar_from])
                shared_staying = steps_to_reach(curve, 0.9 * finals[bar_from], stay=True)
                row[baseline].update(
                    {
                        "steps_to_90pct_of_best_baseline_1000": shared,
                        "step_ratio_best_baseline_bar": ratio(shared, best_steps),
                        "steps_to_90pct_of_best_baseline_1000_staying": shared_staying,
                        "step_ratio_best_baseline_bar_staying": ratio(shared_staying, best_staying),
                    }
                )
        out[shots] = row
    return out


AGREE = 0.005  # mean AP50: shared checkpoints of one method in two files closer than this agree


def merge_summaries(sources: Sequence[tuple[str, dict]]) -> tuple[dict, dict, list[dict]]:
    """Merge result summaries of the same tasks, given in order (a later one wins). A method and K
    in several files is one curve when every checkpoint they share has the same mean AP50 (within
    :data:`AGREE`): the same adaptations, one scored at finer checkpoints or run to more steps.
    Otherwise the later source's curve is taken alone and the disagreement is listed.

    Returns the merged summary, each method's sources (a K listed among the disagreements comes
    from its ``taken_from`` alone), and the disagreements.
    """
    merged: dict = {}
    origin: dict[str, list[str]] = {}
    differ: list[dict] = []
    for name, summary in sources:
        for method, by_k in summary.items():
            into = merged.setdefault(method, {})
            for shots, curve in by_k.items():
                before = into.get(shots) or {}
                gaps = [
                    abs(before[s]["AP50"]["mean"] - c["AP50"]["mean"])
                    for s, c in curve.items()
                    if s in before and None not in (before[s]["AP50"]["mean"], c["AP50"]["mean"])
                ]
                if gaps and max(gaps) > AGREE:
                    differ.append(
                        {
                            "method": method,
                            "K": shots,
                            "taken_from": name,
                            "max_AP50_gap": round(max(gaps), 4),
                        }
                    )
                    before = {}
                into[shots] = {**before, **curve}
            origin.setdefault(method, []).append(name)
    steps = lambda curve: dict(sorted(curve.items(), key=lambda kv: int(kv[0])))  # noqa: E731
    merged = {m: {k: steps(c) for k, c in by_k.items()} for m, by_k in merged.items()}
    return merged, {m: " + ".join(names) for m, names in origin.items()}, differ


SAME_TASKS = ("folds", "train_classes", "ways", "tasks", "test_images", "seed")


def combined_headline(results: dict, others: dict[str, dict]) -> tuple[dict, dict]:
    """The headline over result files of the same tasks — the same dataset, folds, seed, task
    count and scoring images, for the K all of them ran (tasks are drawn from the seed, fold, K
    and task index alone) — e.g. a baseline run to more steps in a file of its own, or a method
    re-scored at finer checkpoints. ``others`` maps each file's name to its results; curves are
    merged by :func:`merge_summaries`, this run's last. Returns the headline and the merged
    summary."""
    ours = results["config"]
    shots = list(ours["shots"])
    for source, other in others.items():
        theirs = other["config"]
        differ = [k for k in SAME_TASKS if ours[k] != theirs[k]]
        if results.get("dataset") != other.get("dataset"):
            differ.append("dataset")
        if differ:
            raise ValueError(f"{source} scored other tasks: its {', '.join(differ)} differ")
        shots = [k for k in shots if k in theirs["shots"]]
    merged, origin, disagree = merge_summaries(
        [(source, other["summary"]) for source, other in others.items()]
        + [("this run", results["summary"])]
    )
    cfg = FewshotConfig(
        folds=ours["folds"], train_classes=ours["train_classes"], methods=[], shots=shots
    )
    head = {
        "with": ", ".join(others),
        "methods_from": origin,
        "not_merged": disagree,
        **headline(merged, cfg),
    }
    return head, merged
