"""Detect throughput with 1 and with 2 workers on this machine: ``python -m bench.worker_scaling``.

It starts the API (``python -m backend.launcher --no-worker``) on an embedded Redis, creates a
letters demo project with ``--images`` unannotated images (256 px), and for each set-up starts
its workers (``python -m worker``), waits until they are online, runs one detect job over 100
images to warm them up (model loaded, blobs cached), then ``--repeats`` detect jobs over all the
images with the default model. Images/s = images / (click → last result). The set-ups:

* 1 worker, torch threads ``auto`` (all the usable cores);
* 2 workers with ``WORKERS_PER_HOST=2`` (``auto``: the cores divided between them);
* 2 workers that each take every core (``WORKER_TORCH_THREADS`` = the usable cores): what a
  second worker did before the threads were divided, for comparison.

Writes ``bench/results/worker-scaling.json`` and ``worker-scaling.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from backend.embedded_redis import EmbeddedRedis
from bench.loop import REPO, _free_port, _get_ok, _job_done, _wait, machine, torch_threads


def setups() -> list[dict]:
    cores = len(os.sched_getaffinity(0))
    return [
        {"name": "1 worker", "workers": 1, "env": {"WORKERS_PER_HOST": "1"}},
        {"name": "2 workers, threads divided", "workers": 2, "env": {"WORKERS_PER_HOST": "2"}},
        {
            "name": "2 workers, every core each",
            "workers": 2,
            "env": {"WORKERS_PER_HOST": "1", "WORKER_TORCH_THREADS": str(cores)},
        },
    ]


def _start_workers(setup: dict, env: dict, data_dir: Path, tag: str) -> list[subprocess.Popen]:
    workers = []
    for i in range(setup["workers"]):
        log = open(data_dir / f"worker-{tag}-{i}.log", "wb")  # noqa: SIM115 - closed with it
        workers.append(
            subprocess.Popen(
                [sys.executable, "-m", "worker", "--name", f"{tag}-{i}"],
                cwd=REPO,
                env={**env, **setup["env"]},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    return workers


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _detect(api: httpx.Client, pid: int, model_id: int, image_ids: list[int] | None) -> float:
    params: dict = {"model_id": model_id}
    if image_ids:
        params["image_ids"] = image_ids
    clicked = time.time()
    answer = api.post(f"/projects/{pid}/jobs", json={"kind": "detect", "params": params})
    answer.raise_for_status()
    _job_done(api, pid, answer.json()["id"])
    return time.time() - clicked


def run(images: int, repeats: int) -> dict:
    host = machine()
    data_dir = Path(tempfile.mkdtemp(prefix="metaloop-scaling-"))
    redis_server = EmbeddedRedis(data_dir / "redis")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"})
    env.update({"REDIS_URL": redis_server.start(), "SERVER_URL": f"http://127.0.0.1:{port}"})
    launcher_log = open(data_dir / "launcher.log", "wb")  # noqa: SIM115
    launcher = subprocess.Popen(
        [sys.executable, "-m", "backend.launcher", "--no-worker", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=launcher_log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}/api"
    workers: list[subprocess.Popen] = []
    try:
        _wait(lambda: _get_ok(f"{base}/health"), 120, "the API")
        token = httpx.post(
            f"{base}/auth/setup", json={"username": "bench", "password": "bench-password"}
        ).json()["access_token"]
        api = httpx.Client(base_url=base, timeout=60, headers={"Authorization": f"Bearer {token}"})
        # one worker draws the demo project's images
        workers = _start_workers({"workers": 1, "env": {}}, env, data_dir, "generate")
        demo = api.post(
            "/projects/demo",
            json={"adapt_annotated": 5, "adapt_unannotated": images, "holdout": 0},
        )
        demo.raise_for_status()
        pid = demo.json()["project"]["id"]
        _job_done(api, pid, demo.json()["job_id"])
        _stop(workers)
        model = next(m for m in api.get(f"/projects/{pid}/models").json() if m.get("is_default"))
        page = api.get(f"/projects/{pid}/images", params={"limit": 200}).json()
        warm_ids = [im["id"] for im in page["items"][:100]]
        results = []
        for index, setup in enumerate(setups()):
            tag = f"s{index}"
            workers = _start_workers(setup, env, data_dir, tag)
            names = {f"{tag}-{i}" for i in range(setup["workers"])}
            _wait(
                lambda names=names: (
                    names <= {w["name"] for w in api.get("/workers").json() if w["online"]}
                ),
                180,
                f"workers {sorted(names)}",
            )
            _detect(api, pid, model["id"], warm_ids)
            load_before = [round(x, 2) for x in os.getloadavg()]
            walls = [_detect(api, pid, model["id"], None) for _ in range(repeats)]
            threads = [
                torch_threads((data_dir / f"worker-{tag}-{i}.log").read_text(errors="replace"))
                for i in range(setup["workers"])
            ]
            _stop(workers)
            wall = statistics.median(walls)
            results.append(
                {
                    "setup": setup["name"],
                    "workers": setup["workers"],
                    "env": setup["env"],
                    "torch_threads_per_worker": threads,
                    "seconds": [round(w, 3) for w in walls],
                    "images_per_second": round(images / wall, 2),
                    "load_average_before": load_before,
                }
            )
            print(f"{setup['name']}: {images / wall:.1f} images/s ({walls})", flush=True)
        return {
            "machine": {**host, "load_average_at_end": [round(x, 2) for x in os.getloadavg()]},
            "model": model["name"],
            "images": images,
            "repeats": repeats,
            "detect_chunk_size": int(os.environ.get("DETECT_CHUNK_SIZE", 50)),
            "results": results,
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
    finally:
        _stop(workers)
        _stop([launcher])
        launcher_log.close()
        redis_server.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


def write(result: dict, out_dir: Path, stem: str = "worker-scaling") -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{stem}.json").write_text(json.dumps(result, indent=1) + "\n")
    m, rows = result["machine"], []
    first = result["results"][0]["images_per_second"]
    for r in result["results"]:
        rows.append(
            f"| {r['setup']} | {r['torch_threads_per_worker']} | {r['images_per_second']:.1f} | "
            f"{r['images_per_second'] / first:.2f}x | {r['load_average_before']} |"
        )
    text = [
        f"# Detect throughput, 1 and 2 workers ({m['cores']} cores, {m['cpu']})",
        "",
        f"A detect job over {result['images']} letters images of 256 px with `{result['model']}`, "
        f"in tasks of {result['detect_chunk_size']} images; median of {result['repeats']} jobs "
        "after a warm-up job; images/s from the click to the last result.",
        "",
        f"Machine: {m['cpu']}, {m['cores']} usable cores of {m['logical_cpus']} logical CPUs; "
        f"torch {m['torch']}; load average {m['load_average_at_start']} at the start and "
        f"{m['load_average_at_end']} at the end (1, 5, 15 min).",
        "",
        "| set-up | torch threads per worker | images/s | vs 1 worker | load average before |",
        "|---|---|---|---|---|",
        *rows,
        "",
    ]
    (out_dir / f"{stem}.md").write_text("\n".join(text))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.worker_scaling", description=__doc__)
    parser.add_argument("--images", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--out", default=str(REPO / "bench" / "results"))
    parser.add_argument("--stem", default="worker-scaling")
    args = parser.parse_args(argv)
    result = run(args.images, args.repeats)
    write(result, Path(args.out), args.stem)
    print((Path(args.out) / f"{args.stem}.md").read_text())


if __name__ == "__main__":
    main()
