"""Few-shot curves on the tasks one results file holds — for a run stopped part-way (its file has
runs but no report), compared with other files' runs of the very same tasks.

    .venv/bin/python -m bench.fewshot.tasks \\
        --tasks-of bench/results/fewshot-cpu-standard-b100.json \\
        --shots 20 --bar-from standard-lr3e-4 \\
        fomaml-full=bench/results/fewshot-cpu-fullbatch.json \\
        fomaml=bench/results/fewshot-cpu.json+bench/results/fewshot-cpu-fine.json \\
        standard-lr3e-4=bench/results/fewshot-cpu-standard-lr3e-4.json+\\
bench/results/fewshot-cpu-fine.json \\
        standard-lr3e-4-b32=bench/results/fewshot-cpu-standard-b32.json \\
        standard-lr3e-4-b100=bench/results/fewshot-cpu-standard-b100.json

Each method's runs of a task are merged over its files (finer checkpoints of the same
adaptation); the table gives the mean AP50 over the tasks and the first checkpoint at 90% of the
method's own 1000-step AP50 (or, for a method not run to 1000 steps, of ``--bar-from``'s), as the
benchmark's headline does.
"""

from __future__ import annotations

import argparse
import json

from .grid import steps_to_reach, summarize_runs


def merged_runs(methods: dict[str, list[str]], tasks: set[tuple[str, str]], shots: int) -> dict:
    """``fold/method/K/task`` → a run whose curve joins the method's files' curves of that task."""
    files = {path: json.load(open(path))["runs"] for paths in methods.values() for path in paths}
    runs = {}
    for method, paths in methods.items():
        for fold, task in sorted(tasks):
            key, points = f"{fold}/{method}/K{shots}/{task}", {}
            for path in paths:
                for point in files[path].get(key, {}).get("curve", []):
                    if (
                        point["step"] in points
                        and abs(points[point["step"]]["AP50"] - point["AP50"]) > 1e-4
                    ):
                        raise SystemExit(f"{key}: {path} disagrees at step {point['step']}")
                    points[point["step"]] = point
            if not points:
                raise SystemExit(f"{key}: in none of {paths}")
            runs[key] = {"curve": [points[s] for s in sorted(points)]}
    return runs


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--tasks-of", required=True, help="the results file whose tasks are compared"
    )
    parser.add_argument("--shots", type=int, required=True)
    parser.add_argument(
        "--bar-from", default="", help="whose 1000-step AP50 sets the bar where a method has none"
    )
    parser.add_argument("methods", nargs="+", help="name=results.json[+more.json]")
    args = parser.parse_args(argv)
    held = json.load(open(args.tasks_of))["runs"]
    tasks = {
        (k.split("/")[0], k.split("/")[3]) for k in held if k.split("/")[2] == f"K{args.shots}"
    }
    methods = {
        name: paths.split("+") for name, _, paths in (m.partition("=") for m in args.methods)
    }
    summary = summarize_runs(None, merged_runs(methods, tasks, args.shots))
    curves = {
        m: {int(s): c["AP50"]["mean"] for s, c in summary[m][f"K{args.shots}"].items()}
        for m in methods
    }
    steps = sorted(set().union(*curves.values()) - {0})
    print(
        f"K={args.shots}, {len(tasks)} task(s): {', '.join('/'.join(t) for t in sorted(tasks))}\n"
    )
    print(
        "| method | "
        + " | ".join(map(str, steps))
        + " | bar | first at the bar | stays above from |"
    )
    print("|---|" + "---|" * (len(steps) + 3))
    for method, curve in curves.items():
        final = curve.get(1000, curves.get(args.bar_from, {}).get(1000))
        bar = None if final is None else 0.9 * final
        by_step = summary[method][f"K{args.shots}"]
        first = None if bar is None else steps_to_reach(by_step, bar)
        stay = None if bar is None else steps_to_reach(by_step, bar, stay=True)
        cells = [f"{curve[s]:.2f}" if s in curve else "—" for s in steps]
        print(
            f"| {method} | "
            + " | ".join(cells)
            + f" | {'—' if bar is None else f'{bar:.3f}'} | {first} | {stay} |"
        )


if __name__ == "__main__":
    main()
