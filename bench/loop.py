"""Loop benchmark: one iteration of the feedback loop on this machine, stage by stage.

``make bench-loop`` (``python -m bench.loop``) starts the whole system the way ``make run`` does
(``python -m backend.launcher``: embedded Redis, API, one worker), creates the demo project —
25 annotated images in the adapt pool (5 per class), 200 unannotated, 50 annotated holdout — and
runs Iterate (adapt → detect → evaluate) with the default base model and its preset, several
times. It records the server's stage timings and the wall-clock time from the click to the last
result, and writes ``bench/results/loop.json``, ``loop.md`` and ``loop.png``.
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


def run(iterations: int, out_dir: Path, routine: dict, model_name: str | None = None) -> dict:
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
        demo = api.post("/projects/demo", json={}).json()
        pid = demo["project"]["id"]
        _job_done(api, pid, demo["job_id"])
        counts = {
            pool: api.get(f"/projects/{pid}/images", params={"pool": pool, "limit": 1}).json()[
                "total"
            ]
            for pool in ("adapt", "holdout")
        }
        models = api.get(f"/projects/{pid}/models").json()
        model = next(
            m for m in models if (m["name"] == model_name if model_name else m.get("is_default"))
        )
        runs = []
        for i in range(iterations):
            clicked = time.time()
            job = api.post(
                f"/projects/{pid}/jobs",
                json={"kind": "iterate", "params": {"model_id": model["id"], "routine": routine}},
            ).json()
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
            "images": {**counts, "adapt_annotated": 25, "detected": 200},
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
    rows = ["| stage | median s | min s | max s |", "|---|---|---|---|"]
    for key, label in [
        ("queue_wait_seconds", "queue wait"),
        ("adapt_seconds", "adapt (25 images)"),
        ("detect_seconds", "detect (200 images)"),
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
        f"# One loop iteration on this machine ({m['cores']} cores, {m['device']})",
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
        ax.axvline(15, color="red", linestyle="--", label="target 15 s")
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
    args = parser.parse_args(argv)
    result = run(args.iterations, Path(args.out), json.loads(args.routine), args.model)
    write(result, Path(args.out), args.stem)
    print((Path(args.out) / f"{args.stem}.md").read_text())


if __name__ == "__main__":
    main()
