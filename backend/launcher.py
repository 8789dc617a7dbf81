"""One command for the whole system on one machine: `python -m backend.launcher`.

Creates DATA_DIR, starts an embedded Redis unless REDIS_URL is set, migrates the database,
starts the API (uvicorn, with `--api-workers N` processes) and one worker as child processes,
prints the URL, and stops them all on Ctrl-C or SIGTERM. `--demo` also creates the demo account
and project.

It supervises its children: when the API or the worker exits, it is started again after a
delay of 1 s, doubled after each restart up to 30 s, and back to 1 s once the child had run
for 60 s (:class:`Backoff`); the other child keeps running, and each exit and restart is logged.
The embedded Redis is restarted the same way, on the same port.
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
from pydantic import ValidationError

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
    parser.add_argument(
        "--api-workers",
        type=int,
        default=int(os.environ.get("WEB_CONCURRENCY") or 1),
        help="API processes (uvicorn --workers; default: $WEB_CONCURRENCY or 1); each has its "
        "own sweeper and database pool (DB_POOL_SIZE)",
    )
    return parser.parse_args(argv)


class Backoff:
    """Delays before restarting a child process, in seconds: ``first``, doubled after each
    restart up to ``longest``; back to ``first`` when the child had run ``stable`` seconds."""

    def __init__(self, first: float = 1.0, longest: float = 30.0, stable: float = 60.0) -> None:
        if not 0 < first <= longest:
            raise ValueError("Backoff needs 0 < first <= longest")
        self.first, self.longest, self.stable = first, longest, stable
        self._next = first
        self.restarts = 0

    def delay(self, ran_for: float) -> float:
        """The delay before the next start of a child that ran ``ran_for`` seconds."""
        if ran_for >= self.stable:
            self._next = self.first
        delay = self._next
        self._next = min(self.longest, self._next * 2)
        self.restarts += 1
        return delay


def start_api(args: argparse.Namespace, env: dict[str, str]) -> subprocess.Popen[bytes]:
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
            # open event streams do not hold a stop (or a restart) for long
            "--timeout-graceful-shutdown",
            "3",
            "--workers",
            str(max(1, args.api_workers)),
        ],
        env=env,
        cwd=REPO_ROOT,
        start_new_session=True,
    )
    log.info("API started (pid %s)", api.pid)
    return api


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


def restart_api(
    args: argparse.Namespace,
    env: dict[str, str],
    url: str,
    dead: subprocess.Popen[bytes],
    backoff: Backoff,
    ran_for: float,
) -> subprocess.Popen[bytes]:
    """Start the API again after ``backoff``'s delay, until one answers at ``url``; the worker
    is left alone (it retries its reports until the API is back). Returns the new process."""
    code = dead.returncode
    while True:
        delay = backoff.delay(ran_for)
        log.error(
            "the API exited with %s after %.0f s; restarting it in %.0f s (restart %d); the "
            "worker keeps running",
            code,
            ran_for,
            delay,
            backoff.restarts,
        )
        time.sleep(delay)
        api = start_api(args, env)
        started = time.monotonic()
        try:
            wait_for_api(url, api)
        except RuntimeError as error:
            log.error("the restarted API did not come up: %s", error)
            stop_process(api, "the API")
            code, ran_for = api.returncode, time.monotonic() - started
            continue
        except BaseException:  # Stop (Ctrl-C, SIGTERM) while it starts: the caller cannot see it
            stop_process(api, "the API")
            raise
        log.warning("the API is back at %s (pid %s)", url, api.pid)
        return api


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


def _supervise_redis(
    server: EmbeddedRedis, backoff: Backoff, started: float, due: float | None
) -> tuple[float, float | None]:
    """One look at the embedded Redis: a dead one is restarted on the same port after the
    back-off's delay (the API and the worker reconnect to it, and the API's sweeper sends the
    queued tasks again once it answers). Returns the new ``(started, due)``."""
    now = time.monotonic()
    if due is None:
        code = server.exit_code()
        if code is None:
            return started, None
        delay = backoff.delay(now - started)
        log.error(
            "the embedded Redis exited with %s; restarting it on the same port in %.0f s "
            "(restart %d); queued tasks are sent again once it answers",
            code,
            delay,
            backoff.restarts,
        )
        return started, now + delay
    if now < due:
        return started, due
    try:
        server.start()
    except RuntimeError as error:
        delay = backoff.delay(0.0)
        log.error(
            "the embedded Redis did not start again (%s); trying again in %.0f s", error, delay
        )
        return started, time.monotonic() + delay
    log.info("the embedded Redis is back on %s", server.url)
    return time.monotonic(), None


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
    if args.demo:
        env.setdefault("DEMO_MODE", "true")  # the demo account's password is "demo"
    try:  # settings that cannot work stop the start here, in a line each, not a traceback
        settings = Settings(data_dir=data_dir)
    except ValidationError as error:
        for problem in error.errors():
            where = ".".join(str(part) for part in problem["loc"]).upper()
            for line in str(problem["msg"]).removeprefix("Value error, ").splitlines():
                log.error("MetaLoop cannot start: %s%s", f"{where}: " if where else "", line)
        return 2
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    redis_server = api = worker = None
    try:
        if not env.get("REDIS_URL"):
            redis_server = EmbeddedRedis(data_dir / "redis")
            env["REDIS_URL"] = redis_server.start()
        upgrade_head(settings.resolved_database_url)
        api = start_api(args, env)
        wait_for_api(url, api)
        api_started = time.monotonic()
        worker = None if args.no_worker else start_worker(env)
        supervise_worker = worker is not None  # one that cannot start at all is not retried
        worker_started = time.monotonic()
        api_backoff, worker_backoff, redis_backoff = Backoff(), Backoff(), Backoff()
        redis_started, redis_due = time.monotonic(), None
        docs = f"API docs: {url}/docs; " if settings.api_docs else ""
        print(f"\nMetaLoop is running at {url}  ({docs}Ctrl-C stops it)\n", flush=True)
        if args.demo:
            run_demo(url, os.environ.get("ENVIRONMENT", "development"))
        worker_due: float | None = None
        while True:
            now = time.monotonic()
            if redis_server is not None:
                redis_started, redis_due = _supervise_redis(
                    redis_server, redis_backoff, redis_started, redis_due
                )
            if worker is not None and worker.poll() is not None:
                delay = worker_backoff.delay(now - worker_started)
                log.error(
                    "the worker exited with %s; restarting it in %.0f s (restart %d)",
                    worker.returncode,
                    delay,
                    worker_backoff.restarts,
                )
                worker, worker_due = None, now + delay
            if supervise_worker and worker is None and worker_due and now >= worker_due:
                worker, worker_due = start_worker(env), None
                worker_started = time.monotonic()
                if worker is None:
                    worker_due = time.monotonic() + worker_backoff.delay(0.0)
            if api.poll() is not None:
                api = restart_api(args, env, url, api, api_backoff, time.monotonic() - api_started)
                api_started = time.monotonic()
            time.sleep(0.5)
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
