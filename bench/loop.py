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
import re
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
# the worker's line per finished task (worker.tasks.execute) and its torch threads (worker.__main__)
TASK_STAGES = re.compile(r"task (\d+) \((\w+)\) succeeded; stage seconds (\{.*\})")
TORCH_THREADS = re.compile(r"torch threads per task process: (\d+)")


def machine() -> dict:
    """What the figures depend on beyond the code: the CPU, the cores this process may use and
    the machine's logical CPUs, and how busy the machine is."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return {
        "cpu": model,
        "cores": usable,
        "logical_cpus": os.cpu_count(),
        "python": platform.python_version(),
        "torch": _version("torch"),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def worker_stages(log_text: str) -> dict[str, dict[str, float]]:
    """Per task kind, the seconds of each stage summed over its tasks, read from the worker's
    log lines (``task N (kind) succeeded; stage seconds {...}``); ``tasks``: how many."""
    out: dict[str, dict[str, float]] = {}
    for match in TASK_STAGES.finditer(log_text):
        kind, stages = match.group(2), json.loads(match.group(3))
        into = out.setdefault(kind, {"tasks": 0})
        into["tasks"] += 1
        for name, seconds in stages.items():
            into[name] = round(into.get(name, 0.0) + seconds, 4)
    return out


def torch_threads(log_text: str) -> int | None:
    found = TORCH_THREADS.search(log_text)
    return int(found.group(1)) if found else None


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
    host = machine()
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
            log.flush()
            log_start = (data_dir / "launcher.log").stat().st_size
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
            time.sleep(0.5)  # the worker logs a task's stages just after storing its result
            with open(data_dir / "launcher.log", "rb") as read:
                read.seek(log_start)
                stages = worker_stages(read.read().decode(errors="replace"))
            runs.append(
                {
                    "iteration": i + 1,
                    "wall_seconds": round(wall, 3),
                    "timings": job["timings"],
                    "holdout_AP50": ap50,
                    "steps_run": (adapt.get("result") or {}).get("steps_run"),
                    "detect_tasks": sum(t["kind"] == "detect" for t in job["tasks"]),
                    "worker_stages": stages,
                }
            )
            print(f"iteration {i + 1}: {wall:.1f} s wall, stages {job['timings']}, AP50 {ap50}")
            print(f"  worker stages: {json.dumps(stages)}")
        log.flush()
        log_text = (data_dir / "launcher.log").read_text(errors="replace")
        return {
            "machine": {
                **host,
                "device": worker["device"],
                "worker_torch_threads": torch_threads(log_text),
                "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
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
    # per task kind and stage, the median over iterations of the worker's seconds (summed over
    # the kind's tasks), and what the server's stage took beyond them (dispatch, task start)
    stages: dict[str, dict] = {}
    for kind in ("adapt", "detect", "evaluate"):
        names = sorted({n for r in runs for n in r.get("worker_stages", {}).get(kind, {})})
        per = {
            n: _stats(
                [r["worker_stages"][kind][n] for r in runs if n in r["worker_stages"].get(kind, {})]
            )
            for n in names
            if n != "tasks"
        }
        if not per:
            continue
        outside = [
            r["timings"][kind] - sum(v for n, v in r["worker_stages"][kind].items() if n != "tasks")
            for r in runs
            if r["timings"].get(kind) is not None and kind in r.get("worker_stages", {})
        ]
        if outside:
            per["outside_worker"] = _stats(outside)
        stages[kind] = per
    if stages:
        out["worker_stages"] = stages
    return out


STAGE_NAMES = {
    "model": "load the model",
    "fetch": "fetch images (blob cache)",
    "decode": "decode images",
    "prepare": "images to inputs (letterbox, tiles)",
    "forward": "model (forward, decode boxes, NMS)",
    "train": "adaptation steps (and checkpoint evaluations)",
    "pack": "predictions to JSON",
    "scoring": "COCO evaluation",
    "upload": "save and upload the weights",
    "report": "progress reports (HTTP)",
    "store": "post the result (HTTP; the server stores it)",
    # the server's clock against the worker's: dispatch and waits between tasks when positive;
    # near zero or below, the worker's parts (its result post) overlap the server's stage ends
    "outside_worker": "server's stage minus the worker's parts (dispatch, between tasks)",
}


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
    stage_rows = []
    for kind, per in s.get("worker_stages", {}).items():
        for name, stat in per.items():
            share = 100 * stat["median"] / max(1e-9, s[f"{kind}_seconds"]["median"])
            stage_rows.append(
                f"| {kind} | {STAGE_NAMES.get(name, name)} | {stat['median']:.3f} | {share:.0f}% |"
            )
    if stage_rows:
        stage_rows = [
            "Where each stage's time goes (the worker's own timings, summed over the stage's "
            "tasks; median over iterations):",
            "",
            "| stage | part | median s | share of the stage |",
            "|---|---|---|---|",
            *stage_rows,
            "",
        ]
    text = [
        f"# One loop iteration ({m['cores']} cores, {m['device']}, {m['cpu']})",
        "",
        f"Images: {json.dumps(result.get('images'))}.",
        "",
        f"Machine: {m['cpu']}, {m['cores']} usable cores of {m.get('logical_cpus')} logical "
        f"CPUs; torch {m.get('torch')} with {m.get('worker_torch_threads')} threads in the "
        f"worker; load average {m.get('load_average_at_start')} at the start and "
        f"{m.get('load_average_at_end')} at the end (1, 5, 15 min).",
        "",
        f"Model `{result['model']['name']}`, routine {json.dumps(result['routine'])}; "
        f"{len(result['runs'])} iterations; holdout AP50 per iteration: "
        f"{[r['holdout_AP50'] for r in result['runs']]}.",
        "",
        *rows,
        "",
        *stage_rows,
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
