"""``python -m bench.realdata``: few-shot detection on real aerial images (NEON tree crowns) and
on the letters, every method side by side.

Run from the repository root (the default methods and output folder are relative to it):

    python -m bench.realdata --quick     # a smoke run, minutes on a CPU
    python -m bench.realdata             # families a, b, c; writes bench/results/realdata.*
    python -m bench.realdata --families a \\
        --methods new=models/scenes-base.json,finetune-head=finetune-head
"""

from __future__ import annotations

import argparse
import logging
import shlex
from pathlib import Path

from worker.runner import pick_device

from . import tasks
from .harness import run_benchmark
from .methods import Starts, parse, reference_card
from .report import write_report

PROG = "python -m bench.realdata"

DEFAULT_METHODS = (
    "new-default=models/scenes-base.json,letters-metasgd=models/letters-metasgd.json,"
    "finetune-head=finetune-head,finetune-all=finetune-all"
)

QUICK = {
    "adapt_tiles": "4",
    "steps": 5,
    "checkpoints": "0,2,5",
    "letters_folds": "0",
    "letters_tasks": 1,
    "letters_images": 1500,
    "letters_test_images": 20,
    "loop_steps_cap": 5,
    "stem": "realdata-quick",
}


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=PROG, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--families",
        default="a,b,c",
        help="a: within one site (all crowns, and a window of --crowns crowns); "
        "b: across sites; c: the letters",
    )
    p.add_argument(
        "--methods",
        default=DEFAULT_METHODS,
        help="name=card.json[?preset_key=value&...], or name=finetune-head / "
        "name=finetune-all[?preset_key=value&...] (the fine-tuning baselines); a missing "
        "card is skipped",
    )
    p.add_argument(
        "--reference",
        default="models/scenes-base.json",
        help="the card whose architecture the fine-tuning baselines take (else the first "
        "card method on the efficientnet_lite0 trunk)",
    )
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--checkpoints", default="0,10,100", help="steps at which the curve is scored")
    p.add_argument(
        "--adapt-tiles",
        default=",".join(map(str, tasks.ADAPT_TILES)),
        help="(a): the tiles of the 3×3 grid adapted on (row-major, 0-8)",
    )
    p.add_argument(
        "--crowns", type=int, default=10, help="(a): crowns in the partial support window"
    )
    p.add_argument("--letters-folds", default="0,1")
    p.add_argument("--letters-tasks", type=int, default=2, help="(c): tasks per fold")
    p.add_argument(
        "--letters-images", type=int, default=4000, help="(c): letters drawn (as bench.fewshot)"
    )
    p.add_argument(
        "--letters-test-images", type=int, default=100, help="(c): scored images per task"
    )
    p.add_argument(
        "--loop-steps-cap",
        type=int,
        default=None,
        help="cap the timed loop's steps (smoke runs); by default the preset's own",
    )
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--device", default="cpu", help="cpu, cuda or auto (the loop's time is a CPU figure)"
    )
    p.add_argument("--out", default="bench/results")
    p.add_argument("--stem", default="realdata")
    p.add_argument("--quick", action="store_true", help=f"a smoke run: {QUICK}")
    return p


def explicit_command(args: argparse.Namespace) -> str:
    """The command with every option spelled out (defaults included), so it repeats the run after
    a default changes."""
    words = shlex.split(PROG)
    for dest, value in vars(args).items():
        if dest == "quick" or value is None:
            continue
        words += [f"--{dest.replace('_', '-')}", str(value)]
    return shlex.join(words)


def build_families(args: argparse.Namespace) -> list[tasks.Family]:
    wanted = [f.strip() for f in args.families.split(",") if f.strip()]
    if unknown := sorted(set(wanted) - {"a", "b", "c"}):
        raise SystemExit(f"--families: unknown {unknown}; choose from a, b, c")
    families: list[tasks.Family] = []
    if "a" in wanted:
        tiles = [int(t) for t in args.adapt_tiles.split(",")]
        if any(not 0 <= t <= 8 for t in tiles):
            raise SystemExit("--adapt-tiles: tiles of the 3×3 grid are 0-8")
        families += tasks.within_site(tiles, args.crowns, args.seed)
    if "b" in wanted:
        families.append(tasks.across_sites())
    if "c" in wanted:
        families.append(
            tasks.letters(
                [int(f) for f in args.letters_folds.split(",")],
                args.letters_tasks,
                test_images=args.letters_test_images,
                seed=args.seed,
                images=args.letters_images,
            )
        )
    return families


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    args = build_parser().parse_args(argv)
    if args.quick:
        for key, value in QUICK.items():
            setattr(args, key, value)
    methods = parse(args.methods)
    if not methods:
        raise SystemExit("--methods: no method to run")
    reference = reference_card(args.reference, methods)
    if reference is None and any(m.card is None for m in methods):
        print(
            "skipping the fine-tuning baselines: no reference card on the efficientnet_lite0 trunk"
        )
        methods = [m for m in methods if m.card is not None]
    families = build_families(args)
    checkpoints = sorted({int(c) for c in args.checkpoints.split(",")} | {args.steps})
    config = {
        "families": [f.key for f in families],
        "adapt_tiles": args.adapt_tiles,
        "crowns": args.crowns,
        "letters": {
            "folds": args.letters_folds,
            "tasks_per_fold": args.letters_tasks,
            "images": args.letters_images,
            "test_images": args.letters_test_images,
        },
        "reference_card": reference["path"] if reference else None,
        "device": args.device,
        "data": "deepforest package data files: " + _deepforest_version(),
    }
    out = Path(args.out)
    results = run_benchmark(
        families,
        methods,
        Starts(reference, pick_device(args.device)),
        out / f"{args.stem}.json",
        steps=args.steps,
        checkpoints=checkpoints,
        seed=args.seed,
        loop_steps_cap=args.loop_steps_cap,
        command=explicit_command(args),
        config=config,
    )
    md, png = write_report(results, out, args.stem)
    print(md.read_text())
    print(f"wrote {out / (args.stem + '.json')}, {md} and {png}")


def _deepforest_version() -> str:
    import importlib.metadata

    try:
        return "deepforest " + importlib.metadata.version("deepforest")
    except importlib.metadata.PackageNotFoundError:
        return "deepforest (version unknown)"
