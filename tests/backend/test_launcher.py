"""`python -m backend.launcher`: embedded Redis, migrations, the API, --demo, clean shutdown, and
supervision (a dead API or embedded Redis restarted with back-off while the worker keeps
running)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time

import httpx
import redis
from support.processes import ManagedProcess, free_port, wait_until
from support.server import REPO_ROOT
from support.services import fresh_database_url

from backend.launcher import Backoff


def test_launcher_runs_the_system_with_an_embedded_redis_and_stops_cleanly(tmp_path):
    port = free_port()
    with fresh_database_url(tmp_path / "db", migrate=False) as database_url:
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
        env.update(
            DATABASE_URL=database_url,
            MODELS_DIR=str(tmp_path / "models"),
            FRONTEND_DIST=str(tmp_path / "dist"),
            PYTHONUNBUFFERED="1",
            DEMO_MODE="true",  # the demo account is demo/demo (`make demo` sets it too)
        )
        launcher = ManagedProcess(
            [
                sys.executable,
                "-m",
                "backend.launcher",
                "--port",
                str(port),
                "--no-worker",
                "--demo",
                "--data-dir",
                str(tmp_path / "data"),
            ],
            env=env,
            log_path=tmp_path / "launcher.log",
            cwd=REPO_ROOT,
        ).start()
        try:
            wait_until(
                lambda: "Demo project" in launcher.logs() or not launcher.alive(),
                timeout=60,
                message="the demo project",
            )
            logs = launcher.logs()
            assert f"MetaLoop is running at http://127.0.0.1:{port}" in logs, logs
            assert "embedded Redis on redis://127.0.0.1:" in logs
            assert "username demo, password demo" in logs
            api = httpx.Client(base_url=f"http://127.0.0.1:{port}/api", timeout=10)
            token = api.post("/auth/login", json={"username": "demo", "password": "demo"}).json()[
                "access_token"
            ]
            api.headers["Authorization"] = f"Bearer {token}"
            projects = api.get("/projects").json()
            assert [c["name"] for c in projects[0]["classes"]] == ["C", "F", "K", "P", "X"]
            jobs = api.get(f"/projects/{projects[0]['id']}/jobs").json()
            assert [(j["kind"], j["state"]) for j in jobs] == [("generate", "queued")]
            pools = jobs[0]["params"]["generate"]["pools"]
            assert [(p["pool"], p["count"], p["annotated"]) for p in pools] == [
                ("adapt", 25, True),
                ("adapt", 200, False),
                ("holdout", 50, True),
            ]
            api.close()
            assert (tmp_path / "data" / "blobs").parent.is_dir()

            # `make run` forwards the signal, so the launcher may get it twice while stopping
            launcher.process.send_signal(signal.SIGTERM)
            time.sleep(0.2)
            if launcher.process.poll() is None:
                launcher.process.send_signal(signal.SIGTERM)
            assert launcher.process.wait(20) == 0
            assert "shutting down" in launcher.logs()
            assert "Traceback" not in launcher.logs()
            redis_port = int(re.search(r"embedded Redis on redis://127.0.0.1:(\d+)", logs).group(1))
            for child_port in (port, redis_port):
                with socket.socket() as sock:
                    assert sock.connect_ex(("127.0.0.1", child_port)) != 0, (
                        f"port {child_port} still open"
                    )
        finally:
            launcher.stop()


def test_backoff_doubles_up_to_its_bound_and_starts_over_after_a_stable_run():
    backoff = Backoff(first=1.0, longest=8.0, stable=60.0)
    assert [backoff.delay(ran_for=2.0) for _ in range(6)] == [1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert backoff.delay(ran_for=61.0) == 1.0  # it had run long enough: back to the start
    assert backoff.delay(ran_for=0.5) == 2.0
    assert backoff.restarts == 8


def test_launcher_restarts_a_dead_api_with_backoff_and_keeps_the_worker(tmp_path):
    port = free_port()
    with fresh_database_url(tmp_path / "db", migrate=False) as database_url:
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
        env.update(
            DATABASE_URL=database_url,
            MODELS_DIR=str(tmp_path / "models"),
            FRONTEND_DIST=str(tmp_path / "dist"),
            WORKER_DEVICE="cpu",
            WORKER_HEARTBEAT_SECONDS="1",
            PYTHONUNBUFFERED="1",
        )
        launcher = ManagedProcess(
            [
                sys.executable,
                "-m",
                "backend.launcher",
                "--port",
                str(port),
                "--data-dir",
                str(tmp_path / "data"),
            ],
            env=env,
            log_path=tmp_path / "launcher.log",
            cwd=REPO_ROOT,
        ).start()
        health = f"http://127.0.0.1:{port}/api/health"

        def api_pids() -> list[int]:
            return [int(p) for p in re.findall(r"API started \(pid (\d+)\)", launcher.logs())]

        try:
            wait_until(
                lambda: (
                    re.search(r"worker \S+ started \(pid (\d+)\)", launcher.logs())
                    or not launcher.alive()
                ),
                timeout=90,
                message="the worker",
            )
            worker_pid = int(re.search(r"worker \S+ started \(pid (\d+)\)", launcher.logs())[1])
            for restart, delay in ((1, 1), (2, 2)):
                os.kill(api_pids()[-1], signal.SIGKILL)  # uvicorn dies
                wait_until(
                    lambda n=restart: launcher.logs().count("the API is back") == n,
                    timeout=60,
                    message=f"API restart {restart}",
                )
                assert httpx.get(health, timeout=5).status_code == 200
                logs = launcher.logs()
                assert (
                    f"restarting it in {delay} s (restart {restart}); the worker keeps running"
                    in logs
                )
            # the embedded Redis dies: started again on the same port, the rest keeps running
            found = re.search(r"embedded Redis on (\S+) \(pid (\d+)\)", launcher.logs())
            redis_url, redis_pid = found[1], int(found[2])
            os.kill(redis_pid, signal.SIGKILL)
            wait_until(
                lambda: "the embedded Redis is back" in launcher.logs(),
                timeout=30,
                message="the embedded Redis restarted",
            )
            assert "the embedded Redis exited with -9; restarting it on the same port" in (
                launcher.logs()
            )
            assert redis.Redis.from_url(redis_url, socket_timeout=5).ping()
            assert httpx.get(health, timeout=5).status_code == 200
            os.kill(worker_pid, 0)  # the same worker process is still there
            assert "the worker exited" not in launcher.logs()
            assert launcher.alive()
            launcher.process.send_signal(signal.SIGTERM)
            assert launcher.process.wait(30) == 0
            assert "Traceback" not in launcher.logs()
            with socket.socket() as sock:
                assert sock.connect_ex(("127.0.0.1", port)) != 0
        finally:
            launcher.stop()


def test_settings_that_cannot_work_stop_the_launcher_with_a_line_not_a_traceback(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env.update(ENVIRONMENT="production", WORKER_TOKEN="a", SETUP_TOKEN="b")
    ended = subprocess.run(
        [sys.executable, "-m", "backend.launcher", "--data-dir", str(tmp_path / "data")],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ended.returncode == 2
    assert "MetaLoop cannot start: WORKER_TOKEN has 1 characters" in ended.stderr, ended.stderr
    assert "MetaLoop cannot start: SETUP_TOKEN has 1 characters" in ended.stderr  # all at once
    assert "Traceback" not in ended.stderr
