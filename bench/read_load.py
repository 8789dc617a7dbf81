"""Read load on a large project (issue 25): the list endpoints the web client reads, at 1, 10 and
50 clients in a closed loop, with SSE event streams open.

``make bench-read`` (``python -m bench.read_load``) builds its own stack: a new database (SQLite
in a temporary ``DATA_DIR``, or with ``--database-url`` a database of its own on that PostgreSQL
server, dropped afterwards), the real migrations (``backend.migrate.upgrade_head``), an embedded
Redis for the event stream, and the API as production runs it (``uvicorn backend.main:app``, as
in ``docker/api.Dockerfile``; ``--api-workers N`` starts N worker processes).

The project (defaults: 100,000 images, 100,000 annotations, 300,000 predictions, 3 Iterate
jobs) is made by an admin and a project created over HTTP; its rows are then bulk-inserted with
SQLAlchemy Core into the migrated schema (100k uploads over HTTP would take hours and measure
uploads, not reads). Half the images are annotated (two boxes each) and complete; each job has
adapt, detect and evaluate tasks that succeeded, a result model, metrics and PR curves, and
predictions (two per image) with per-image uncertainties on the other half. Each image's
rendition and thumbnail are one of four small PNGs put in the blob store (its own sha256 is a
made-up unique value: a project holds a file once; the originals are not stored).

Each load level runs Locust (headless, as a library) in a child process of its own: Locust's
gevent patches the standard library on import, which the parent (subprocesses, the database
driver, the CPU sampler) should not run under. Its users read in a closed loop (no wait time),
each request one of the endpoints below picked at random with equal weight; ``--sse`` streams
(``GET /api/events`` with an events ticket, as the web client opens them) stay open throughout.
The first ``--warmup`` seconds of a level are not counted. While a level runs the parent
samples, once a second, the CPU of the API processes, of the PostgreSQL backends serving the
bench's database, of the load generator and of the whole machine (psutil), and shows a
progress bar.

Endpoints (``--page-size`` rows per list page, 100 by default; the web client's review asks for
up to 5000):

* ``images, page 1``: ``GET /projects/{id}/images``
* ``images, deep page``: the page at 90 % of the images: with ``cursor`` when the API answers a
  ``next_cursor`` (the cursor found by walking the pages once before the run), else ``offset``
* ``predictions by uncertainty, all jobs`` and ``…, one job``: ``GET /projects/{id}/predictions``
* ``review images``: ``GET /projects/{id}/predictions/images``
* ``project``: ``GET /projects/{id}``; ``metrics``: ``GET /projects/{id}/metrics``

It writes p50, p95, p99, the mean and requests/s per endpoint and in total, the errors, the SSE
streams' state, the CPU samples, the load average and the machine to
``bench/results/read-load.{json,md,png}`` (``--stem``; the plot only when matplotlib is
installed), and says what limits a level that misses the issue's target (50 clients: p99 under
100 ms on the list endpoints, over 300 requests/s in total, no errors). It exits with status 1
when a request failed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
PASSWORD = "bench-read-load-password"
LIST_ENDPOINTS = (
    "images, page 1",
    "images, deep page",
    "predictions by uncertainty, all jobs",
    "predictions by uncertainty, one job",
    "review images",
)
TARGET = {"clients": 50, "list_p99_ms": 100.0, "total_rps": 300.0, "errors": 0}


@dataclass
class Config:
    images: int = 100_000
    annotations: int = 100_000
    predictions: int = 300_000
    jobs: int = 3
    clients: list[int] = field(default_factory=lambda: [1, 10, 50])
    duration: float = 30.0
    warmup: float = 3.0
    sse: int = 50
    page_size: int = 100
    api_workers: int = 1
    database_url: str | None = None
    access_log: bool = True
    note: str = ""  # put in the report as it is (e.g. what else ran on the machine)


# --- helpers ------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile by linear interpolation between the closest ranks."""
    if not values:
        return None
    ordered = sorted(values)
    rank = q / 100 * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return round(ordered[low] + (ordered[high] - ordered[low]) * (rank - low), 2)


def _machine() -> dict:
    from bench.load import _cpu_name, _version

    return {
        "cpu": _cpu_name(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "locust": _version("locust"),
        "uvicorn": _version("uvicorn"),
        "sqlalchemy": _version("sqlalchemy"),
    }


# --- the project --------------------------------------------------------------------------------


def _pngs(count: int = 4) -> list[bytes]:
    import io

    from PIL import Image as PILImage

    out = []
    for i in range(count):
        buffer = io.BytesIO()
        PILImage.new("RGB", (64, 48), (40 * i, 90, 200 - 40 * i)).save(buffer, format="PNG")
        out.append(buffer.getvalue())
    return out


def build_project(
    database_url: str, blobs_dir: Path, project_id: int, user_id: int, config: Config
) -> dict:
    """Bulk-inserts the project's images, annotations, jobs (tasks, models, metrics, PR curves),
    predictions and per-image uncertainties into the migrated schema; returns the row counts."""
    from sqlalchemy import create_engine, insert, select

    from backend.db.images import Annotation, Image
    from backend.db.jobs import Job, Task
    from backend.db.ml import Metric, Model, PrCurve
    from backend.db.predictions import ImageUncertainty, Prediction
    from backend.db.projects import LabelClass
    from backend.services.blobs import BlobStore

    store = BlobStore(blobs_dir)
    blobs = [(store.put_bytes(data), len(data)) for data in _pngs()]
    rng = random.Random(25)
    now = datetime.now(UTC)
    engine = create_engine(database_url)
    batch = 10_000
    counts: Counter[str] = Counter()

    def chunked(table, rows):
        with engine.begin() as connection:
            for start in range(0, len(rows), batch):
                connection.execute(insert(table), rows[start : start + batch])
        counts[table.name] += len(rows)

    try:
        with engine.connect() as connection:
            class_ids = list(
                connection.scalars(
                    select(LabelClass.id)
                    .where(LabelClass.project_id == project_id)
                    .order_by(LabelClass.id)
                )
            )
        # half the images annotated (complete), the other half left for detection
        annotated = min(config.images, (config.annotations + 1) // 2)
        holdout_every = 10  # every tenth annotated image is a holdout image
        image_rows = []
        for i in range(config.images):
            sha, size = blobs[i % len(blobs)]
            image_rows.append(
                {
                    "project_id": project_id,
                    "sha256": f"{i:064x}",  # one image per file of the project
                    "rendition_sha256": sha,
                    "thumbnail_sha256": sha,
                    "file_name": f"image-{i:06d}.png",
                    "format": "PNG",
                    "size_bytes": size,
                    "width": 64,
                    "height": 48,
                    "pool": "holdout" if i < annotated and i % holdout_every == 0 else "adapt",
                    "state": "complete" if i < annotated else "unlabelled",
                    "annotations_version": 1,
                    "uploaded_by_id": user_id,
                    "created_at": now,
                }
            )
        chunked(Image.__table__, image_rows)
        with engine.connect() as connection:
            image_ids = list(
                connection.scalars(
                    select(Image.id).where(Image.project_id == project_id).order_by(Image.id)
                )
            )
        chunked(
            Annotation.__table__,
            [
                {
                    "image_id": image_ids[n // 2],
                    "class_id": class_ids[n % len(class_ids)],
                    "x": float(rng.randint(0, 40)),
                    "y": float(rng.randint(0, 30)),
                    "w": 16.0,
                    "h": 12.0,
                    "source": "human",
                    "author_id": user_id,
                    "time_spent_ms": 1500,
                    "created_at": now,
                    "updated_at": now,
                }
                for n in range(config.annotations)
            ],
        )
        unannotated = image_ids[annotated:] or image_ids
        per_job = config.predictions // max(1, config.jobs)
        per_image = max(1, -(-per_job // len(unannotated)))  # ceil
        for j in range(config.jobs):
            started = now - timedelta(hours=config.jobs - j)
            with engine.begin() as connection:
                model_id = connection.scalar(
                    insert(Model)
                    .values(
                        project_id=project_id,
                        name=f"iterate {j + 1}",
                        architecture="bench",
                        classes=[f"class {k}" for k in range(len(class_ids))],
                        class_ids=class_ids,
                        weights_sha256=blobs[0][0],
                        created_at=started,
                    )
                    .returning(Model.id)
                )
                job_id = connection.scalar(
                    insert(Job)
                    .values(
                        project_id=project_id,
                        kind="iterate",
                        state="succeeded",
                        params={},
                        result_model_id=model_id,
                        created_by_id=user_id,
                        progress=1.0,
                        stage="done",
                        created_at=started,
                        started_at=started,
                        finished_at=started + timedelta(minutes=5),
                    )
                    .returning(Job.id)
                )
                connection.execute(
                    insert(Task),
                    [
                        {
                            "job_id": job_id,
                            "kind": kind,
                            "state": "succeeded",
                            "lane": "interactive",
                            "inputs": {},
                            "attempt": 1,
                            "progress": 1.0,
                            "created_at": started,
                            "started_at": started,
                            "finished_at": started + timedelta(minutes=1),
                        }
                        for kind in ("adapt", "detect", "evaluate")
                    ],
                )
                connection.execute(
                    insert(Metric),
                    [
                        {
                            "project_id": project_id,
                            "job_id": job_id,
                            "model_id": model_id,
                            "class_id": class_id,
                            "name": name,
                            "value": rng.random(),
                            "step": None,
                            "created_at": started,
                        }
                        for class_id in [None, *class_ids]
                        for name in ("ap", "ap50", "ap75", "recall")
                    ],
                )
                connection.execute(
                    insert(PrCurve),
                    [
                        {
                            "project_id": project_id,
                            "job_id": job_id,
                            "model_id": model_id,
                            "class_id": class_id,
                            "iou": 0.5,
                            "recall": [k / 100 for k in range(101)],
                            "precision": [1 - k / 200 for k in range(101)],
                            "created_at": started,
                        }
                        for class_id in class_ids
                    ],
                )
            counts["jobs"] += 1
            predictions, uncertainties = [], []
            for n in range(per_job):
                image_id = unannotated[(n // per_image) % len(unannotated)]
                predictions.append(
                    {
                        "job_id": job_id,
                        "model_id": model_id,
                        "image_id": image_id,
                        "class_id": class_ids[n % len(class_ids)],
                        "x": float(rng.randint(0, 40)),
                        "y": float(rng.randint(0, 30)),
                        "w": 16.0,
                        "h": 12.0,
                        "score": rng.random(),
                        "uncertainty": rng.random(),
                        "status": "pending",
                        "stage": "detect",
                        "created_at": started,
                    }
                )
            best: dict[int, list[float]] = {}
            for row in predictions:
                entry = best.setdefault(row["image_id"], [0.0, 0])
                entry[0] = max(entry[0], row["uncertainty"])
                entry[1] += 1
            for image_id, (uncertainty, number) in best.items():
                uncertainties.append(
                    {
                        "job_id": job_id,
                        "image_id": image_id,
                        "model_id": model_id,
                        "uncertainty": uncertainty,
                        "num_detections": number,
                        "created_at": started,
                    }
                )
            chunked(Prediction.__table__, predictions)
            chunked(ImageUncertainty.__table__, uncertainties)
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM ANALYZE")
    finally:
        engine.dispose()
    return dict(counts)


# --- the stack ----------------------------------------------------------------------------------


@dataclass
class Stack:
    base: str  # http://127.0.0.1:port
    api: object  # bench.load.Child
    database: str
    database_url: str
    data_dir: Path


@contextlib.contextmanager
def _stack(config: Config, work: Path):
    """A database (migrated), an embedded Redis and the API under uvicorn; stopped after."""
    from backend.embedded_redis import EmbeddedRedis
    from backend.migrate import upgrade_head
    from bench.load import Child, _database, _free_port, _get_ok, _wait

    data_dir = work / "data"
    data_dir.mkdir()
    with _database(config.database_url, data_dir) as (url, database):
        url = url or f"sqlite:///{(data_dir / 'metaloop.sqlite3').resolve()}"
        redis = EmbeddedRedis(work / "redis")
        redis.start()
        api = None
        try:
            upgrade_head(url)
            port = _free_port()
            unset = ("DATABASE_URL", "REDIS_URL", "WEB_CONCURRENCY")  # the last: uvicorn's
            env = {k: v for k, v in os.environ.items() if k not in unset}
            env.update(
                {
                    "DATA_DIR": str(data_dir),
                    "DATABASE_URL": url,
                    "REDIS_URL": redis.url,
                    "SERVER_URL": f"http://127.0.0.1:{port}",
                    "WORKER_TOKEN": "bench-read-load-worker-token",
                    "ENVIRONMENT": "development",
                    "PYTHONUNBUFFERED": "1",
                }
            )
            command = [sys.executable, "-m", "uvicorn", "backend.main:app"]
            command += ["--host", "127.0.0.1", "--port", str(port)]
            command += ["--workers", str(config.api_workers)]
            if not config.access_log:
                command.append("--no-access-log")
            api = Child("api", command, env, work / "api.log").start()
            base = f"http://127.0.0.1:{port}"
            _wait(lambda: _get_ok(f"{base}/api/health"), 180, "the API")
            yield Stack(base, api, database, url, data_dir)
        finally:
            if api is not None:
                api.stop(30)
            redis.stop()


def _deep_page(api, project_id: int, config: Config) -> tuple[str, str]:
    """The path of the images page at 90 % of the project, and how it is reached."""
    from urllib.parse import urlencode

    page = config.page_size
    deep = int(config.images * 0.9) // page * page
    first = api.get(f"/api/projects/{project_id}/images", params={"limit": page})
    first.raise_for_status()
    if "next_cursor" in first.json():
        seen, cursor = 0, None
        while seen < deep:
            params: dict = {"limit": min(1000, deep - seen)}
            if cursor:
                params["cursor"] = cursor
            answer = api.get(f"/api/projects/{project_id}/images", params=params)
            answer.raise_for_status()
            body = answer.json()
            seen += len(body["items"])
            cursor = body.get("next_cursor")
            if not cursor:
                break
        query = {"limit": page, **({"cursor": cursor} if cursor else {})}
        return f"/api/projects/{project_id}/images?{urlencode(query)}", f"cursor after {seen}"
    query = {"limit": page, "offset": deep}
    return f"/api/projects/{project_id}/images?{urlencode(query)}", f"offset {deep}"


def _prepare(stack: Stack, config: Config) -> dict:
    """An admin and a project over HTTP, its rows in bulk; the endpoints to read."""
    import httpx

    anon = httpx.Client(base_url=stack.base, timeout=60)
    answer = anon.post("/api/auth/setup", json={"username": "admin", "password": PASSWORD})
    answer.raise_for_status()
    token = answer.json()["access_token"]
    anon.close()
    api = httpx.Client(
        base_url=stack.base, timeout=600, headers={"Authorization": f"Bearer {token}"}
    )
    with api:
        user_id = api.get("/api/users/me").raise_for_status().json()["id"]
        classes = [{"name": name} for name in ("car", "person", "tree")]
        project = api.post("/api/projects", json={"name": "read load", "classes": classes})
        project_id = project.raise_for_status().json()["id"]
        started = time.monotonic()
        rows = build_project(
            stack.database_url, stack.data_dir / "blobs", project_id, user_id, config
        )
        build_seconds = round(time.monotonic() - started, 1)
        jobs = api.get(f"/api/projects/{project_id}/jobs").raise_for_status().json()
        jobs = jobs["items"] if isinstance(jobs, dict) else jobs
        one_job = max(job["id"] for job in jobs)
        deep_path, deep_how = _deep_page(api, project_id, config)
    page = f"limit={config.page_size}"
    project = f"/api/projects/{project_id}"
    endpoints = {
        "images, page 1": f"{project}/images?{page}",
        "images, deep page": deep_path,
        "predictions by uncertainty, all jobs": f"{project}/predictions?sort=uncertainty&{page}",
        "predictions by uncertainty, one job": (
            f"{project}/predictions?job_id={one_job}&sort=uncertainty&{page}"
        ),
        "review images": f"{project}/predictions/images?{page}",
        "project": project,
        "metrics": f"{project}/metrics",
    }
    return {
        "token": token,
        "project_id": project_id,
        "rows": rows,
        "build_seconds": build_seconds,
        "deep_page": deep_how,
        "endpoints": endpoints,
    }


# --- one load level (the Locust child process) --------------------------------------------------


def _summary(times: list[float], errors: int, seconds: float) -> dict:
    return {
        "requests": len(times) + errors,
        "errors": errors,
        "rps": round((len(times) + errors) / seconds, 1) if seconds else None,
        "p50_ms": percentile(times, 50),
        "p95_ms": percentile(times, 95),
        "p99_ms": percentile(times, 99),
        "mean_ms": round(sum(times) / len(times), 2) if times else None,
        "max_ms": round(max(times), 2) if times else None,
    }


def _locust_level(spec_path: Path) -> None:
    """Runs one level with Locust in this process (gevent) and writes its figures."""
    from gevent import monkey

    monkey.patch_all()  # before anything imports ssl (Locust patches too, but late)
    import gevent
    import requests
    from locust import FastHttpUser, constant
    from locust.env import Environment

    spec = json.loads(spec_path.read_text())
    host, headers = spec["host"], {"Authorization": f"Bearer {spec['token']}"}
    names = list(spec["endpoints"])
    times: dict[str, list[float]] = {name: [] for name in names}
    errors: dict[str, Counter[str]] = {name: Counter() for name in names}
    counting = [False]

    def on_request(name, response_time, exception=None, **_):
        if not counting[0]:
            return
        if exception is not None:
            errors[name][str(exception)[:200]] += 1
        else:
            times[name].append(response_time)

    def reader(name: str, path: str):
        def read(user):
            user.client.get(path, headers=headers, name=name)

        return read

    class Reader(FastHttpUser):
        wait_time = constant(0)
        network_timeout = 120.0
        connection_timeout = 60.0
        tasks = [reader(name, path) for name, path in spec["endpoints"].items()]

    Reader.host = host
    sse = {"asked": spec["sse"], "opened": 0, "refused": 0, "ended_early": 0, "frames": 0}
    sse_errors: Counter[str] = Counter()
    stopping = [False]

    def stream() -> None:
        try:
            ticket = requests.post(
                f"{host}/api/tickets", json={"purpose": "events"}, headers=headers, timeout=60
            )
            ticket.raise_for_status()
            with requests.get(
                f"{host}/api/events",
                params={"ticket": ticket.json()["ticket"]},
                stream=True,
                timeout=(60, 120),
            ) as answer:
                if answer.status_code != 200:
                    sse["refused"] += 1
                    sse_errors[f"HTTP {answer.status_code}"] += 1
                    return
                sse["opened"] += 1
                for line in answer.iter_lines():
                    if line:
                        sse["frames"] += 1
            if not stopping[0]:
                sse["ended_early"] += 1
        except Exception as error:  # noqa: BLE001 (counted and reported)
            if not stopping[0]:
                sse["refused"] += 1
                sse_errors[f"{type(error).__name__}: {str(error)[:150]}"] += 1

    streams = [gevent.spawn(stream) for _ in range(spec["sse"])]
    deadline = time.monotonic() + 60
    while sse["opened"] + sse["refused"] < spec["sse"] and time.monotonic() < deadline:
        gevent.sleep(0.1)

    env = Environment(user_classes=[Reader])
    env.events.request.add_listener(on_request)
    runner = env.create_local_runner()
    runner.start(spec["clients"], spawn_rate=max(10, spec["clients"] * 4))
    gevent.sleep(spec["warmup"])
    counting[0] = True
    started = time.monotonic()
    gevent.sleep(spec["duration"])
    counting[0] = False
    seconds = time.monotonic() - started
    runner.quit()
    stopping[0] = True
    sse["open_at_end"] = sum(1 for g in streams if not g.dead)
    gevent.killall(streams, timeout=5)
    sse["errors"] = dict(sse_errors.most_common(5))
    everything = [t for name in names for t in times[name]]
    endpoints = {
        name: _summary(times[name], sum(errors[name].values()), seconds)
        | {"error_messages": dict(errors[name].most_common(5))}
        for name in names
    }
    total_errors = sum(sum(c.values()) for c in errors.values())
    spec_path.with_suffix(".out.json").write_text(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "endpoints": endpoints,
                "total": _summary(everything, total_errors, seconds),
                "sse": sse,
            }
        )
    )


# --- CPU samples --------------------------------------------------------------------------------


class CpuSampler:
    """Cores used by the API processes, the bench database's PostgreSQL backends, the load
    generator and the whole machine, between two calls of ``sample``."""

    def __init__(self, api_pid: int, database_url: str) -> None:
        import psutil

        self.psutil = psutil
        self.api_pid = api_pid
        self.processes: dict[int, object] = {}
        self.samples: list[dict] = []
        self.admin = None
        self.database = None
        if database_url.startswith("postgresql"):
            from sqlalchemy import create_engine
            from sqlalchemy.engine import make_url

            url = make_url(database_url)
            self.database = url.database
            self.admin = create_engine(url.set(database="postgres"), pool_size=1)
        psutil.cpu_percent(None)

    def _cores(self, pids: list[int]) -> float:
        total = 0.0
        for pid in pids:
            process = self.processes.get(pid)
            try:
                if process is None:
                    process = self.processes[pid] = self.psutil.Process(pid)
                    process.cpu_percent(None)  # the first call only starts the count
                    continue
                total += process.cpu_percent(None)
            except self.psutil.Error:
                self.processes.pop(pid, None)
        return total / 100

    def _postgres_pids(self) -> list[int]:
        if self.admin is None:
            return []
        from sqlalchemy import text

        with self.admin.connect() as connection:
            return list(
                connection.scalars(
                    text("SELECT pid FROM pg_stat_activity WHERE datname = :name"),
                    {"name": self.database},
                )
            )

    def _tree(self, pid: int | None) -> list[int]:
        if pid is None:
            return []
        try:
            root = self.psutil.Process(pid)
            return [pid] + [child.pid for child in root.children(recursive=True)]
        except self.psutil.Error:
            return []

    def sample(self, locust_pid: int | None, record: bool = True) -> None:
        row = {
            "api": self._cores(self._tree(self.api_pid)),
            "load_generator": self._cores(self._tree(locust_pid)),
            "machine": self.psutil.cpu_percent(None) / 100 * (os.cpu_count() or 1),
        }
        if self.admin is not None:
            row["postgres"] = self._cores(self._postgres_pids())
        if record:
            self.samples.append(row)

    def summary(self) -> dict:
        rows, self.samples = self.samples, []
        if not rows:
            return {}
        out = {}
        for key in rows[0]:
            values = [row[key] for row in rows]
            out[key] = {"mean": round(sum(values) / len(values), 2), "max": round(max(values), 2)}
        other = [2 * row["machine"] - sum(row.values()) for row in rows]
        out["other_processes"] = {
            "mean": round(max(0.0, sum(other) / len(other)), 2),
            "max": round(max(0.0, max(other)), 2),
        }
        return out

    def close(self) -> None:
        if self.admin is not None:
            self.admin.dispose()


def _run_level(
    stack: Stack, setup: dict, config: Config, clients: int, work: Path, sampler, bar
) -> dict:
    spec_path = work / f"level-{clients}.json"
    spec_path.write_text(
        json.dumps(
            {
                "host": stack.base,
                "token": setup["token"],
                "endpoints": setup["endpoints"],
                "clients": clients,
                "duration": config.duration,
                "warmup": config.warmup,
                "sse": config.sse,
            }
        )
    )
    load_before = [round(x, 2) for x in os.getloadavg()]
    api_log = stack.api.log_path
    log_offset = api_log.stat().st_size if api_log.exists() else 0
    with open(work / f"locust-{clients}.log", "ab") as log:
        child = subprocess.Popen(
            [sys.executable, "-m", "bench.read_load", "--locust-level", str(spec_path)],
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    started = time.monotonic()
    measured_from = started + config.warmup
    sampler.sample(child.pid, record=False)
    shown = 0.0
    while child.poll() is None:
        time.sleep(1.0)
        now = time.monotonic()
        # CPU samples while the requests are counted (not during the streams' start, the ramp)
        in_window = measured_from + 1 <= now <= measured_from + config.duration + 0.5
        sampler.sample(child.pid, record=in_window)
        if bar is not None:
            step = min(now - started, config.warmup + config.duration) - shown
            if step > 0:
                bar.update(step)
                shown += step
        if now - started > config.warmup + config.duration + 180:
            child.kill()
            raise TimeoutError(f"the Locust run of {clients} clients did not end")
    if bar is not None:
        bar.update(max(0.0, config.warmup + config.duration - shown))
    out = spec_path.with_suffix(".out.json")
    if child.returncode != 0 or not out.exists():
        raise RuntimeError(
            f"the Locust run of {clients} clients failed (exit {child.returncode}): "
            + (work / f"locust-{clients}.log").read_text(errors="replace")[-3000:]
        )
    level = json.loads(out.read_text())
    level["clients"] = clients
    level["cpu_cores"] = sampler.summary()
    level["load_average_before"] = load_before
    level["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    level["api_exceptions"] = _api_exceptions(api_log, log_offset)
    return level


def _api_exceptions(log: Path, offset: int) -> dict[str, int]:
    """The exceptions the API logged since ``offset``, by their last line (the error itself):
    also those of requests still in flight when a level ended, which Locust no longer counts."""
    if not log.exists():
        return {}
    with open(log, "rb") as handle:
        handle.seek(offset)
        text = handle.read().decode(errors="replace")
    kinds: Counter[str] = Counter()
    # the error's own line, also inside an exception group's "| " frame (SSE streams)
    error_line = re.compile(r"^[ |+]*([\w.]*(?:Error|Exception|Timeout)\w*:.*)$", re.MULTILINE)
    for block in text.split("Exception in ASGI application")[1:]:
        last = [match.group(1) for match in error_line.finditer(block)]
        message = re.sub(r" \(Background on this error.*", "", last[-1]) if last else "unknown"
        kinds[message[:200]] += 1
    return dict(kinds.most_common(5))


# --- the verdict --------------------------------------------------------------------------------


def _limits(level: dict, config: Config, cores: int) -> list[str]:
    """What holds a level back, from its CPU samples and latencies."""
    notes = []
    cpu = level.get("cpu_cores") or {}

    def mean(key: str) -> float:
        return (cpu.get(key) or {}).get("mean", 0.0)

    if mean("machine") >= 0.85 * cores:
        parts = {
            "API": "api",
            "PostgreSQL": "postgres",
            "load generator": "load_generator",
            "other processes": "other_processes",
        }
        shares = ", ".join(f"{label} {mean(key):.2f}" for label, key in parts.items() if key in cpu)
        notes.append(
            f"the machine's CPU is saturated ({mean('machine'):.2f} of {cores} cores busy: "
            f"{shares})"
        )
    if mean("api") >= 0.85 * config.api_workers:
        notes.append(
            f"the API is CPU-bound: {mean('api'):.2f} cores for {config.api_workers} worker "
            "process(es), each limited to one core by Python's GIL"
        )
    if mean("postgres") >= 0.85:
        notes.append(f"PostgreSQL uses {mean('postgres'):.2f} cores")
    if mean("load_generator") >= 0.85:
        notes.append(
            f"the load generator (one gevent process) uses {mean('load_generator'):.2f} cores "
            "and may itself be the limit"
        )
    for message, count in (level.get("api_exceptions") or {}).items():
        notes.append(f"the API logged {count} × {message[:160]}")
    rps = level["total"]["rps"] or 0
    if rps and mean("api"):
        # CPU time per request of the server side: what the machine's cores can serve at best
        per_request = {k: mean(k) * 1000 / rps for k in ("api", "postgres") if k in cpu}
        served = cores * 1000 / sum(per_request.values())
        level["cpu_ms_per_request"] = {k: round(v, 2) for k, v in per_request.items()}
        notes.append(
            "CPU per request: "
            + ", ".join(
                f"{'API' if k == 'api' else 'PostgreSQL'} {v:.1f} ms"
                for k, v in per_request.items()
            )
            + f", so {cores} cores serve at most about {served:.0f} requests/s with nothing else "
            "running"
        )
    slow = sorted(
        (
            (level["endpoints"][name]["p99_ms"] or 0, name)
            for name in LIST_ENDPOINTS
            if name in level["endpoints"]
        ),
        reverse=True,
    )
    if slow and slow[0][0] > TARGET["list_p99_ms"]:
        notes.append(
            "slowest list endpoints by p99: "
            + ", ".join(f"{name} {p99:.0f} ms" for p99, name in slow[:3])
        )
    return notes


def _verdict(levels: list[dict]) -> dict:
    level = next((lv for lv in levels if lv["clients"] == TARGET["clients"]), None)
    if level is None:
        return {"measured": False, "met": None, "checks": {}}
    p99s = [level["endpoints"][n]["p99_ms"] for n in LIST_ENDPOINTS if n in level["endpoints"]]
    # an endpoint with no answer in the measured time has no p99: the target is missed
    list_p99 = None if None in p99s or not p99s else max(p99s)
    errors = sum(lv["total"]["errors"] for lv in levels)
    checks = {
        "list_p99_ms": {"value": list_p99, "target": f"< {TARGET['list_p99_ms']:.0f}"},
        "total_rps": {"value": level["total"]["rps"], "target": f"> {TARGET['total_rps']:.0f}"},
        "errors": {"value": errors, "target": "0"},
    }
    checks["list_p99_ms"]["met"] = list_p99 is not None and list_p99 < TARGET["list_p99_ms"]
    checks["total_rps"]["met"] = (level["total"]["rps"] or 0) > TARGET["total_rps"]
    checks["errors"]["met"] = errors == 0
    return {"measured": True, "met": all(c["met"] for c in checks.values()), "checks": checks}


# --- the run ------------------------------------------------------------------------------------


def run(config: Config, progress: bool = True, keep: bool = False) -> dict:
    from tqdm import tqdm

    bench_started = time.monotonic()
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    work = Path(tempfile.mkdtemp(prefix="metaloop-bench-read-"))
    failed = True
    try:
        with _stack(config, work) as stack:
            setup = _prepare(stack, config)
            sampler = CpuSampler(stack.api.process.pid, stack.database_url)
            levels = []
            total = len(config.clients) * (config.warmup + config.duration)
            with tqdm(
                total=round(total, 1),
                unit="s",
                disable=not progress,
                desc="read load",
                bar_format="{desc}{percentage:3.0f}%|{bar}| {n:.0f}/{total:.0f} s",
            ) as bar:
                try:
                    for clients in config.clients:
                        bar.set_description(f"read load, {_clients(clients)}")
                        level = _run_level(stack, setup, config, clients, work, sampler, bar)
                        level["limits"] = _limits(level, config, os.cpu_count() or 1)
                        levels.append(level)
                        if progress:
                            bar.write(
                                f"{clients} clients: {level['total']['rps']} req/s, p99 "
                                f"{level['total']['p99_ms']} ms, {level['total']['errors']} errors"
                            )
                finally:
                    sampler.close()
            result = {
                "benchmark": "read-load",
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "config": asdict(config) | {"database_url": None},
                "database": stack.database,
                "api": f"uvicorn backend.main:app, {config.api_workers} worker process(es)"
                + ("" if config.access_log else ", no access log"),
                "project": {
                    "rows": setup["rows"],
                    "build_seconds": setup["build_seconds"],
                    "deep_page": setup["deep_page"],
                },
                "endpoints": setup["endpoints"],
                "levels": levels,
                "target": TARGET,
                "verdict": _verdict(levels),
                "machine": _machine()
                | {
                    "load_average_at_start": load_at_start,
                    "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
                },
                "bench_seconds": round(time.monotonic() - bench_started, 1),
            }
            failed = any(level["total"]["errors"] for level in levels)
            return result
    finally:
        if keep or failed:
            print(f"logs kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


# --- the report ---------------------------------------------------------------------------------


def _clients(number: int) -> str:
    return f"{number} client{'' if number == 1 else 's'}"


def _ms(value) -> str:
    return "–" if value is None else f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def markdown(result: dict) -> str:
    machine, config, project = result["machine"], result["config"], result["project"]
    rows = ", ".join(f"{count:,} {table}" for table, count in project["rows"].items())
    lines = [
        "# Read load",
        "",
        f"`python -m bench.read_load` at {result['created_at']}: {result['database']}; API "
        f"{result['api']}; {machine['cpu']}, {machine['cores']} cores. Load average (1, 5, 15 "
        f"min) {machine['load_average_at_start']} at the start and "
        f"{machine['load_average_at_end']} at the end, on a machine other work shares "
        "(the CPU samples below separate it as 'other').",
        "",
        f"Project: {rows} (built in {project['build_seconds']} s by bulk inserts after the "
        f"migrations); deep page: {project['deep_page']}; {config['page_size']} rows a page. "
        f"Each level: {config['warmup']:.0f} s unmeasured, then {config['duration']:.0f} s "
        f"measured; {config['sse']} SSE streams open; a closed loop without wait time over the "
        "endpoints below, picked at random.",
        "",
    ]
    if config.get("note"):
        lines += [config["note"], ""]
    verdict = result["verdict"]
    if verdict["measured"]:
        checks = "; ".join(
            f"{name} {check['value']} (target {check['target']}: "
            f"{'met' if check['met'] else 'missed'})"
            for name, check in verdict["checks"].items()
        )
        lines += [
            f"**Target at {TARGET['clients']} clients: "
            f"{'met' if verdict['met'] else 'not met'}.** {checks}.",
            "",
        ]
    levels = result["levels"]
    header = "| endpoint | " + " | ".join(
        f"{_clients(lv['clients'])}: p50 / p95 / p99 ms, req/s" for lv in levels
    )
    lines += [header + " |", "|---" * (len(levels) + 1) + "|"]
    for name in [*result["endpoints"], "total"]:
        cells = []
        for lv in levels:
            s = lv["total"] if name == "total" else lv["endpoints"][name]
            errors = f", **{s['errors']} errors**" if s["errors"] else ""
            cells.append(
                f"{_ms(s['p50_ms'])} / {_ms(s['p95_ms'])} / {_ms(s['p99_ms'])}, {s['rps']}{errors}"
            )
        label = f"**{name}**" if name == "total" else name
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "| clients | requests | errors | SSE open at end / asked | CPU cores: API | PostgreSQL "
        "| load generator | other | machine | load average after |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for lv in levels:
        cpu = lv["cpu_cores"]

        def mean(key: str, cpu=cpu) -> str:
            return f"{cpu[key]['mean']:.2f}" if key in cpu else "–"

        lines.append(
            f"| {lv['clients']} | {lv['total']['requests']} | {lv['total']['errors']} | "
            f"{lv['sse'].get('open_at_end')} / {lv['sse']['asked']} | {mean('api')} | "
            f"{mean('postgres')} | {mean('load_generator')} | {mean('other_processes')} | "
            f"{mean('machine')} | {lv['load_average_after']} |"
        )
    lines += ["", "## What limits it", ""]
    for lv in levels:
        notes = lv["limits"] or ["nothing saturated"]
        lines.append(f"* {_clients(lv['clients'])}: " + "; ".join(notes) + ".")
    errors = {
        f"{name}: {message}": count
        for lv in levels
        for name, s in lv["endpoints"].items()
        for message, count in s["error_messages"].items()
    }
    if errors:
        lines += ["", "## Errors", ""] + [f"* {m} ({n})" for m, n in errors.items()]
    lines.append("")
    return "\n".join(lines)


def plot(result: dict, path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    levels = result["levels"]
    clients = [lv["clients"] for lv in levels]
    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    for name in result["endpoints"]:
        left.plot(clients, [lv["endpoints"][name]["p99_ms"] for lv in levels], "o-", label=name)
    left.axhline(TARGET["list_p99_ms"], color="grey", linestyle="--", label="target (lists)")
    left.set(xlabel="clients", ylabel="p99 latency (ms)", yscale="log", title="p99 per endpoint")
    left.legend(fontsize=7)
    right.plot(clients, [lv["total"]["rps"] for lv in levels], "o-", label="requests/s")
    right.axhline(TARGET["total_rps"], color="grey", linestyle="--", label="target")
    right.set(xlabel="clients", ylabel="requests/s", title="throughput (all endpoints)")
    right.legend(fontsize=8)
    figure.suptitle(f"Read load: {result['database']}, {result['machine']['cpu']}", fontsize=9)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return True


def write(result: dict, out: Path, stem: str) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / f"{stem}.json", out / f"{stem}.md"]
    paths[0].write_text(json.dumps(result, indent=2) + "\n")
    paths[1].write_text(markdown(result))
    if plot(result, out / f"{stem}.png"):
        paths.append(out / f"{stem}.png")
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.read_load", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--database-url", help="a PostgreSQL server (default: SQLite)")
    parser.add_argument("--images", type=int, default=Config.images)
    parser.add_argument("--annotations", type=int, default=Config.annotations)
    parser.add_argument("--predictions", type=int, default=Config.predictions)
    parser.add_argument("--jobs", type=int, default=Config.jobs)
    parser.add_argument(
        "--clients", default="1,10,50", help="comma-separated levels (default: 1,10,50)"
    )
    parser.add_argument("--duration", type=float, default=Config.duration, help="s per level")
    parser.add_argument("--warmup", type=float, default=Config.warmup, help="s not counted")
    parser.add_argument("--sse", type=int, default=Config.sse, help="event streams kept open")
    parser.add_argument("--page-size", type=int, default=Config.page_size)
    parser.add_argument("--api-workers", type=int, default=Config.api_workers)
    parser.add_argument("--no-access-log", action="store_true", help="uvicorn's access log off")
    parser.add_argument("--note", default="", help="a line for the report (e.g. other load)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--stem", default="read-load")
    parser.add_argument("--no-progress", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the logs")
    parser.add_argument("--locust-level", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.locust_level:
        _locust_level(args.locust_level)
        return 0
    clients = [int(c) for c in args.clients.split(",") if c.strip()]
    if not clients or min(clients) < 1 or args.images < 1 or args.jobs < 1:
        parser.error("--clients, --images and --jobs must be positive")
    config = Config(
        images=args.images,
        annotations=args.annotations,
        predictions=args.predictions,
        jobs=args.jobs,
        clients=clients,
        duration=args.duration,
        warmup=args.warmup,
        sse=args.sse,
        page_size=args.page_size,
        api_workers=args.api_workers,
        database_url=args.database_url,
        access_log=not args.no_access_log,
        note=args.note,
    )
    result = run(config, progress=not args.no_progress, keep=args.keep)
    for path in write(result, args.out, args.stem):
        print(path)
    print(markdown(result))
    return 0 if all(level["total"]["errors"] == 0 for level in result["levels"]) else 1


if __name__ == "__main__":
    sys.exit(main())
