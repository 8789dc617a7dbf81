"""Import speed: one COCO import of N annotated images through the real API, with its cost.

``make bench-import`` (``python -m bench.import_speed``) generates N small PNG images, each with
distinct bytes (the API stores identical bytes once), with ``--boxes-per-image`` boxes each in a
COCO file, zipped in a temporary folder. It starts the API the way ``make run`` does
(``python -m backend.launcher``, SQLite in a temporary data folder; no worker: an import needs
none), creates a project and sends the zip to ``POST /api/projects/{id}/imports``
(``format=coco``, ``add_classes=true``). It measures:

* the wall time of the import: from sending the upload until its job has finished (the request
  answers 202 once the upload is saved; the job is then polled every 100 ms), and the stages
  its job went through;
* the resident memory of the API process and its children (the import runs in a child process)
  while it runs, sampled every 50 ms with ``psutil`` (without it: the API process alone, from
  ``/proc/<pid>/status``), its peak, and the API process's own high-water mark (``VmHWM``);
* from another thread, the latency of a cheap read (``GET /api/projects/{id}``) every 100 ms
  from 1 s before the import until 1 s after it: p50, p95, max, and any failed read;
* from a third thread, the latency of a small write (``PATCH /api/projects/{id}``, its
  description) every 500 ms: writes queue behind the import's storing transaction (SQLite has
  one writer at a time), so their worst case is reported, with no target.

Targets (issue 22): the import under 2 minutes, and the API answering other requests within
200 ms meanwhile (every read, so the max). It writes ``bench/results/import-speed.{json,md,png}``
(``--stem`` changes the name). The load average is recorded: on a shared 2-core machine, other
work changes the figures.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import httpx

from bench.loop import _free_port, _get_ok, _version, _wait

REPO = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 120.0
TARGET_READ_MS = 200.0
CLASSES = ("car", "tree", "house", "boat", "person")


def generate(folder: Path, n: int, boxes_per_image: int, size: int, progress: bool = True) -> Path:
    """A zip of ``n`` distinct ``size``×``size`` PNGs under ``images/`` and ``annotations.json``
    (COCO) with ``boxes_per_image`` boxes on each; returns its path."""
    import numpy as np
    from PIL import Image
    from tqdm import tqdm

    rng = np.random.default_rng(0)
    images, annotations = [], []
    path = folder / "coco.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        for index in tqdm(range(n), desc="generating images", unit="img", disable=not progress):
            pixels = np.empty((size, size, 3), np.uint8)
            pixels[:] = rng.integers(0, 256, 3, dtype=np.uint8)  # a background colour
            # the index in the first row's pixels: every file differs from every other
            pixels[0, :4, 0] = np.frombuffer(index.to_bytes(4, "big"), np.uint8)
            file_name = f"img_{index:06d}.png"
            for box in range(boxes_per_image):
                w, h = (int(v) for v in rng.integers(4, max(5, size // 3), 2))
                x, y = int(rng.integers(0, size - w)), int(rng.integers(1, size - h))
                pixels[y : y + h, x : x + w] = rng.integers(0, 256, 3, dtype=np.uint8)
                annotations.append(
                    {
                        "id": len(annotations) + 1,
                        "image_id": index + 1,
                        "category_id": box % len(CLASSES) + 1,
                        "bbox": [x, y, w, h],
                        "area": w * h,
                        "iscrowd": 0,
                    }
                )
            buffer = io.BytesIO()
            Image.fromarray(pixels).save(buffer, format="PNG")
            archive.writestr(f"images/{file_name}", buffer.getvalue())
            images.append(
                {"id": index + 1, "file_name": f"images/{file_name}", "width": size, "height": size}
            )
        coco = {
            "images": images,
            "annotations": annotations,
            "categories": [{"id": i + 1, "name": name} for i, name in enumerate(CLASSES)],
        }
        archive.writestr("annotations.json", json.dumps(coco))
    return path


def _rss_reader(pid: int):
    """A function giving the process's (RSS, high-water mark) in bytes; the mark is None where
    /proc is missing."""
    status = Path(f"/proc/{pid}/status")

    def from_proc() -> tuple[int, int | None]:
        fields = {}
        for line in status.read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) * 1024
        return fields["VmRSS"], fields.get("VmHWM")

    try:
        import psutil

        process = psutil.Process(pid)

        def sample() -> tuple[int, int | None]:
            # the API process and its children: the import runs in a child process
            rss = process.memory_info().rss
            for child in process.children(recursive=True):
                try:
                    rss += child.memory_info().rss
                except psutil.Error:
                    pass
            return rss, from_proc()[1] if status.exists() else None

        return sample, "psutil"
    except ImportError:
        return from_proc, "/proc"


def _api_pid(launcher_pid: int) -> int:
    """The uvicorn process that the launcher started."""
    try:
        import psutil

        for child in psutil.Process(launcher_pid).children(recursive=True):
            if "uvicorn" in " ".join(child.cmdline()):
                return child.pid
    except ImportError:
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                    cmdline = (entry / "cmdline").read_bytes()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == launcher_pid and b"uvicorn" in cmdline:
                    return int(entry.name)
    raise RuntimeError("the API process (uvicorn) was not found under the launcher")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    rank = q / 100 * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def run(n: int, boxes_per_image: int, size: int, progress: bool = True) -> dict:
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    work = Path(tempfile.mkdtemp(prefix="metaloop-bench-import-"))
    data_dir = work / "data"
    started = time.monotonic()
    zip_path = generate(work, n, boxes_per_image, size, progress)
    generate_seconds = time.monotonic() - started
    zip_bytes = zip_path.stat().st_size
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update({"DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"})
    log = open(work / "launcher.log", "wb")
    launcher = subprocess.Popen(
        [sys.executable, "-m", "backend.launcher", "--port", str(port)]
        + ["--data-dir", str(data_dir), "--no-worker"],
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
        headers = {"Authorization": f"Bearer {token}"}
        api = httpx.Client(base_url=base, timeout=3600, headers=headers)
        project = api.post("/projects", json={"name": "import speed", "classes": []})
        project.raise_for_status()
        pid = project.json()["id"]
        api_pid = _api_pid(launcher.pid)
        sample_rss, rss_source = _rss_reader(api_pid)
        rss_before, _ = sample_rss()

        stop = threading.Event()
        memory: list[tuple[float, int]] = []
        reads: list[dict] = []
        t0 = time.monotonic()

        def sample_memory() -> None:
            while not stop.is_set():
                memory.append((time.monotonic() - t0, sample_rss()[0]))
                stop.wait(0.05)

        writes: list[dict] = []

        def probe_loop(samples: list[dict], period: float, write: bool) -> None:
            prober = httpx.Client(base_url=base, timeout=120, headers=headers)
            tick = time.monotonic()
            while not stop.is_set():
                sent = time.monotonic()
                try:
                    if write:
                        answer = prober.patch(
                            f"/projects/{pid}", json={"description": f"probe at {sent:.3f}"}
                        )
                    else:
                        answer = prober.get(f"/projects/{pid}")
                    status: int | str = answer.status_code
                except httpx.HTTPError as error:
                    status = type(error).__name__
                took = time.monotonic() - sent
                samples.append(
                    {"t": round(sent - t0, 3), "ms": round(took * 1000, 2), "status": status}
                )
                tick = max(tick + period, time.monotonic())
                stop.wait(max(0.0, tick - time.monotonic()))
            prober.close()

        def read_loop() -> None:
            probe_loop(reads, 0.1, False)

        def write_loop() -> None:
            probe_loop(writes, 0.5, True)

        threads = [
            threading.Thread(target=f, daemon=True) for f in (sample_memory, read_loop, write_loop)
        ]
        for thread in threads:
            thread.start()
        time.sleep(1.0)
        import_start = time.monotonic() - t0
        with open(zip_path, "rb") as handle:
            answer = api.post(
                f"/projects/{pid}/imports",
                files={"file": ("coco.zip", handle, "application/zip")},
                data={"format": "coco", "pool": "adapt", "add_classes": "true"},
            )
        upload_seconds = time.monotonic() - t0 - import_start
        if answer.status_code != 202:
            raise RuntimeError(
                f"the import was refused ({answer.status_code}): {answer.text[:2000]}"
            )
        job_id = answer.json()["id"]
        stages: list[tuple[float, str]] = []
        while True:
            outcome = api.get(f"/projects/{pid}/imports/{job_id}").json()
            if not stages or stages[-1][1] != outcome["stage"]:
                stages.append((round(time.monotonic() - t0, 2), outcome["stage"]))
            if outcome["state"] in ("succeeded", "failed", "cancelled"):
                break
            time.sleep(0.1)
        import_end = time.monotonic() - t0
        time.sleep(1.0)
        stop.set()
        for thread in threads:
            thread.join(150)
        _, high_water = sample_rss()
        log.flush()
        # the API's own account of failed requests (e.g. sqlite3 "database is locked")
        server_errors = sorted(
            {
                line.strip()[:300]
                for line in (work / "launcher.log").read_text(errors="replace").splitlines()
                if "Error:" in line or "Exception:" in line
            }
        )[:10]
        if outcome["state"] != "succeeded":
            raise RuntimeError(f"the import {outcome['state']}: {json.dumps(outcome)[:2000]}")
        report = outcome["report"]
        stored = api.get(f"/projects/{pid}/images", params={"limit": 1}).json()["total"]
        seconds = import_end - import_start
        during = [r for r in reads if import_start <= r["t"] < import_end]
        ok = [r["ms"] for r in during if r["status"] == 200]
        failed = [r for r in during if r["status"] != 200]
        peak = max(rss for t, rss in memory if import_start <= t <= import_end + 0.1)
        read_stats = {
            "count": len(during),
            "failed": len(failed),
            "failures": failed[:20],
            "p50_ms": round(statistics.median(ok), 1) if ok else None,
            "p95_ms": round(_percentile(ok, 95), 1) if ok else None,
            "max_ms": round(max(r["ms"] for r in during), 1) if during else None,
            "over_200ms": sum(r["ms"] > TARGET_READ_MS for r in during),
        }
        writes_during = [w for w in writes if import_start <= w["t"] < import_end]
        write_ok = [w["ms"] for w in writes_during if w["status"] == 200]
        write_stats = {
            "count": len(writes_during),
            "failed": sum(w["status"] != 200 for w in writes_during),
            "p50_ms": round(statistics.median(write_ok), 1) if write_ok else None,
            "max_ms": round(max(w["ms"] for w in writes_during), 1) if writes_during else None,
        }
        return {
            "machine": {
                "cpu": platform.processor() or platform.machine(),
                "cores": os.cpu_count(),
                "python": platform.python_version(),
                "pillow": _version("pillow"),
                "database": "sqlite (WAL)",
                "load_average_at_start": load_at_start,
                "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
            },
            "command": "python -m bench.import_speed "
            f"--images {n} --boxes-per-image {boxes_per_image} --size {size}",
            "config": {"images": n, "boxes_per_image": boxes_per_image, "size": size},
            "zip_bytes": zip_bytes,
            "generate_seconds": round(generate_seconds, 2),
            "import": {
                "seconds": round(seconds, 2),
                "upload_seconds": round(upload_seconds, 2),
                "stages": stages,
                "images_per_second": round(n / seconds, 1),
                "report": {k: v for k, v in report.items() if k != "skipped_files"},
                "images_in_project": stored,
            },
            "memory": {
                "source": rss_source,
                "rss_before_mb": round(rss_before / 2**20, 1),
                "peak_rss_mb": round(peak / 2**20, 1),
                "high_water_mb": round(high_water / 2**20, 1) if high_water else None,
                "samples": [(round(t, 2), round(rss / 2**20, 1)) for t, rss in memory],
            },
            "reads": read_stats,
            "writes": write_stats,
            "write_samples": writes,
            "server_errors": server_errors,
            "read_samples": reads,
            "span": {"import_start": round(import_start, 3), "import_end": round(import_end, 3)},
            "targets": {
                "import_seconds": TARGET_SECONDS,
                "read_ms": TARGET_READ_MS,
                "import_met": seconds < TARGET_SECONDS and stored == n,
                "reads_met": bool(during) and not failed and read_stats["max_ms"] <= TARGET_READ_MS,
            },
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
    finally:
        os.killpg(launcher.pid, signal.SIGTERM)
        try:
            launcher.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(launcher.pid, signal.SIGKILL)
        log.close()
        shutil.rmtree(work, ignore_errors=True)


def _yes(met: bool) -> str:
    return "**met**" if met else "**not met**"


def write(result: dict, out_dir: Path, stem: str = "import-speed") -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{stem}.json").write_text(json.dumps(result, indent=1) + "\n")
    m, c, imp, mem, reads, targets = (
        result["machine"],
        result["config"],
        result["import"],
        result["memory"],
        result["reads"],
        result["targets"],
    )
    rows = [
        "| | |",
        "|---|---|",
        f"| machine | {m['cores']} cores, {m['cpu']}, Python {m['python']}, {m['database']} |",
        f"| load average (1, 5, 15 min) | {m['load_average_at_start']} at the start, "
        f"{m['load_average_at_end']} at the end |",
        f"| images | {c['images']} PNG, {c['size']}×{c['size']}, {c['boxes_per_image']} boxes each "
        f"({imp['report']['annotations']} boxes); zip {result['zip_bytes'] / 2**20:.1f} MiB |",
        f"| import time (upload to the job's end) | **{imp['seconds']:.1f} s** "
        f"(target < {targets['import_seconds']:.0f} s: {_yes(targets['import_met'])}) |",
        f"| images per second | {imp['images_per_second']:.0f} |",
        f"| peak RSS during the import (API + its import process) | **{mem['peak_rss_mb']:.0f} "
        f"MiB** ({mem['rss_before_mb']:.0f} MiB before; the API's VmHWM {mem['high_water_mb']} "
        "MiB) |",
        f"| reads during the import (`GET /api/projects/{{id}}` every 100 ms) | {reads['count']}, "
        f"{reads['failed']} failed, {reads['over_200ms']} over 200 ms |",
        f"| read latency p50 / p95 / max | {reads['p50_ms']} / {reads['p95_ms']} / "
        f"**{reads['max_ms']} ms** (target every read < {targets['read_ms']:.0f} ms: "
        f"{_yes(targets['reads_met'])}) |",
        f"| writes during the import (`PATCH /api/projects/{{id}}` every 500 ms) | "
        f"{result['writes']['count']}, {result['writes']['failed']} failed; p50 "
        f"{result['writes']['p50_ms']} ms, max {result['writes']['max_ms']} ms (no target) |",
        "| the job's stages (s from start) | "
        + ", ".join(
            f"{t}: {stage}"
            for t, stage in imp["stages"]
            if "checking images" not in stage or stage.endswith(" 0/" + str(c["images"]))
        )  # fmt: skip
        + " |",
    ]
    text = [
        f"# Import speed: {c['images']} COCO images through the API",
        "",
        f"`{result['command']}`, {result['created_at']}.",
        "",
        *rows,
        "",
        *(
            ["Errors in the API's log:", "", *[f"    {e}" for e in result["server_errors"]], ""]
            if result.get("server_errors")
            else []
        ),
        "What limits it, and what to try next: `docs/benchmarks.md`, *Import speed*.",
        "",
    ]
    (out_dir / f"{stem}.md").write_text("\n".join(text))
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    samples = result["read_samples"]
    fig, (ax, ax_mem) = plt.subplots(2, 1, figsize=(7, 5), sharex=True)
    good = [s for s in samples if s["status"] == 200]
    bad = [s for s in samples if s["status"] != 200]
    ax.plot([s["t"] for s in good], [s["ms"] for s in good], ".", ms=3, label="read latency")
    writes = [s for s in result.get("write_samples", []) if s["status"] == 200]
    ax.plot([s["t"] for s in writes], [s["ms"] for s in writes], "g^", ms=3, label="write latency")
    slow = [s for s in samples if s["ms"] > TARGET_READ_MS]
    if slow:  # how long each slow read waited: from sent to answered
        ax.hlines(
            [s["ms"] for s in slow],
            [s["t"] for s in slow],
            [s["t"] + s["ms"] / 1000 for s in slow],
            color="grey",
            lw=1,
            label="waiting (slow reads)",
        )
    if bad:
        ax.plot([s["t"] for s in bad], [s["ms"] for s in bad], "rx", label="failed read")
    span = result["span"]
    for axis in (ax, ax_mem):
        axis.axvspan(span["import_start"], span["import_end"], color="orange", alpha=0.15)
    ax.axhline(TARGET_READ_MS, color="red", linestyle="--", label="200 ms target")
    ax.set_yscale("log")
    ax.set_ylabel("request latency (ms)")
    ax.legend(fontsize=7, loc="center right")
    ax.set_title(
        f"{c['images']} images imported in {imp['seconds']:.1f} s (shaded); "
        f"load {m['load_average_at_start'][0]}",
        fontsize=9,
    )
    ax_mem.plot([t for t, _ in mem["samples"]], [v for _, v in mem["samples"]], lw=1)
    ax_mem.set_ylabel("RSS, API + import (MiB)")
    ax_mem.set_xlabel("seconds")
    fig.tight_layout()
    fig.savefig(out_dir / f"{stem}.png", dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.import_speed", description=__doc__)
    parser.add_argument("--images", type=int, default=10_000)
    parser.add_argument("--boxes-per-image", type=int, default=5)
    parser.add_argument("--size", type=int, default=64, help="image side in pixels")
    parser.add_argument("--out", default=str(REPO / "bench" / "results"))
    parser.add_argument("--stem", default="import-speed", help="<stem>.json, .md, .png")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    result = run(args.images, args.boxes_per_image, args.size, not args.no_progress)
    write(result, Path(args.out), args.stem)
    print((Path(args.out) / f"{args.stem}.md").read_text())


if __name__ == "__main__":
    main()
