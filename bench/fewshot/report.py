"""The few-shot benchmark's outputs: a markdown table and a plot of AP50 against adaptation
steps, and each benchmarked model's row in its model card (``models/*.json``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from worker.engine.model_io import read_card, write_card

from .grid import Method, method_preset


def update_cards(results: dict, methods: Sequence[Method], source: str) -> list[Path]:
    """Write each benchmarked model's row (its summary by K and step, and the preset it was
    measured with, so the row stays readable after the card's preset changes) into its model
    card under ``benchmark``; methods that override the card's preset are variants and leave it
    alone."""
    cfg = results["config"]
    written = []
    for method in methods:
        if method.card is None or method.preset or method.name not in results["summary"]:
            continue
        path = Path(method.card)
        card = read_card(path)
        card["benchmark"] = {
            "method": method.name,
            "source": source,
            "command": results.get("command"),
            "device": results.get("device"),
            "preset": method_preset(method, card),
            "note": (
                f"{cfg['ways']}-way, K in {cfg['shots']}, "
                f"folds {[''.join(f) for f in cfg['folds']]}, "
                f"{cfg['tasks']} task(s) per fold, {cfg['test_images']} scored images each; "
                "AP50/AP mean ± 95% interval by adaptation steps"
            ),
            **results["summary"][method.name],
        }
        write_card(path, card)
        written.append(path)
    return written


def write_report(
    results: dict, out_dir: str | Path, stem: str = "fewshot", combined: dict | None = None
) -> tuple[Path, Path]:
    """A markdown table (AP50 mean ± 95% interval per method, K and step count) and a PNG plot
    of AP50 against adaptation steps, one line per method (the thesis' figure 7.1). With
    ``combined`` (the merged summary of :func:`combined_headline`) the plot draws the merged
    curves, the other files' methods dashed."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(out_dir)
    summary, cfg = results["summary"], results["config"]
    steps = [str(s) for s in cfg["steps"]]
    lines = [
        f"# Few-shot benchmark ({cfg['ways']}-way, {len(cfg['folds'])} fold(s), "
        f"{cfg['tasks']} task(s) per cell, {cfg['test_images']} scored images per task)",
        "",
        f"Device: {results.get('device')}. Command: `{results.get('command')}`",
        "",
        "AP50 on held-out classes after N adaptation steps: mean ± 95% interval over tasks "
        "(— : not run).",
        "",
        "| method | " + " | ".join(f"K={k}, {s} steps" for k in cfg["shots"] for s in steps) + " |",
        "|---|" + "---|" * (len(cfg["shots"]) * len(steps)),
    ]
    for method in summary:
        cells = []
        for k in cfg["shots"]:
            for s in steps:
                stat = summary[method].get(f"K{k}", {}).get(s, {}).get("AP50")
                if not stat or stat["mean"] is None:
                    cells.append("—")
                else:
                    ci = f" ± {stat['ci95']:.3f}" if stat["ci95"] is not None else ""
                    cells.append(f"{stat['mean']:.3f}{ci}")
        lines.append(f"| {method} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Headline",
        "",
        "```json",
        json.dumps(results.get("headline", {}), indent=1),
        "```",
    ]
    if results.get("headline_combined"):
        lines += [
            "",
            f"## Headline with {results['headline_combined']['with']} (the same tasks)",
            "",
            "```json",
            json.dumps(results["headline_combined"], indent=1),
            "```",
        ]
    if combined:
        lines += ["", "## Mean AP50 by step, the files combined", ""]
        lines += [
            f"- {method} {shots}: "
            + ", ".join(
                f"{s}: {c['AP50']['mean']:.3f}"
                for s, c in curve.items()
                if c["AP50"]["mean"] is not None
            )
            for method, by_k in combined.items()
            for shots, curve in by_k.items()
        ]
    md = out / f"{stem}.md"
    md.write_text("\n".join(lines) + "\n")

    fig, axes = plt.subplots(
        1, len(cfg["shots"]), figsize=(5 * len(cfg["shots"]), 4), squeeze=False
    )
    combined = combined or {}
    others = {m: c for m, c in combined.items() if m not in summary}
    series = [(combined.get(m, c), "-", m) for m, c in summary.items()] + [
        (c, "--", f"{m} (compared)") for m, c in others.items()
    ]
    # one colour and marker per method, the same in every panel (tab10 alone repeats after 10)
    colours = plt.get_cmap("tab10" if len(series) <= 10 else "tab20")
    markers = "os^Dv<>PX*"
    for ax, k in zip(axes[0], cfg["shots"], strict=True):
        for i, (by_k, style, label) in enumerate(series):
            curve = by_k.get(f"K{k}", {})
            xs = sorted(int(s) for s in curve if s != "0")
            ys = [curve[str(x)]["AP50"]["mean"] for x in xs]
            if xs:
                ax.plot(
                    xs,
                    ys,
                    marker=markers[i % len(markers)],
                    markersize=4,
                    linestyle=style,
                    color=colours(i),
                    label=label,
                )
        ax.set_xscale("log")
        ax.set_xlabel("adaptation steps")
        ax.set_ylabel("AP50 (held-out classes)")
        ax.set_title(f"{cfg['ways']}-way {k}-shot")
        ax.grid(alpha=0.3)
    axes[0][-1].legend(
        loc="upper left", bbox_to_anchor=(1.02, 1), fontsize="small"
    )  # beside the plots
    fig.tight_layout()
    png = out / f"{stem}_ap50_vs_steps.png"
    fig.savefig(png, dpi=120, bbox_inches="tight")
    plt.close(fig)
    return md, png
