"""``python -m bench.fewshot``: the few-shot benchmark of initializations on held-out classes.

Run from the repository root (the default methods and output folder are relative to it):

    python -m bench.fewshot --quick                          # minutes on a CPU
    python -m bench.fewshot --device cuda --task-batch 6     # the full grid on a GPU
"""

from __future__ import annotations

import argparse
import json
import logging
import shlex
from pathlib import Path

from worker.engine.data.letters import BASE_CLASSES, LETTER_FOLDS
from worker.engine.detector import DetectorConfig
from worker.engine.device import pick_device
from worker.engine.meta.episodes import DetectionDataset

from .grid import PRESET_KEYS, FewshotConfig, Method, combined_headline, run_fewshot
from .report import update_cards, write_report

PROG = "python -m bench.fewshot"

QUICK = {
    "folds": "0",
    "shots": "5",
    "steps": "10,50",
    "checkpoints": "10,50",
    "tasks": 2,
    "test_images": 30,
    "images": 1500,
    "stem": "fewshot-quick",
}

# every shipped initialization with its own preset, the standard-pretraining baselines, and
# from-scratch; then the whole support set in every step: cheap for the class-layer methods
# (frozen maps cached), and standard pretraining with the same images per step as their control
# (the FOMAML, MAML and Meta-SGD presets take the whole support set themselves; FOMAML's and
# Meta-SGD's earlier 8 per step, as variants)
DEFAULT_METHODS = (
    "reptile=models/letters-reptile.json,fomaml=models/letters-fomaml.json,"
    "maml=models/letters-maml.json,metasgd=models/letters-metasgd.json,"
    "joint=models/letters-joint.json,standard=models/letters-base.json,"
    "standard-lr3e-4=models/letters-base.json?lr=0.0003,"
    "standard-classifier=models/letters-base.json?train_layers=classifier&lr=0.01,scratch=scratch,"
    "fomaml-b8=models/letters-fomaml.json?batch_size=8,"
    "metasgd-b8=models/letters-metasgd.json?batch_size=8,"
    "standard-classifier-full="
    "models/letters-base.json?train_layers=classifier&lr=0.01&batch_size=100,"
    "standard-lr3e-4-b100=models/letters-base.json?lr=0.0003&batch_size=100"
)


def _preset_value(text: str):
    """A preset override from the command line: a number where it reads as one."""
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def parse_methods(text: str, caps: dict[str, int] | None = None) -> list[Method]:
    """``name=card.json[?key=value&...]`` or ``name=scratch``, comma-separated, into methods.
    A missing card is skipped with a message; a malformed item, a repeated name or an override
    the preset does not have (e.g. ``batchsize``) stops the command, naming it."""
    methods, caps = [], caps or {}
    for item in text.split(","):
        name, _, spec = item.partition("=")
        path, _, query = spec.partition("?")
        if not name or not path:
            raise SystemExit(
                f"--methods: {item!r} is not name=card.json[?key=value&...] or name=scratch"
            )
        if any(m.name == name for m in methods):
            raise SystemExit(f"--methods: {name!r} is given twice")
        overrides = {}
        for kv in filter(None, query.split("&")):
            key, eq, value = kv.partition("=")
            if key not in PRESET_KEYS or not eq:
                raise SystemExit(
                    f"--methods: {name}: {kv!r} is not key=value with a key in {PRESET_KEYS}"
                )
            overrides[key] = _preset_value(value)
        if path == "scratch" and overrides:
            raise SystemExit(f"--methods: {name}: from scratch takes no preset overrides")
        if path != "scratch" and not Path(path).exists():
            print(f"skipping {name}: {path} not found (train it with metaloop meta-train)")
            continue
        methods.append(Method(name, None if path == "scratch" else path, caps.get(name), overrides))
    return methods


def explicit_command(args: argparse.Namespace) -> str:
    """The command as run with every option spelled out, defaults included: a results file's
    command then repeats its run after a default changes (the grid's checkpoints have).

    Every option of :func:`build_parser` is ``--<dest with dashes>``, and its only flags are
    ``store_true`` ones, written where set (a test parses the command back to the same run)."""
    words = shlex.split(PROG)
    for dest, value in vars(args).items():
        if dest == "quick" or value is None:  # --quick's values are already in args
            continue
        flag = "--" + dest.replace("_", "-")
        if isinstance(value, bool):
            words += [flag] if value else []
        else:
            words += [flag, str(value)]
    return shlex.join(words)


def dataset_from_args(args: argparse.Namespace) -> DetectionDataset:
    """The dataset the tasks are drawn from: synthetic letters, or a COCO JSON file."""
    if args.dataset == "letters":
        return DetectionDataset.letters(
            args.images, seed=args.data_seed, image_size=args.input_size
        )
    return DetectionDataset.from_coco(args.dataset)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=PROG, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--dataset", default="letters", help="'letters' or a COCO JSON file")
    p.add_argument("--images", type=int, default=4000, help="letters: images to draw")
    p.add_argument("--data-seed", type=int, default=0, help="letters: drawing seed")
    p.add_argument("--input-size", type=int, default=DetectorConfig.input_size)
    p.add_argument("--device", default="auto", help="cpu, cuda or auto")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--methods",
        default=DEFAULT_METHODS,
        help="name=card.json[?preset_key=value&...] (preset overrides, e.g. "
        "standard-classifier=models/letters-base.json?train_layers=classifier&lr=0.01), "
        "or name=scratch",
    )
    p.add_argument("--folds", default="0,1")
    p.add_argument("--ways", type=int, default=5)
    p.add_argument("--shots", default="1,5,20")
    p.add_argument("--steps", default="10,100,1000")
    p.add_argument(
        "--checkpoints",
        default="2,4,6,8,10,12,14,16,18,20,30,40,50,60,70,80,90,100,120,140,160,180,200,500,1000",
        help="steps at which every adaptation is scored (the ratio of steps to 90%% of "
        "the 1000-step AP50 is read off these)",
    )
    p.add_argument(
        "--max-steps",
        default="",
        help="per-method caps below the largest step count, e.g. 'scratch=10,standard=100'",
    )
    p.add_argument("--tasks", type=int, default=3)
    p.add_argument("--test-images", type=int, default=100)
    p.add_argument("--out", default="bench/results")
    p.add_argument("--stem", default="fewshot")
    p.add_argument(
        "--task-batch",
        type=int,
        default=1,
        help="adapt up to this many tasks of a method and K in one batched (vmap) "
        "computation: for a GPU (e.g. 6 = 2 folds × 3 tasks); 1 adapts them one by one",
    )
    p.add_argument(
        "--compare-with",
        default="",
        help="other results files of the same tasks, comma-separated (e.g. the main "
        "grid): the headline is also computed over all their methods; a method in "
        "several is one curve where their shared checkpoints agree (finer checkpoints "
        "or more steps of the same adaptations)",
    )
    p.add_argument("--quick", action="store_true", help=f"a CPU-sized run: {QUICK}")
    p.add_argument(
        "--update-cards",
        action="store_true",
        help="write each model's results into its card's 'benchmark' field",
    )
    return p


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    args = build_parser().parse_args(argv)
    if args.quick:  # minutes on a CPU: one fold, 5-shot, 10 and 50 steps, two tasks
        for key, value in QUICK.items():
            setattr(args, key, value)

    caps = {
        name: int(cap)
        for name, _, cap in (item.partition("=") for item in args.max_steps.split(",") if item)
    }
    methods = parse_methods(args.methods, caps)
    folds = [list(LETTER_FOLDS[int(i)]) for i in args.folds.split(",")]
    ints = lambda text: [int(v) for v in text.split(",")]  # noqa: E731
    cfg = FewshotConfig(
        folds=folds,
        train_classes=list(BASE_CLASSES),
        methods=methods,
        ways=args.ways,
        shots=ints(args.shots),
        steps=ints(args.steps),
        checkpoints=ints(args.checkpoints),
        tasks=args.tasks,
        test_images=args.test_images,
        seed=args.seed,
    )
    out = Path(args.out)
    results = run_fewshot(
        cfg,
        dataset_from_args(args),
        out / f"{args.stem}.json",
        device=pick_device(args.device),
        command=explicit_command(args),
        task_batch=args.task_batch,
    )
    others = {
        name: json.loads(Path(name).read_text()) for name in args.compare_with.split(",") if name
    }
    combined = None
    if others:
        results["headline_combined"], combined = combined_headline(results, others)
        (out / f"{args.stem}.json").write_text(json.dumps(results, indent=1))
    md, png = write_report(results, out, args.stem, combined=combined)
    if args.update_cards:
        for path in update_cards(results, methods, str(out / f"{args.stem}.json")):
            print(f"benchmark row written into {path}")
    print(md.read_text())
    print(f"wrote {out / (args.stem + '.json')}, {md} and {png}")
    print(json.dumps(results.get("headline_combined") or results["headline"], indent=1))
