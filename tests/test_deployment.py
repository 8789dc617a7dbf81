"""docker-compose.yml and the Dockerfiles: no Docker engine runs here, so check their structure."""

import os
import re
import sys
from pathlib import Path

import httpx
import uvicorn
import yaml
from sqlalchemy import pool
from support.processes import ManagedProcess, free_port, wait_until
from support.services import fresh_database_url

from backend.db.session import make_engine
from backend.settings import get_settings

ROOT = Path(__file__).resolve().parent.parent


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_postgres_redis_the_api_and_scalable_gpu_workers():
    services = compose()["services"]
    assert set(services) == {"postgres", "redis", "api", "worker"}
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    for name in ("api", "worker"):
        dockerfile = (
            ROOT / services[name]["build"]["context"] / services[name]["build"]["dockerfile"]
        )
        assert dockerfile.exists(), dockerfile
    worker = services["worker"]
    # scalable with --scale worker=N: no fixed container name or host port
    assert "container_name" not in worker and "ports" not in worker
    devices = worker["deploy"]["resources"]["reservations"]["devices"]
    assert devices[0]["driver"] == "nvidia" and "gpu" in devices[0]["capabilities"]


def test_services_are_wired_to_each_other_by_environment():
    services = compose()["services"]
    api, worker = services["api"]["environment"], services["worker"]["environment"]
    assert (
        api["DATABASE_URL"].startswith("postgresql+psycopg://")
        and "@postgres:" in api["DATABASE_URL"]
    )
    assert api["REDIS_URL"] == worker["REDIS_URL"] == "redis://redis:6379/0"
    assert worker["SERVER_URL"] == "http://api:8000"
    assert api["ENVIRONMENT"] == "production"  # refuses a placeholder worker token
    assert "WORKER_TOKEN" in api and api["WORKER_TOKEN"] == worker["WORKER_TOKEN"]
    assert "DATABASE_URL" not in worker, "workers never touch the database"


def test_state_lives_in_named_volumes():
    data = compose()
    mounts = {
        svc: [v.split(":")[0] for v in data["services"][svc].get("volumes", [])]
        for svc in ("postgres", "api", "worker")
    }
    assert all(mounts.values())
    assert {m for ms in mounts.values() for m in ms} <= set(data["volumes"])


def test_the_api_image_migrates_before_serving_and_carries_no_torch():
    text = (ROOT / "docker" / "api.Dockerfile").read_text()
    assert "backend.migrate" in text and text.index("backend.migrate") < text.index("uvicorn")
    instructions = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    assert (
        "[server]" in instructions
        and "[worker]" not in instructions
        and "torch" not in instructions
    )
    assert "npm run build" in text


def _default(value: str) -> str:
    """``${NAME:-default}`` as compose resolves it with NAME unset."""
    match = re.fullmatch(r"\$\{\w+:-([^}]*)\}", str(value))
    return match[1] if match else str(value)


def test_the_api_runs_several_processes_with_a_database_pool_sized_for_them(monkeypatch):
    services = compose()["services"]
    api = services["api"]["environment"]
    processes = int(_default(api["WEB_CONCURRENCY"]))
    assert processes >= 2
    # uvicorn takes its process count from WEB_CONCURRENCY unless --workers is given
    monkeypatch.setenv("WEB_CONCURRENCY", str(processes))
    assert uvicorn.Config("backend.main:app").workers == processes
    command = (ROOT / "docker" / "api.Dockerfile").read_text().split("CMD", 1)[1]
    assert "uvicorn" in command and "--workers" not in command
    per_process = int(_default(api["DB_POOL_SIZE"])) + int(_default(api["DB_MAX_OVERFLOW"]))
    postgres = " ".join(services["postgres"]["command"])
    max_connections = int(re.search(r"max_connections=(\d+)", postgres)[1])
    # every process at its peak, with room left for migrations and an admin's psql
    assert processes * per_process <= max_connections - 10


def test_postgresql_engines_take_their_pool_size_from_the_settings(monkeypatch):
    monkeypatch.setenv("DB_POOL_SIZE", "7")
    monkeypatch.setenv("DB_MAX_OVERFLOW", "3")
    get_settings.cache_clear()
    try:
        engine = make_engine("postgresql+psycopg://metaloop:secret@127.0.0.1:1/metaloop")
        assert engine.pool.size() == 7 and engine.pool._max_overflow == 3
        # a pool class given by the caller (migrations use NullPool) is left alone
        assert isinstance(
            make_engine("postgresql+psycopg://m:s@127.0.0.1:1/m", poolclass=pool.NullPool).pool,
            pool.NullPool,
        )
        engine.dispose()
    finally:
        get_settings.cache_clear()


def test_the_launcher_serves_with_several_api_processes(tmp_path):
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
                "--api-workers",
                "2",
                "--data-dir",
                str(tmp_path / "data"),
            ],
            env=env,
            log_path=tmp_path / "launcher.log",
            cwd=ROOT,
        ).start()
        try:
            wait_until(
                lambda: "MetaLoop is running" in launcher.logs() or not launcher.alive(),
                120,
                message="the launcher",
            )
            # each of uvicorn's processes says so as it starts
            wait_until(
                lambda: (
                    len(set(re.findall(r"Started server process \[(\d+)\]", launcher.logs()))) == 2
                ),
                60,
                message="two API processes",
            )
            base = f"http://127.0.0.1:{port}/api"
            token = httpx.post(
                f"{base}/auth/setup", json={"username": "admin", "password": "a-long-password"}
            ).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            # the connections spread over both processes; each knows the token (the database)
            with httpx.Client(base_url=base, headers=headers, timeout=10) as client:
                created = client.post("/projects", json={"name": "p", "classes": [{"name": "a"}]})
                assert created.status_code == 201, created.text
            for _ in range(10):
                with httpx.Client(base_url=base, headers=headers, timeout=10) as client:
                    assert [p["name"] for p in client.get("/projects").json()] == ["p"]
        finally:
            launcher.stop(30)
        assert "Traceback" not in launcher.logs()
