"""One command for the whole system on one machine: `python -m backend.launcher`.

Creates DATA_DIR, starts an embedded Redis unless REDIS_URL is set, migrates the database,
starts the API (uvicorn) and one worker as child processes, prints the URL, and stops them all
on Ctrl-C or SIGTERM. `--demo` also creates the demo account and project.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from backend.embedded_redis import EmbeddedRedis
from backend.migrate import upgrade_head
from backend.settings import Settings

log = logging.getLogger("backend.launcher")
REPO_ROOT = Path(__file__).resolve().parent.parent


class Stop(Exception):
    pass


def _on_signal(signum: int, _frame: object) -> None:
    # one stop is enough: `make run` forwards Ctrl-C/SIGTERM too, so a second copy of the
    # signal must not interrupt the shutdown that the first one started
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Stop(signal.Signals(signum).name)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m backend.launcher", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--data-dir", default=None, help="default: $DATA_DIR or ./data")
    parser.add_argument("--demo", action="store_true", help="create the demo account and project")
    parser.add_argument("--no-worker", action="store_true", help="start no worker")
    return parser.parse_args(argv)


def wait_for_api(url: str, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the API exited with {process.returncode} while starting")
        try:
            if httpx.get(f"{url}/api/health", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the API did not answer at {url} within {timeout:.0f} s")


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes] | None:
    name = f"{socket.gethostname()}-1"
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "worker", "--name", name],
            env=env,
            cwd=REPO_ROOT,
            start_new_session=True,
        )
    except OSError as error:
        log.error("could not start the worker: %s", error)
        return None
    time.sleep(1.0)
    if process.poll() is not None:
        log.error(
            "the worker exited at once (code %s): is the worker package installed "
            "(pip install -e '.[worker]')?",
            process.returncode,
        )
        return None
    log.info("worker %s started (pid %s)", name, process.pid)
    return process


def run_demo(url: str, environment: str) -> None:
    with httpx.Client(base_url=url, timeout=30.0) as client:
        if client.get("/api/auth/status").json()["needs_setup"]:
            if environment != "development":
                log.warning(
                    "--demo: no account exists and ENVIRONMENT=%s: no demo account made",
                    environment,
                )
                return
            answer = client.post("/api/auth/setup", json={"username": "demo", "password": "demo"})
            print("Demo account created: username demo, password demo", flush=True)
        else:
            answer = client.post("/api/auth/login", json={"username": "demo", "password": "demo"})
            if answer.status_code != 200:
                log.warning(
                    "--demo: accounts exist and demo/demo cannot log in: no demo project made"
                )
                return
        answer.raise_for_status()
        headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
        created = client.post("/api/projects/demo", headers=headers, json={})
        created.raise_for_status()
        body = created.json()
        print(
            f"Demo project {body['project']['id']} created; generate job {body['job_id']} queued",
            flush=True,
        )


def stop_process(process: subprocess.Popen[bytes] | None, name: str, timeout: float = 15.0) -> None:
    if process is None or process.poll() is not None:
        return
    log.info("stopping %s (pid %s)", name, process.pid)
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        log.warning("%s did not stop in %.0f s: killing it", name, timeout)
        process.kill()
        process.wait()


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    args = parse_args(argv)
    data_dir = Path(args.data_dir or os.environ.get("DATA_DIR") or "./data").resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DATA_DIR": str(data_dir)}
    client_host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    url = f"http://{client_host}:{args.port}"
    env.setdefault("SERVER_URL", url)
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    redis_server = api = worker = None
    try:
        if not env.get("REDIS_URL"):
            redis_server = EmbeddedRedis(data_dir / "redis")
            env["REDIS_URL"] = redis_server.start()
        upgrade_head(Settings(data_dir=data_dir).resolved_database_url)
        api = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "backend.main:app",
                "--host",
                args.host,
                "--port",
                str(args.port),
            ],
            env=env,
            cwd=REPO_ROOT,
            start_new_session=True,
        )
        wait_for_api(url, api)
        worker = None if args.no_worker else start_worker(env)
        print(
            f"\nMetaLoop is running at {url}  (API docs: {url}/docs; Ctrl-C stops it)\n", flush=True
        )
        if args.demo:
            run_demo(url, os.environ.get("ENVIRONMENT", "development"))
        while api.poll() is None:
            if worker is not None and worker.poll() is not None:
                log.error("the worker exited with %s", worker.returncode)
                worker = None
            time.sleep(0.5)
        log.error("the API exited with %s", api.returncode)
        return 1
    except Stop as stop:
        log.info("%s received: shutting down", stop)
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stop_process(worker, "the worker")
        stop_process(api, "the API")
        if redis_server is not None:
            redis_server.stop()


if __name__ == "__main__":
    sys.exit(main())
