"""Loop benchmark: one iteration of the feedback loop on this machine, stage by stage.

``make bench-loop`` (``python -m bench.loop``) starts the whole system the way ``make run`` does
(``python -m backend.launcher``: embedded Redis, API, one worker), creates the demo project —
25 annotated images in the adapt pool (5 per class), 200 unannotated, 50 annotated holdout — and
runs Iterate (adapt → detect → evaluate) with the default base model and its preset, several
times. It records the server's stage timings and the wall-clock time from the click to the last
result, and writes ``bench/results/loop.json``, ``loop.md`` and ``loop.png``.

``--project trees`` uses real aerial images instead: the ``deepforest`` package's 2299×2472
Yellowstone tile cut into a 3×3 grid (``bench.realdata.data``), one tile with all its crowns in
the adapt pool and the other eight, annotated, in the holdout pool; Iterate detects on those
eight tiles and evaluates on them.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
STAGES = ("queue_wait", "adapt", "detect", "evaluate", "total")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise TimeoutError(f"timed out waiting for {what}")


def _job_done(api: httpx.Client, pid: int, job_id: int, timeout: float = 900) -> dict:
    def done():
        job = api.get(f"/projects/{pid}/jobs/{job_id}").json()
        return job if job["state"] in ("succeeded", "failed", "cancelled") else None

    job = _wait(done, timeout, f"job {job_id}")
    if job["state"] != "succeeded":
        raise RuntimeError(f"job {job_id} ended {job['state']}: {job.get('error')}")
    return job


def _version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def _trees_project(api: httpx.Client, adapt_tile: int) -> tuple[int, dict, list[int], dict]:
    """A project of NEON tree crowns: tile ``adapt_tile`` of the 3×3 grid in the adapt pool, the
    other eight in the holdout pool, all annotated; returns (project id, image counts, holdout
    image ids, what the images are)."""
    import io

    from bench.realdata import data

    tiles = data.grid_tiles(data.load(data.YELL_LARGE))
    project = api.post("/projects", json={"name": "tree crowns", "classes": [{"name": "Tree"}]})
    project.raise_for_status()
    pid, class_id = project.json()["id"], project.json()["classes"][0]["id"]
    holdout_ids = []
    for index, tile in enumerate(tiles):
        buffer = io.BytesIO()
        tile.image.save(buffer, format="PNG")
        pool = "adapt" if index == adapt_tile else "holdout"
        files = [("files", (f"{tile.name}.png", buffer.getvalue(), "image/png"))]
        answer = api.post(f"/projects/{pid}/images", files=files, data={"pool": pool})
        answer.raise_for_status()
        image_id = answer.json()[0]["id"]
        boxes = [{"class_id": class_id, "box": [float(v) for v in b]} for b in tile.boxes]
        api.put(
            f"/projects/{pid}/images/{image_id}/annotations",
            json={"annotations": boxes, "state": "complete"},
        ).raise_for_status()
        if pool == "holdout":
            holdout_ids.append(image_id)
    counts = {"adapt": 1, "holdout": len(holdout_ids)}
    described = {
        "source": f"deepforest {data.YELL_LARGE} in a 3x3 grid",
        "adapt_tile": adapt_tile,
        "adapt_crowns": len(tiles[adapt_tile].boxes),
        "holdout_crowns": sum(len(t.boxes) for i, t in enumerate(tiles) if i != adapt_tile),
    }
    return pid, counts, holdout_ids, described


def run(
    iterations: int,
    out_dir: Path,
    routine: dict,
    model_name: str | None = None,
    project: str = "demo",
    adapt_tile: int = 4,
) -> dict:
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    data_dir = Path(tempfile.mkdtemp(prefix="metaloop-bench-"))
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update({"DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"})
    log = open(data_dir / "launcher.log", "wb")
    launcher = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "backend.launcher",
            "--port",
            str(port),
            "--data-dir",
            str(data_dir),
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}/api"
    try:
        _wait(lambda: _get_ok(f"{base}/health"), 120, "the API")
        anon = httpx.Client(base_url=base, timeout=60)
        token = anon.post(
            "/auth/setup", json={"username": "bench", "password": "bench-password"}
        ).json()["access_token"]
        api = httpx.Client(base_url=base, timeout=60, headers={"Authorization": f"Bearer {token}"})
        _wait(lambda: any(w["online"] for w in api.get("/workers").json()), 180, "a worker")
        worker = api.get("/workers").json()[0]
        detect_ids: list[int] | None = None
        if project == "trees":
            pid, counts, detect_ids, images = _trees_project(api, adapt_tile)
        else:
            demo = api.post("/projects/demo", json={}).json()
            pid = demo["project"]["id"]
            _job_done(api, pid, demo["job_id"])
            counts = {
                pool: api.get(f"/projects/{pid}/images", params={"pool": pool, "limit": 1}).json()[
                    "total"
                ]
                for pool in ("adapt", "holdout")
            }
            images = {**counts, "adapt_annotated": 25, "detected": 200}
        models = api.get(f"/projects/{pid}/models").json()
        model = next(
            m for m in models if (m["name"] == model_name if model_name else m.get("is_default"))
        )
        runs = []
        for i in range(iterations):
            clicked = time.time()
            params = {"model_id": model["id"], "routine": routine}
            if detect_ids is not None:
                params["image_ids"] = detect_ids
            job = api.post(f"/projects/{pid}/jobs", json={"kind": "iterate", "params": params})
            job.raise_for_status()
            job = job.json()
            job = _job_done(api, pid, job["id"])
            wall = time.time() - clicked
            metrics = api.get(f"/projects/{pid}/metrics", params={"job_id": job["id"]}).json()[
                "metrics"
            ]
            ap50 = next(
                (m["value"] for m in metrics if m["name"] == "AP50" and m["class_id"] is None), None
            )
            adapt = next(t for t in job["tasks"] if t["kind"] == "adapt")
            runs.append(
                {
                    "iteration": i + 1,
                    "wall_seconds": round(wall, 3),
                    "timings": job["timings"],
                    "holdout_AP50": ap50,
                    "steps_run": (adapt.get("result") or {}).get("steps_run"),
                    "detect_tasks": sum(t["kind"] == "detect" for t in job["tasks"]),
                }
            )
            print(f"iteration {i + 1}: {wall:.1f} s wall, stages {job['timings']}, AP50 {ap50}")
        return {
            "machine": {
                "cpu": platform.processor() or platform.machine(),
                "cores": os.cpu_count(),
                "python": platform.python_version(),
                "device": worker["device"],
                # what the timings depend on beyond the code: the worker's torch (this
                # venv's) and how busy the machine was when the run started
                "torch": _version("torch"),
                "load_average_at_start": load_at_start,
            },
            "model": {"name": model["name"], "algorithm": model.get("algorithm")},
            "routine": routine,
            "project": project,
            "images": images,
            "runs": runs,
            "summary": _summary(runs),
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
    finally:
        os.killpg(launcher.pid, signal.SIGTERM)
        try:
            launcher.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(launcher.pid, signal.SIGKILL)
        log.close()
        shutil.rmtree(data_dir, ignore_errors=True)


def _get_ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def _summary(runs: list[dict]) -> dict:
    out = {"wall_seconds": _stats([r["wall_seconds"] for r in runs])}
    for stage in STAGES:
        values = [r["timings"].get(stage) for r in runs if r["timings"].get(stage) is not None]
        if values:
            out[f"{stage}_seconds"] = _stats(values)
    return out


def _stats(values: list[float]) -> dict:
    return {
        "median": round(statistics.median(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
        "n": len(values),
    }


def write(result: dict, out_dir: Path, stem: str = "loop") -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{stem}.json").write_text(json.dumps(result, indent=1) + "\n")
    s = result["summary"]
    trees = result.get("project") == "trees"
    rows = ["| stage | median s | min s | max s |", "|---|---|---|---|"]
    for key, label in [
        ("queue_wait_seconds", "queue wait"),
        ("adapt_seconds", "adapt (1 tile)" if trees else "adapt (25 images)"),
        ("detect_seconds", "detect (8 tiles)" if trees else "detect (200 images)"),
        ("evaluate_seconds", "evaluate (holdout)"),
        ("total_seconds", "job total (server)"),
        ("wall_seconds", "click → last result (client)"),
    ]:
        if key in s:
            rows.append(
                f"| {label} | {s[key]['median']:.2f} | {s[key]['min']:.2f} | {s[key]['max']:.2f} |"
            )
    m = result["machine"]
    text = [
        f"# One loop iteration ({m['cores']} cores, {m['device']}, {m['cpu']})",
        "",
        f"Images: {json.dumps(result.get('images'))}.",
        "",
        f"torch {m.get('torch')}; load average at the start {m.get('load_average_at_start')}.",
        "",
        f"Model `{result['model']['name']}`, routine {json.dumps(result['routine'])}; "
        f"{len(result['runs'])} iterations; holdout AP50 per iteration: "
        f"{[r['holdout_AP50'] for r in result['runs']]}.",
        "",
        *rows,
        "",
    ]
    (out_dir / f"{stem}.md").write_text("\n".join(text))
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        stages = [k for k in ("queue_wait", "adapt", "detect", "evaluate") if f"{k}_seconds" in s]
        fig, ax = plt.subplots(figsize=(6, 3))
        left = 0.0
        for stage in stages:
            width = s[f"{stage}_seconds"]["median"]
            ax.barh([0], [width], left=left, label=f"{stage} {width:.1f}s")
            left += width
        target = 20 if trees else 15
        ax.axvline(target, color="red", linestyle="--", label=f"target {target} s")
        ax.set_yticks([])
        ax.set_xlabel("seconds (median over iterations)")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.35), ncol=3, fontsize=8)
        fig.tight_layout()
        fig.savefig(out_dir / f"{stem}.png", dpi=120)
        plt.close(fig)
    except ImportError:
        pass


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.loop", description=__doc__)
    parser.add_argument("--iterations", type=int, default=3)
    parser.add_argument("--out", default=str(REPO / "bench" / "results"))
    parser.add_argument("--routine", default="{}", help="JSON overrides of the model's preset")
    parser.add_argument(
        "--model", default=None, help="a shipped model's name (default: the default model)"
    )
    parser.add_argument("--stem", default="loop", help="result file names: <stem>.json, .md, .png")
    parser.add_argument(
        "--project",
        default="demo",
        choices=["demo", "trees"],
        help="the synthetic-letters demo, or real tree crowns (deepforest's tiles)",
    )
    parser.add_argument("--adapt-tile", type=int, default=4, help="trees: the tile adapted on")
    args = parser.parse_args(argv)
    result = run(
        args.iterations,
        Path(args.out),
        json.loads(args.routine),
        args.model,
        args.project,
        args.adapt_tile,
    )
    write(result, Path(args.out), args.stem)
    print((Path(args.out) / f"{args.stem}.md").read_text())


if __name__ == "__main__":
    main()
