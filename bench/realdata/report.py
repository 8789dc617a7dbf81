"""The benchmark's markdown table and its plot of AP50 against adaptation steps."""

from __future__ import annotations

import statistics
from pathlib import Path


def _cell(stat: dict | None) -> str:
    if not stat or stat.get("mean") is None:
        return "—"
    return f"{stat['mean']:.3f}" + (
        f" ± {stat['ci95']:.3f}" if stat.get("ci95") is not None else ""
    )


def _size(task: dict) -> str:
    size = task.get("support", {}).get("size")
    return f" ({size[0]}×{size[1]} px)" if size else ""


def _mean(summary: dict, method: str, step: str) -> float | None:
    return summary.get(method, {}).get("steps", {}).get(step, {}).get("AP50", {}).get("mean")


def _versus(a: dict, b: dict) -> tuple[str, str]:
    """Who wins between two AP50 cells, and whether their 95% intervals overlap."""
    if a["ci95"] is None or b["ci95"] is None:
        overlap = f"n = {a['n']}, no interval"
    elif abs(a["mean"] - b["mean"]) <= a["ci95"] + b["ci95"]:
        overlap = "the 95% intervals overlap"
    else:
        overlap = "the 95% intervals do not overlap"
    first, second = round(a["mean"], 3), round(b["mean"], 3)  # as the table shows them
    return ("wins" if first > second else "loses" if first < second else "ties"), overlap


def comparisons(results: dict) -> list[str]:
    """Plain sentences, per family and step: each card's initialization against the best
    fine-tuning baseline, and the best meta-learned method against the best of the others."""
    kinds = {name: m["kind"] for name, m in results["methods"].items()}
    lines = []
    for family, summary in results["summary"].items():
        for step in [s for s in map(str, results["config"]["checkpoints"]) if s != "0"]:
            means = {m: v for m in summary if (v := _mean(summary, m, step)) is not None}
            cells = {m: summary[m]["steps"][step]["AP50"] for m in means}
            baselines = {m: v for m, v in means.items() if kinds.get(m) == "fine-tuning baseline"}
            best_baseline = max(baselines, key=baselines.get) if baselines else None
            for method in [m for m in means if m not in baselines and best_baseline]:
                verdict, overlap = _versus(cells[method], cells[best_baseline])
                lines.append(
                    f"- {family}, {step} steps: {method} {verdict} against the best fine-tuning "
                    f"baseline, {best_baseline}: {means[method]:.3f} vs {means[best_baseline]:.3f} "
                    f"({overlap})."
                )
            meta = {m: v for m, v in means.items() if kinds.get(m) == "meta-learned"}
            other = {m: v for m, v in means.items() if kinds.get(m) != "meta-learned"}
            if meta and other:
                best_meta, best_other = max(meta, key=meta.get), max(other, key=other.get)
                verdict, overlap = _versus(cells[best_meta], cells[best_other])
                lines.append(
                    f"- {family}, {step} steps: meta-learning {verdict} — best meta-learned "
                    f"{best_meta} {meta[best_meta]:.3f}, best other {best_other} "
                    f"{other[best_other]:.3f} ({overlap})."
                )
    return lines


def write_report(results: dict, out_dir: str | Path, stem: str = "realdata") -> tuple[Path, Path]:
    """``<stem>.md`` (a table per family: AP50 and AP by step, mean ± 95% interval over tasks,
    and the timed loop) and ``<stem>.png`` (AP50 against steps, a panel per family)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    cfg, machine = results["config"], results["machine"]
    steps = [str(s) for s in cfg["checkpoints"]]
    lines = [
        "# Real-image benchmark: NEON tree crowns (deepforest's sample tiles) and the letters",
        "",
        f"Command: `{results['command']}`",
        "",
        f"torch {machine['torch']} ({machine['threads']} threads, {machine['cpu_capability']}), "
        f"{machine['cores']} CPUs, load average at start {machine['load_average_at_start']}"
        + (f", at end {machine['load_average_at_end']}" if "load_average_at_end" in machine else "")
        + f"; {results['created_at']}.",
        "",
        "AP50 and AP on the scored images after N adaptation steps (the method's preset, no early "
        "stopping): mean ± 95% t-interval over tasks, n tasks. *Loop s*: one Iterate with the "
        "method's own preset (its steps and early stopping) — adapt, detect the scored images, "
        "evaluate — on this machine: the median over tasks and the slowest task; *loop AP50*: "
        "what that Iterate scored.",
        "",
    ]
    if cfg.get("loop_steps_cap"):
        lines += [f"The timed loop was capped at {cfg['loop_steps_cap']} steps (a smoke run).", ""]
    for key, family in results["families"].items():
        tasks = family["tasks"]
        lines += [
            f"## {key}: {family['title']}",
            "",
            f"COCO max detections per image: {family['max_detections']} (twice the most boxes on "
            "one scored image, rounded up to 100). Tasks: "
            + "; ".join(
                f"{t['name']}: {t['support_boxes']} support boxes on {t['support_images']} "
                f"image(s){_size(t)}, {t['query_boxes']} scored on {t['query_images']}"
                for t in tasks
            )
            + ".",
            "",
        ]
        head = (
            [f"AP50 @{s}" for s in steps]
            + [f"AP @{s}" for s in steps]
            + ["n", "loop s: median, slowest (steps)", "loop AP50"]
        )
        lines += ["| method | " + " | ".join(head) + " |", "|---|" + "---|" * len(head)]
        for name, cell in results["summary"].get(key, {}).items():
            at = cell["steps"]
            n = max((v["AP50"]["n"] for v in at.values()), default=0)
            loop_runs = [
                r["loop"] for k, r in results["runs"].items() if k.startswith(f"{key}/{name}/")
            ]
            loop_steps = sorted({r["preset_steps"] for r in loop_runs})
            seconds = [r["seconds"] for r in loop_runs] or [0.0]
            row = (
                [_cell(at.get(s, {}).get("AP50")) for s in steps]
                + [_cell(at.get(s, {}).get("AP")) for s in steps]
                + [
                    str(n),
                    f"{statistics.median(seconds):.1f}, {max(seconds):.1f} "
                    f"({'/'.join(map(str, loop_steps))})",
                    _cell(cell["loop_AP50"]),
                ]
            )
            lines.append(f"| {name} | " + " | ".join(row) + " |")
        by_image = [
            (k.split("/")[1], r["curve"][-1])
            for k, r in results["runs"].items()
            if k.startswith(f"{key}/") and "by_image" in r["curve"][-1]
        ]
        if by_image:
            lines += [
                "",
                f"AP50 of each scored image at {steps[-1]} steps: "
                + "; ".join(
                    f"{m}: " + ", ".join(f"{img} {v:.3f}" for img, v in p["by_image"].items())
                    for m, p in by_image
                )
                + ".",
            ]
        lines.append("")
    lines += ["## Methods", ""]
    for name, m in results["methods"].items():
        start = m.get("card") or m.get("start")
        lines.append(
            f"- **{name}** ({m['kind']}{', ' + m['algorithm'] if m.get('algorithm') else ''}): "
            f"{start}; preset {m['preset']}"
        )
    lines += ["", "## Where meta-learning wins and where it does not", ""]
    lines += comparisons(results) or [
        "- No meta-learned method and baseline were run side by side."
    ]
    md = out / f"{stem}.md"
    md.write_text("\n".join(lines) + "\n")
    return md, plot(results, out / f"{stem}.png")


def plot(results: dict, path: Path) -> Path:
    """AP50 against adaptation steps, one panel per family, one line per method (the 95%
    interval shaded where n > 1)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullLocator

    families = list(results["summary"])
    methods = list(results["methods"])
    fig, axes = plt.subplots(
        1, max(1, len(families)), figsize=(4.2 * max(1, len(families)), 3.8), squeeze=False
    )
    colours = plt.get_cmap("tab10")
    for ax, family in zip(axes[0], families, strict=False):
        for i, method in enumerate(methods):
            at = results["summary"][family].get(method, {}).get("steps", {})
            xs = sorted(int(s) for s in at if at[s]["AP50"]["mean"] is not None)
            if not xs:
                continue
            ys = [at[str(x)]["AP50"]["mean"] for x in xs]
            half = [at[str(x)]["AP50"]["ci95"] or 0.0 for x in xs]
            ax.plot(xs, ys, marker="os^Dv<>"[i % 7], color=colours(i % 10), label=method)
            ax.fill_between(
                xs,
                [y - h for y, h in zip(ys, half, strict=True)],
                [y + h for y, h in zip(ys, half, strict=True)],
                color=colours(i % 10),
                alpha=0.12,
            )
        ax.set_xscale("symlog", linthresh=10)
        ax.set_xticks(
            results["config"]["checkpoints"], [str(c) for c in results["config"]["checkpoints"]]
        )
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_ylim(0, 1)
        ax.set_xlabel("adaptation steps")
        ax.set_ylabel("AP50 (scored images)")
        ax.set_title(family)
        ax.grid(alpha=0.3)
    axes[0][-1].legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=120, bbox_inches="tight")
    plt.close(fig)
    return path
