"""Bounded load under faults (issue 23): several users' Iterate jobs at once, a worker SIGKILLed
and Redis restarted empty during the run, and every job checked to have succeeded exactly once.

``make bench-load`` (``python -m bench.load``) starts a stack of its own: an embedded Redis
without persistence (``backend.embedded_redis.EmbeddedRedis``, so it can be killed and started
again empty on the same port), the API through ``python -m backend.launcher --no-worker``
(migrations, supervision; SQLite in a temporary ``DATA_DIR``, or ``--database-url`` to a
PostgreSQL server, on which it creates a database of its own and drops it afterwards) and
``--workers`` ``python -m worker`` processes, each in its own process group with one torch
thread (``OMP_NUM_THREADS=1``), so one can be SIGKILLed with its pool child as a crashed host
would be. Leases and sweeps are short, as in the chaos tests (``--lease-seconds``,
``--sweep-seconds``).

Workload (defaults): 5 users, each with a letters demo project of their own (``POST
/api/projects/demo``: 5 annotated and 20 unannotated adapt images, 10 holdout images, 64 px);
then 4 Iterate jobs per project (20 in all) submitted at once from 20 threads, with the base
model's preset routine unless ``--routine`` overrides it. During the run:

* once every worker is busy (and at least ``--kill-after`` s after the first job started), a
  worker in the middle of a task (one that reported progress; an adapt if there is one) is
  SIGKILLed, its Celery process and its pool child;
* ``--redis-after`` s later Redis is SIGKILLed, and ``--redis-down`` s later started again on the
  same port, empty;
* ``--restart-worker-after`` s after the kill the killed worker is started again (``-1``: never).

While it runs, the bench polls each project's job list and ``GET /api/workers`` every
``--poll`` s (a progress bar shows it); until the kill it also reads the running jobs' tasks, to
know which worker runs what (``GET /api/workers`` leaves ``busy_task_id`` empty). At the end it
checks through the REST API that every job succeeded exactly once: each job and every task
``succeeded``; one result model per job (``source_job_id``), the job's ``result_model_id``; the
detect predictions of each job cover every unannotated image once (per image as many rows as
the server counted for it, no two rows alike, their sum the job's ``predictions``); the
evaluation has one row per holdout image with as many detections as its tp + fp. It counts the
tasks that needed more than one attempt.

Unless ``--no-baseline``, it first runs the same workload on a fresh stack without faults, so
the report can say what the faults cost. It reports the jobs, the faults and when they
happened, the recovery time (from the last fault, Redis back, to the last job succeeded), the
time from Redis back to the first change of any job's progress and to the first task started
after it, lost and duplicated rows (both must be 0), the wall time, per-job queue wait and
duration percentiles, the machine and its load average, and writes
``bench/results/load.{json,md,png}`` (``--stem`` changes the name). It exits with status 1 when
a check failed (the files are written first).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import importlib.metadata
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
PASSWORD = "bench-load-password"
WORKER_TOKEN = "bench-load-worker-token"
FINISHED = ("succeeded", "failed", "cancelled")


# --- processes ----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Child:
    """A child process in a session (process group) of its own, its output in a log file."""

    name: str
    command: list[str]
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen | None = None

    def start(self) -> Child:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                self.command,
                env=self.env,
                cwd=REPO,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL the whole group (a worker's Celery process and its pool child)."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, timeout: float = 20.0) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
        # pool children left behind by a parent that died first
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@contextlib.contextmanager
def _database(database_url: str | None, data_dir: Path):
    """SQLite under ``data_dir`` (the launcher's default), or a new database on the PostgreSQL
    server of ``database_url``, dropped afterwards. Yields (url or None, a description)."""
    if not database_url:
        yield None, "sqlite (WAL)"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = make_url(database_url)
    name = f"{server.database or 'metaloop'}_load_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
        version = connection.execute(text("SHOW server_version")).scalar()
    try:
        yield (
            server.set(database=name).render_as_string(hide_password=False),
            f"postgresql {version} (a database of its own, dropped after)",
        )
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _wait(predicate, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def _get_ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def _version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def _cpu_name() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def _epoch(stamp: str | None) -> float | None:
    """A server timestamp (ISO 8601, naive means UTC) as seconds since the epoch."""
    if not stamp:
        return None
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = q / 100 * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return round(ordered[low] + (ordered[high] - ordered[low]) * (rank - low), 2)


def _spread(values: list[float]) -> dict:
    return {
        "p50": percentile(values, 50),
        "p90": percentile(values, 90),
        "max": round(max(values), 2) if values else None,
        "min": round(min(values), 2) if values else None,
        "n": len(values),
    }


# --- the stack ----------------------------------------------------------------------------------


@dataclass
class Stack:
    work: Path
    env: dict[str, str]
    base: str
    redis: object  # EmbeddedRedis
    launcher: Child
    workers: dict[str, Child] = field(default_factory=dict)

    def worker(self, name: str) -> Child:
        env = {
            **self.env,
            "WORKER_NAME": name,
            "WORKER_CACHE_DIR": str(self.work / f"cache-{name}"),
            "WORKER_HEARTBEAT_SECONDS": "1",
            "WORKER_DEVICE": "cpu",
            # one torch (OpenMP / MKL) thread per worker process
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
        }
        child = Child(
            name,
            [sys.executable, "-m", "worker", "--name", name, "--loglevel", "INFO"],
            env,
            self.work / f"worker-{name}.log",
        ).start()
        self.workers[name] = child
        return child

    def stop(self) -> None:
        for child in self.workers.values():
            child.stop()
        self.launcher.stop(30)
        self.redis.stop()


def _online(admin: httpx.Client, names: list[str]) -> bool:
    rows = admin.get("/workers").json()
    return all(any(w["name"] == n and w["online"] for w in rows) for n in names)


# --- the run ------------------------------------------------------------------------------------


@dataclass
class Config:
    projects: int = 5
    workers: int = 3
    jobs: int = 20
    adapt_annotated: int = 5
    adapt_unannotated: int = 20
    holdout: int = 10
    image_size: int = 64
    routine: dict = field(default_factory=dict)
    lease_seconds: float = 5.0
    sweep_seconds: float = 0.5
    detect_chunk_size: int = 10
    kill_worker: bool = True
    kill_after: float = 2.0
    redis_after: float = 5.0
    redis_down: float = 3.0
    restart_worker_after: float = 15.0
    poll: float = 0.5
    timeout: float = 1200.0
    database_url: str | None = None


def run(config: Config, progress: bool = True, keep: bool = False) -> dict:
    from tqdm import tqdm

    from backend.embedded_redis import EmbeddedRedis

    load_at_start = [round(x, 2) for x in os.getloadavg()]
    bench_started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="metaloop-bench-load-"))
    data_dir = work / "data"
    data_dir.mkdir()
    stack: Stack | None = None
    redis = None
    failed = True
    with _database(config.database_url, data_dir) as (database_url, database):
        try:
            redis = EmbeddedRedis(work / "redis")
            redis.start()
            port = _free_port()
            env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
            env.update(
                {
                    "DATA_DIR": str(data_dir),
                    "REDIS_URL": redis.url,
                    "SERVER_URL": f"http://127.0.0.1:{port}",
                    "WORKER_TOKEN": WORKER_TOKEN,
                    "LEASE_SECONDS": str(config.lease_seconds),
                    "SWEEP_INTERVAL_SECONDS": str(config.sweep_seconds),
                    "MAX_ATTEMPTS": "3",
                    "DETECT_CHUNK_SIZE": str(config.detect_chunk_size),
                    "WORKER_ONLINE_SECONDS": "5",
                    # users sign up, and one user may hold all of its project's jobs at once
                    "ENVIRONMENT": "development",
                    "ALLOW_SIGNUP": "true",
                    "MAX_ACTIVE_JOBS_PER_USER": str(max(20, config.jobs)),
                    "PYTHONUNBUFFERED": "1",
                }
            )
            if database_url:
                env["DATABASE_URL"] = database_url
            launcher = Child(
                "api",
                [sys.executable, "-m", "backend.launcher", "--port", str(port)]
                + ["--data-dir", str(data_dir), "--no-worker"],
                env,
                work / "launcher.log",
            ).start()
            base = f"http://127.0.0.1:{port}/api"
            stack = Stack(work, env, base, redis, launcher)
            _wait(lambda: _get_ok(f"{base}/health"), 120, "the API")
            result = _load(stack, config, progress, tqdm)
            result["machine"] = {
                "cpu": _cpu_name(),
                "cores": os.cpu_count(),
                "python": platform.python_version(),
                "torch": _version("torch"),
                "celery": _version("celery"),
                "database": database,
                "torch_threads_per_worker": 1,
                "load_average_at_start": load_at_start,
                "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
            }
            result["bench_seconds"] = round(time.monotonic() - bench_started, 1)
            failed = not result["ok"]
            return result
        finally:
            if stack is not None:
                stack.stop()
            elif redis is not None:
                redis.stop()
            if keep or failed:
                print(f"logs kept in {work}", file=sys.stderr)
            else:
                shutil.rmtree(work, ignore_errors=True)


def _login(base: str, username: str, setup: bool) -> httpx.Client:
    anon = httpx.Client(base_url=base, timeout=60)
    answer = anon.post(
        "/auth/setup" if setup else "/auth/signup",
        json={"username": username, "password": PASSWORD},
    )
    answer.raise_for_status()
    anon.close()
    token = answer.json()["access_token"]
    return httpx.Client(base_url=base, timeout=120, headers={"Authorization": f"Bearer {token}"})


def _images(api: httpx.Client, pid: int) -> list[dict]:
    items: list[dict] = []
    while True:
        page = api.get(f"/projects/{pid}/images", params={"limit": 500, "offset": len(items)})
        page.raise_for_status()
        body = page.json()
        batch = body["items"] if isinstance(body, dict) else body
        items += batch
        if not batch or (isinstance(body, dict) and len(items) >= body["total"]):
            return items


def _load(stack: Stack, config: Config, progress: bool, tqdm) -> dict:
    # one user per project (the first is the admin, who also watches the workers)
    users = [_login(stack.base, f"user{i + 1}", setup=i == 0) for i in range(config.projects)]
    try:
        return _workload(stack, config, progress, tqdm, users)
    finally:
        for client in users:
            client.close()


def _workload(
    stack: Stack, config: Config, progress: bool, tqdm, users: list[httpx.Client]
) -> dict:
    admin = users[0]
    names = [f"w{i + 1}" for i in range(config.workers)]
    started = time.monotonic()
    for name in names:
        stack.worker(name)
    _wait(lambda: _online(admin, names), 180, "the workers")
    workers_ready_seconds = round(time.monotonic() - started, 1)

    # the projects: one letters demo per user, generated by the workers
    projects = []
    for api in users:
        created = api.post(
            "/projects/demo",
            json={
                "adapt_annotated": config.adapt_annotated,
                "adapt_unannotated": config.adapt_unannotated,
                "holdout": config.holdout,
                "image_size": config.image_size,
            },
        )
        created.raise_for_status()
        projects.append((api, created.json()["project"]["id"], created.json()["job_id"]))
    for api, pid, job_id in projects:

        def generated(api=api, pid=pid, job_id=job_id):
            job = api.get(f"/projects/{pid}/jobs/{job_id}").json()
            if job["state"] in ("failed", "cancelled"):
                raise RuntimeError(f"the demo project {pid} was not generated: {job['error']}")
            return job["state"] == "succeeded"

        _wait(generated, 300, f"demo project {pid}", 0.5)
    expected = {}
    for api, pid, _ in projects:
        images = _images(api, pid)
        expected[pid] = {
            "detect": sorted(
                i["id"] for i in images if i["pool"] == "adapt" and i["state"] != "complete"
            ),
            "holdout": sorted(
                i["id"] for i in images if i["pool"] == "holdout" and i["state"] == "complete"
            ),
        }
    setup_seconds = round(time.monotonic() - started, 1)

    # the jobs: round-robin over the projects, all submitted at once
    plan = [projects[i % len(projects)][:2] for i in range(config.jobs)]
    body = {"kind": "iterate", "params": {"routine": config.routine} if config.routine else {}}
    t0_wall = time.time()
    t0 = time.monotonic()

    def submit(slot: tuple[httpx.Client, int]) -> dict:
        api, pid = slot
        sent = time.monotonic() - t0
        answer = api.post(f"/projects/{pid}/jobs", json=body)
        if answer.status_code != 201:
            raise RuntimeError(f"job refused ({answer.status_code}): {answer.text[:500]}")
        job = answer.json()
        return {"id": job["id"], "project_id": pid, "sent": round(sent, 3)}

    with ThreadPoolExecutor(max_workers=config.jobs) as pool:
        submitted = list(pool.map(submit, plan))
    submit_seconds = round(time.monotonic() - t0, 3)
    clients = {pid: api for api, pid, _ in projects}

    faults: list[dict] = []
    samples: list[dict] = []
    killed: dict = {}
    redis_times: dict = {}

    def fault(what: str, **extra) -> None:
        faults.append({"t": round(time.monotonic() - t0, 2), "what": what, **extra})

    def restart_redis() -> None:
        stack.redis.process.kill()
        stack.redis.process.wait(timeout=10)
        redis_times["killed"] = time.monotonic() - t0
        fault("redis killed (SIGKILL)")
        time.sleep(config.redis_down)
        stack.redis.start()
        redis_times["back"] = time.monotonic() - t0
        fault("redis restarted empty")

    redis_thread: threading.Thread | None = None
    first_running: float | None = None
    worker_restarted = False
    bar = tqdm(total=len(submitted), desc="jobs succeeded", unit="job", disable=not progress)
    done_count = 0
    while True:
        now = time.monotonic() - t0
        if now > config.timeout:
            fault("timeout: the run was cut off")
            break
        try:
            rows = admin.get("/workers").json()
            jobs = {}
            for pid, api in clients.items():
                for job in api.get(
                    f"/projects/{pid}/jobs", params={"kind": "iterate", "limit": 500}
                ).json():
                    jobs[job["id"]] = job
            sample_ok = True
        except (httpx.HTTPError, ValueError):
            sample_ok = False  # the API answers again in a moment
        if sample_ok:
            mine = [jobs[s["id"]] for s in submitted if s["id"] in jobs]
            states = Counter(j["state"] for j in mine)
            # GET /api/workers leaves busy_task_id empty (workers do not report it), so until
            # the kill the running tasks of the running jobs say which worker runs what
            running: dict[str, dict] = {}
            if config.kill_worker and not killed:
                for j in mine:
                    if j["state"] == "running" and not j["stage"].endswith("(queued)"):
                        detail = clients[j["project_id"]].get(
                            f"/projects/{j['project_id']}/jobs/{j['id']}"
                        )
                        for t in detail.json()["tasks"] if detail.status_code == 200 else []:
                            if t["state"] == "running" and t["worker_name"]:
                                running[t["worker_name"]] = {"job_id": j["id"], **t}
            online = {w["name"] for w in rows if w["online"]}
            busy = sorted(name for name in running if name in online)
            samples.append(
                {
                    "t": round(now, 2),
                    "queued": states["queued"],
                    "running": states["running"],
                    "succeeded": states["succeeded"],
                    "failed": states["failed"] + states["cancelled"],
                    "busy_workers": busy,  # known until the kill only
                    "jobs": {
                        j["id"]: [j["state"], round(j["progress"], 4), j["stage"]] for j in mine
                    },
                }
            )
            if first_running is None and states["running"] + states["succeeded"]:
                first_running = now
            # the worker kill: every worker busy, a little after the first job started, one of
            # them in the middle of a task (it reported progress): an adapt if there is one
            under_way = [n for n in busy if running[n]["progress"] > 0]
            if (
                config.kill_worker
                and not killed
                and first_running is not None
                and now - first_running >= config.kill_after
                and len(busy) == config.workers
                and under_way
            ):
                victim = next((n for n in under_way if running[n]["kind"] == "adapt"), under_way[0])
                task = running[victim]
                stack.workers[victim].kill()
                killed.update({"name": victim, "task_id": task["id"], "t": now})
                fault(
                    f"worker {victim} killed (SIGKILL)",
                    worker=victim,
                    task_id=task["id"],
                    task_kind=task["kind"],
                    task_progress=task["progress"],
                )
            if done_count != states["succeeded"]:
                bar.update(states["succeeded"] - done_count)
                done_count = states["succeeded"]
            bar.set_postfix(
                queued=states["queued"],
                running=states["running"],
                faults=len(faults),
                refresh=False,
            )
            if sum(states[s] for s in FINISHED) == len(submitted):
                break
        if killed and redis_thread is None and now - killed["t"] >= config.redis_after:
            redis_thread = threading.Thread(target=restart_redis, daemon=True)
            redis_thread.start()
        if (
            killed
            and not worker_restarted
            and config.restart_worker_after >= 0
            and now - killed["t"] >= config.restart_worker_after
        ):
            stack.worker(killed["name"])
            worker_restarted = True
            fault(f"worker {killed['name']} started again", restart=True)
        time.sleep(config.poll)
    bar.close()
    if redis_thread is not None:
        redis_thread.join(60)
    wall_seconds = round(time.monotonic() - t0, 2)

    verification = verify(clients, submitted, expected)
    details = verification.pop("details")
    if config.kill_worker and not (killed and "back" in redis_times):
        verification["ok"] = False
        verification["problems"].append(
            "the faults were not all made: the jobs ended first (more jobs or a longer routine)"
        )
    return _report(
        config,
        submitted,
        details,
        verification,
        faults,
        samples,
        killed,
        redis_times,
        t0_wall,
        {
            "workers_ready_seconds": workers_ready_seconds,
            "setup_seconds": setup_seconds,
            "submit_seconds": submit_seconds,
            "wall_seconds": wall_seconds,
        },
        _log_counts(stack),
    )


def _log_counts(stack: Stack) -> dict:
    """What the logs say about duplicate messages and recovery (diagnostics, not checks)."""
    api = stack.launcher.logs()
    workers = "\n".join(c.logs() for c in stack.workers.values())
    return {
        "duplicate_messages_refused": workers.count(" not started: "),
        "attempts_superseded": workers.count("attempt superseded"),
        "sweeper_lease_expired": api.count("lease expired"),
        "sweeper_broker_back": api.count("sending every queued task's message again"),
        "sweeper_resent": api.count("re-sent the messages of"),
    }


# --- verification -------------------------------------------------------------------------------


def verify(clients: dict[int, httpx.Client], submitted: list[dict], expected: dict) -> dict:
    """Every job succeeded exactly once, read back through the REST API."""
    problems: list[str] = []
    details: list[dict] = []
    duplicated = {"models": 0, "detect_predictions": 0, "evaluation_images": 0}
    models_by_project = {
        pid: api.get(f"/projects/{pid}/models").json() for pid, api in clients.items()
    }
    for item in submitted:
        pid, job_id = item["project_id"], item["id"]
        api = clients[pid]
        job = api.get(f"/projects/{pid}/jobs/{job_id}").json()
        details.append(job)
        where = f"job {job_id} (project {pid})"
        if job["state"] != "succeeded":
            problems.append(f"{where} ended {job['state']}: {job.get('error')}")
            continue
        unfinished = [t["id"] for t in job["tasks"] if t["state"] != "succeeded"]
        if unfinished:
            problems.append(f"{where}: tasks {unfinished} did not succeed")
        kinds = Counter(t["kind"] for t in job["tasks"])
        if kinds["adapt"] != 1 or kinds["evaluate"] != 1 or kinds["detect"] < 1:
            problems.append(f"{where}: tasks {dict(kinds)}")
        # one model per adapt, and it is the job's result
        made = [m["id"] for m in models_by_project[pid] if m.get("source_job_id") == job_id]
        if made != [job["result_model_id"]]:
            problems.append(f"{where}: models {made}, result_model_id {job['result_model_id']}")
            duplicated["models"] += max(0, len(made) - 1)
        # detect: every unannotated image once, per image as many rows as the server counted
        predictions = api.get(
            f"/projects/{pid}/predictions", params={"job_id": job_id, "limit": 5000}
        ).json()
        rows = predictions["items"]
        if predictions["total"] > len(rows):
            problems.append(f"{where}: {predictions['total']} predictions, more than one page")
        keys = Counter((p["image_id"], p["class_id"], tuple(p["box"]), p["score"]) for p in rows)
        extra = sum(n - 1 for n in keys.values())
        if extra:
            problems.append(f"{where}: {extra} detect prediction rows written twice")
            duplicated["detect_predictions"] += extra
        review = api.get(
            f"/projects/{pid}/predictions/images", params={"job_id": job_id, "limit": 5000}
        ).json()["items"]
        per_image = Counter(p["image_id"] for p in rows)
        reviewed = Counter(r["image_id"] for r in review)
        if sorted(reviewed) != expected[pid]["detect"] or max(reviewed.values(), default=1) > 1:
            problems.append(
                f"{where}: detected images {sorted(reviewed.elements())} != "
                f"{expected[pid]['detect']}"
            )
            duplicated["detect_predictions"] += sum(n - 1 for n in reviewed.values())
        for r in review:
            if per_image[r["image_id"]] != r["num_detections"]:
                problems.append(
                    f"{where}: image {r['image_id']} has {per_image[r['image_id']]} predictions, "
                    f"the server counted {r['num_detections']}"
                )
        if job["result"].get("predictions") != len(rows):
            problems.append(
                f"{where}: {len(rows)} predictions, the job counted "
                f"{job['result'].get('predictions')}"
            )
        # evaluate: one row per holdout image, its detections as many as tp + fp
        evaluation = api.get(f"/projects/{pid}/jobs/{job_id}/evaluation").json()
        evaluated = Counter(e["image_id"] for e in evaluation)
        if sorted(evaluated) != expected[pid]["holdout"] or max(evaluated.values(), default=1) > 1:
            problems.append(f"{where}: evaluated images {sorted(evaluated.elements())}")
            duplicated["evaluation_images"] += sum(n - 1 for n in evaluated.values())
        for e in evaluation:
            if len(e["detections"]) != e["tp"] + e["fp"]:
                problems.append(
                    f"{where}: holdout image {e['image_id']} has {len(e['detections'])} "
                    f"detections for tp + fp = {e['tp'] + e['fp']}"
                )
                duplicated["evaluation_images"] += 1
        item["predictions"] = len(rows)
    lost = sum(d["state"] != "succeeded" for d in details)
    retried = [
        {
            "job_id": d["id"],
            "task_id": t["id"],
            "kind": t["kind"],
            "attempt": t["attempt"],
            "worker": t["worker_name"],
        }
        for d in details
        for t in d["tasks"]
        if t["attempt"] > 1
    ]
    return {
        "ok": not problems and lost == 0 and not any(duplicated.values()),
        "lost": lost,
        "duplicated": sum(duplicated.values()),
        "duplicated_by_kind": duplicated,
        "problems": problems[:50],
        "tasks": sum(len(d["tasks"]) for d in details),
        "tasks_with_attempts_over_1": retried,
        "details": details,
    }


# --- the report ---------------------------------------------------------------------------------


def _report(
    config: Config,
    submitted: list[dict],
    details: list[dict],
    verification: dict,
    faults: list[dict],
    samples: list[dict],
    killed: dict,
    redis_times: dict,
    t0_wall: float,
    times: dict,
    log_counts: dict,
) -> dict:
    def rel(stamp: str | None) -> float | None:
        epoch = _epoch(stamp)
        return None if epoch is None else round(epoch - t0_wall, 2)

    jobs = []
    for item, d in zip(submitted, details, strict=True):
        jobs.append(
            {
                "id": d["id"],
                "project_id": d["project_id"],
                "state": d["state"],
                "created": rel(d["created_at"]),
                "started": rel(d["started_at"]),
                "finished": rel(d["finished_at"]),
                "timings": d["timings"],
                "predictions": item.get("predictions"),
                "tasks": [
                    {
                        "id": t["id"],
                        "kind": t["kind"],
                        "state": t["state"],
                        "attempt": t["attempt"],
                        "worker": t["worker_name"],
                        "started": rel(t["started_at"]),
                        "finished": rel(t["finished_at"]),
                    }
                    for t in d["tasks"]
                ],
            }
        )
    succeeded = [j for j in jobs if j["state"] == "succeeded"]
    last_done = max((j["finished"] for j in succeeded if j["finished"] is not None), default=None)
    waits = [j["timings"]["queue_wait"] for j in jobs if "queue_wait" in j["timings"]]
    durations = [j["timings"]["total"] for j in jobs if "total" in j["timings"]]
    runs = [j["finished"] - j["started"] for j in succeeded if j["started"] is not None]
    fault_times = [t for t in (killed.get("t"), redis_times.get("back")) if t is not None]
    last_fault = max(fault_times) if fault_times else None
    recovery: dict = {
        "last_fault": "redis back" if redis_times.get("back") else "worker killed",
        "last_fault_t": round(last_fault, 2) if last_fault else None,
        "last_job_succeeded_t": last_done,
        "seconds": round(last_done - last_fault, 2) if last_done and last_fault else None,
    }
    back = redis_times.get("back")
    if back is not None:
        # from polling (every config.poll s): the first change of any job's progress, state or
        # stage after Redis came back, and the first job seen leaving "queued" or a "(queued)"
        # stage; from the server's rows: the first task started after it
        previous = None
        first_change = first_start = None
        for s in samples:
            if s["t"] < back:
                previous = s
                continue
            if previous is not None:
                for job_id, (state, prog, stage) in s["jobs"].items():
                    before = previous["jobs"].get(job_id)
                    if before is None or state in FINISHED and before[0] in FINISHED:
                        continue
                    if first_change is None and [state, prog, stage] != before:
                        first_change = s["t"]
                    if first_start is None and (
                        (before[0] == "queued" and state != "queued")
                        or (before[2].endswith("(queued)") and not stage.endswith("(queued)"))
                    ):
                        first_start = s["t"]
            previous = s
        task_starts = [
            t["started"]
            for j in jobs
            for t in j["tasks"]
            if t["started"] is not None and t["started"] >= back
        ]
        recovery.update(
            {
                "redis_back_t": round(back, 2),
                "redis_down_seconds": round(back - redis_times["killed"], 2),
                "first_progress_after_redis_seconds": (
                    round(first_change - back, 2) if first_change is not None else None
                ),
                "first_job_or_stage_start_after_redis_seconds": (
                    round(first_start - back, 2) if first_start is not None else None
                ),
                "first_task_started_after_redis_seconds": (
                    round(min(task_starts) - back, 2) if task_starts else None
                ),
                "poll_seconds": config.poll,
            }
        )
    killed_task = None
    if killed:
        killed_task = next(
            (
                {"job_id": j["id"], **t}
                for j in jobs
                for t in j["tasks"]
                if t["id"] == killed["task_id"]
            ),
            None,
        )
    command = (
        "python -m bench.load "
        f"--projects {config.projects} --workers {config.workers} --jobs {config.jobs} "
        f"--adapt-annotated {config.adapt_annotated} --adapt-unannotated "
        f"{config.adapt_unannotated} --holdout {config.holdout} --image-size {config.image_size}"
        + (f" --routine '{json.dumps(config.routine)}'" if config.routine else "")
        + ("" if config.kill_worker else " --no-faults")
        + (" --database-url <postgresql>" if config.database_url else "")
    )
    return {
        "command": command,
        "config": {k: v for k, v in config.__dict__.items() if k != "database_url"},
        "ok": verification["ok"],
        "jobs": {
            "submitted": len(submitted),
            "succeeded": len(succeeded),
            "projects": config.projects,
            "workers": config.workers,
            "tasks": verification["tasks"],
        },
        "lost": verification["lost"],
        "duplicated": verification["duplicated"],
        "duplicated_by_kind": verification["duplicated_by_kind"],
        "problems": verification["problems"],
        "tasks_with_attempts_over_1": verification["tasks_with_attempts_over_1"],
        "faults": faults,
        "killed_task": killed_task,
        "recovery": recovery,
        "times": times,
        "queue_wait_seconds": _spread(waits),
        "job_seconds": _spread(durations),
        "run_seconds": _spread(runs),
        "logs": log_counts,
        "per_job": jobs,
        "samples": [{k: v for k, v in s.items() if k != "jobs"} for s in samples],
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def write(result: dict, out_dir: Path, stem: str = "load") -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{stem}.json").write_text(json.dumps(result, indent=1) + "\n")
    (out_dir / f"{stem}.md").write_text(markdown(result))
    plot(result, out_dir / f"{stem}.png")


def _s(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} s"


def markdown(result: dict) -> str:
    m, jobs, rec, times = result["machine"], result["jobs"], result["recovery"], result["times"]
    c = result["config"]
    retried = result["tasks_with_attempts_over_1"]
    faults = "; ".join(f"{f['t']:.1f} s: {f['what']}" for f in result["faults"]) or "none"
    killed = result.get("killed_task")
    kill = next((f for f in result["faults"] if "task_id" in f), {})
    wait, dur = result["queue_wait_seconds"], result["job_seconds"]
    rows = [
        "| | |",
        "|---|---|",
        f"| verdict | **{'every job succeeded exactly once' if result['ok'] else 'FAILED'}** |",
        f"| jobs | {jobs['succeeded']} of {jobs['submitted']} Iterate jobs succeeded "
        f"({jobs['tasks']} tasks), {jobs['projects']} projects of {jobs['projects']} users, "
        f"{jobs['workers']} workers |",
        f"| lost / duplicated | **{result['lost']} / {result['duplicated']}** "
        f"(models, detect predictions, evaluation rows: "
        f"{', '.join(str(v) for v in result['duplicated_by_kind'].values())}) |",
        f"| faults (s after submitting) | {faults} |",
        "| the killed worker's task | "
        + (
            f"task {killed['id']} ({killed['kind']}) of job {killed['job_id']}, killed at "
            f"progress {kill.get('task_progress', 0):.2f}: attempt {killed['attempt']}, "
            f"finished on {killed['worker']}"
            if killed
            else "—"
        )
        + " |",
        f"| tasks with more than one attempt | {len(retried)}"
        + (
            ": "
            + ", ".join(
                f"task {r['task_id']} ({r['kind']}) attempt {r['attempt']}" for r in retried
            )
            if retried
            else ""
        )
        + " |",
        f"| recovery: {rec['last_fault']} → last job succeeded | **{_s(rec.get('seconds'))}** |",
    ]
    if "redis_back_t" in rec:
        rows += [
            f"| Redis down (killed → answering again) | {_s(rec['redis_down_seconds'])} |",
            f"| Redis back → first job progress seen (polled every {rec['poll_seconds']} s) | "
            f"{_s(rec['first_progress_after_redis_seconds'])} |",
            f"| Redis back → first task started (server rows) / first start seen by polling | "
            f"{_s(rec['first_task_started_after_redis_seconds'])} / "
            f"{_s(rec['first_job_or_stage_start_after_redis_seconds'])} |",
        ]
    rows += [
        f"| wall time, submit → last job finished | **{_s(times['wall_seconds'])}** "
        f"(setup before it {_s(times['setup_seconds'])}: workers up in "
        f"{_s(times['workers_ready_seconds'])}, projects generated; the whole bench "
        f"{_s(result.get('bench_seconds'))}) |",
        *(
            [
                f"| the same workload without faults, just before (load "
                f"{result['baseline']['load_average_at_start'][0]}) | wall "
                f"{_s(result['baseline']['wall_seconds'])}, queue wait p50 / max "
                f"{_s(result['baseline']['queue_wait_seconds']['p50'])} / "
                f"{_s(result['baseline']['queue_wait_seconds']['max'])}, job duration p50 / max "
                f"{_s(result['baseline']['job_seconds']['p50'])} / "
                f"{_s(result['baseline']['job_seconds']['max'])}; "
                f"{'all succeeded once' if result['baseline']['ok'] else 'FAILED'} |"
            ]
            if result.get("baseline")
            else []
        ),
        f"| queue wait per job, p50 / p90 / max | {_s(wait['p50'])} / {_s(wait['p90'])} / "
        f"{_s(wait['max'])} |",
        f"| job duration (created → finished), p50 / p90 / max | {_s(dur['p50'])} / "
        f"{_s(dur['p90'])} / {_s(dur['max'])} |",
        f"| machine | {m['cores']} cores, {m['cpu']}, Python {m['python']}, torch {m['torch']}, "
        f"{m['database']}, 1 torch thread per worker |",
        f"| load average (1, 5, 15 min) | {m['load_average_at_start']} at the start, "
        f"{m['load_average_at_end']} at the end |",
        f"| settings | lease {c['lease_seconds']} s, sweep every {c['sweep_seconds']} s, detect "
        f"chunks of {c['detect_chunk_size']} images; demo projects of {c['adapt_annotated']} + "
        f"{c['adapt_unannotated']} adapt and {c['holdout']} holdout images, "
        f"{c['image_size']} px; routine {json.dumps(c['routine']) if c['routine'] else 'preset'} |",
        "| from the logs | "
        + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in result["logs"].items())
        + " |",
    ]
    text = [
        f"# Load under faults: {jobs['submitted']} Iterate jobs, {jobs['workers']} workers",
        "",
        f"`{result['command']}`, {result['created_at']}.",
        "",
        *rows,
        "",
    ]
    if result["problems"]:
        text += ["Problems:", "", *[f"* {p}" for p in result["problems"]], ""]
    text += ["What limits it: `docs/benchmarks.md`, *Load under faults*.", ""]
    return "\n".join(text)


def plot(result: dict, path: Path) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    jobs = result["per_job"]
    fig, (ax, ax_n) = plt.subplots(
        2, 1, figsize=(11, 6.5), sharex=True, gridspec_kw={"height_ratios": [3, 1.3]}
    )
    colors = {"adapt": "tab:blue", "detect": "tab:green", "evaluate": "tab:purple"}
    for row, job in enumerate(jobs):
        if job["created"] is not None and job["finished"] is not None:
            ax.hlines(row, job["created"], job["finished"], color="lightgrey", lw=1)
        for task in job["tasks"]:
            if task["started"] is None or task["finished"] is None:
                continue
            ax.barh(
                row,
                task["finished"] - task["started"],
                left=task["started"],
                height=0.6,
                color=colors.get(task["kind"], "grey"),
                hatch="//" if task["attempt"] > 1 else None,
                edgecolor="black" if task["attempt"] > 1 else None,
            )
    ax.set_yticks(range(len(jobs)), [f"{j['id']} (p{j['project_id']})" for j in jobs], fontsize=6)
    ax.invert_yaxis()
    ax.set_ylabel("job (project)")
    samples = result["samples"]
    ts = [s["t"] for s in samples]
    ax_n.plot(ts, [s["running"] for s in samples], label="jobs running")
    ax_n.plot(ts, [s["queued"] for s in samples], label="jobs queued")
    # tasks running, from the server's rows (a task's first start to its end)
    spans = [
        (t["started"], t["finished"])
        for j in jobs
        for t in j["tasks"]
        if t["started"] is not None and t["finished"] is not None
    ]
    ax_n.plot(ts, [sum(a <= x < b for a, b in spans) for x in ts], label="tasks running", lw=1)
    ax_n.set_ylabel("count")
    ax_n.set_xlabel("seconds after the jobs were submitted")
    rec = result["recovery"]
    for axis in (ax, ax_n):
        for f in result["faults"]:
            if "killed (SIGKILL)" in f["what"] and "worker" in f["what"]:
                axis.axvline(f["t"], color="red", lw=1.2)
            elif f.get("restart"):
                axis.axvline(f["t"], color="green", lw=1, ls="--")
        if "redis_back_t" in rec:
            axis.axvspan(
                rec["redis_back_t"] - rec["redis_down_seconds"],
                rec["redis_back_t"],
                color="orange",
                alpha=0.3,
            )
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [Patch(color=color, label=kind) for kind, color in colors.items()]
    handles += [
        Patch(
            facecolor="white",
            edgecolor="black",
            hatch="//",
            label="attempt > 1 (first start → end)",
        ),
        Line2D([], [], color="red", label="worker SIGKILLed"),
        Line2D([], [], color="green", ls="--", label="worker started again"),
        Patch(color="orange", alpha=0.3, label="Redis down"),
    ]
    ax.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax_n.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    m = result["machine"]
    ax.set_title(
        f"{result['jobs']['succeeded']}/{result['jobs']['submitted']} jobs succeeded once; "
        f"lost {result['lost']}, duplicated {result['duplicated']}; recovery "
        f"{_s(rec.get('seconds'))}; load {m['load_average_at_start'][0]}",
        fontsize=9,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    d = Config()
    parser.add_argument("--projects", type=int, default=d.projects, help="one user each")
    parser.add_argument("--workers", type=int, default=d.workers)
    parser.add_argument("--jobs", type=int, default=d.jobs, help="Iterate jobs, round-robin")
    parser.add_argument("--adapt-annotated", type=int, default=d.adapt_annotated)
    parser.add_argument("--adapt-unannotated", type=int, default=d.adapt_unannotated)
    parser.add_argument("--holdout", type=int, default=d.holdout)
    parser.add_argument("--image-size", type=int, default=d.image_size)
    parser.add_argument("--routine", default="{}", help="JSON overrides of the model's preset")
    parser.add_argument("--lease-seconds", type=float, default=d.lease_seconds)
    parser.add_argument("--sweep-seconds", type=float, default=d.sweep_seconds)
    parser.add_argument("--detect-chunk-size", type=int, default=d.detect_chunk_size)
    parser.add_argument("--no-faults", action="store_true", help="kill nothing")
    parser.add_argument(
        "--baseline",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="first run the same workload without faults, for comparison",
    )
    parser.add_argument("--kill-after", type=float, default=d.kill_after)
    parser.add_argument("--redis-after", type=float, default=d.redis_after)
    parser.add_argument("--redis-down", type=float, default=d.redis_down)
    parser.add_argument(
        "--restart-worker-after", type=float, default=d.restart_worker_after, help="-1: never"
    )
    parser.add_argument("--poll", type=float, default=d.poll)
    parser.add_argument("--timeout", type=float, default=d.timeout)
    parser.add_argument("--database-url", default=None, help="a PostgreSQL server (default SQLite)")
    parser.add_argument("--out", default=str(REPO / "bench" / "results"))
    parser.add_argument("--stem", default="load", help="<stem>.json, .md, .png")
    parser.add_argument("--keep", action="store_true", help="keep the logs and data folder")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    config = Config(
        projects=args.projects,
        workers=args.workers,
        jobs=args.jobs,
        adapt_annotated=args.adapt_annotated,
        adapt_unannotated=args.adapt_unannotated,
        holdout=args.holdout,
        image_size=args.image_size,
        routine=json.loads(args.routine),
        lease_seconds=args.lease_seconds,
        sweep_seconds=args.sweep_seconds,
        detect_chunk_size=args.detect_chunk_size,
        kill_worker=not args.no_faults,
        kill_after=args.kill_after,
        redis_after=args.redis_after,
        redis_down=args.redis_down,
        restart_worker_after=args.restart_worker_after,
        poll=args.poll,
        timeout=args.timeout,
        database_url=args.database_url,
    )
    baseline = None
    if args.baseline and config.kill_worker:
        # the same workload without faults, on a fresh stack, first: what the faults cost
        print("baseline: the same workload without faults", file=sys.stderr)
        plain = run(
            dataclasses.replace(config, kill_worker=False),
            progress=not args.no_progress,
            keep=args.keep,
        )
        baseline = {
            "ok": plain["ok"],
            "lost": plain["lost"],
            "duplicated": plain["duplicated"],
            "wall_seconds": plain["times"]["wall_seconds"],
            "queue_wait_seconds": plain["queue_wait_seconds"],
            "job_seconds": plain["job_seconds"],
            "tasks_with_attempts_over_1": len(plain["tasks_with_attempts_over_1"]),
            "load_average_at_start": plain["machine"]["load_average_at_start"],
        }
        print("with faults", file=sys.stderr)
    result = run(config, progress=not args.no_progress, keep=args.keep)
    if baseline is not None:
        result["baseline"] = baseline
        result["command"] += " --baseline"
        result["ok"] = result["ok"] and baseline["ok"]
    write(result, Path(args.out), args.stem)
    print((Path(args.out) / f"{args.stem}.md").read_text())
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
