"""`python -m backend.launcher`: embedded Redis, migrations, the API, --demo, clean shutdown."""

from __future__ import annotations

import os
import re
import signal
import socket
import sys
import time

import httpx
from support.processes import ManagedProcess, free_port, wait_until
from support.server import REPO_ROOT
from support.services import fresh_database_url


def test_launcher_runs_the_system_with_an_embedded_redis_and_stops_cleanly(tmp_path):
    port = free_port()
    with fresh_database_url(tmp_path / "db", migrate=False) as database_url:
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
        env.update(
            DATABASE_URL=database_url,
            MODELS_DIR=str(tmp_path / "models"),
            FRONTEND_DIST=str(tmp_path / "dist"),
            PYTHONUNBUFFERED="1",
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
