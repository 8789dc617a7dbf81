"""docker-compose.yml and the Dockerfiles: no Docker engine runs here, so check their structure."""

from pathlib import Path

import yaml

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
