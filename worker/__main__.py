"""Start a MetaLoop worker: ``python -m worker [--name N] [--queues q1,q2] [--concurrency 1]``.

It needs only SERVER_URL, REDIS_URL and WORKER_TOKEN (no database, no shared disk). It registers
with the server, sends a heartbeat every few seconds, and consumes the queues with Celery.
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable

from .config import WorkerSettings, load_settings

log = logging.getLogger("worker")


def detect_device(name: str) -> str:
    """What this worker reports as its device (``cuda:<GPU name>`` or ``cpu`` for ``auto``),
    asked of :func:`~worker.engine.device.describe_device` in a child process, so this one never
    touches CUDA before Celery forks its pool."""
    if name != "auto":
        return name
    probe = "from worker.engine.device import describe_device; print(describe_device())"
    try:
        out = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120
        )
        return out.stdout.strip() or "cpu"
    except (OSError, subprocess.SubprocessError):
        return "cpu"


def _address() -> str:
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            return s.getsockname()[0]
    except OSError:
        return "127.0.0.1"


def start_heartbeat(info: dict, on_refused: Callable[[str], object] | None = None) -> None:
    """Register with the server and keep sending heartbeats from a daemon thread.

    When the server refuses the worker's token (401: revoked or never issued), the heartbeats
    end and ``on_refused(reason)`` is called: by default the worker stops
    (:func:`worker.celery_app.stop_worker`), since every task it took would be refused too."""
    from .celery_app import settings, stop_worker
    from .client import TokenRefused, WorkerApi

    api = WorkerApi(settings, retries=2)
    stop = threading.Event()
    refused = on_refused or stop_worker

    def beat() -> None:
        registered = False
        while True:
            try:
                if not registered:
                    api.register(info)
                    registered = True
                    log.info("registered with %s as %s", settings.server_url, info["name"])
                else:
                    api.heartbeat(info["name"], {"device": info["device"]})
            except TokenRefused as exc:
                refused(
                    f"the server refused this worker's token ({exc.detail}); issue it a new one"
                )
                return
            except Exception as exc:  # noqa: BLE001 - the server may be starting or restarting
                registered = False
                log.warning("heartbeat to %s failed: %s", settings.server_url, exc)
            if stop.wait(settings.heartbeat_seconds):
                return

    threading.Thread(target=beat, name="heartbeat", daemon=True).start()


def resolve_torch_threads(settings: WorkerSettings, concurrency: int) -> int:
    """torch threads per task process: WORKER_TORCH_THREADS, or for ``auto`` the usable cores
    divided among WORKERS_PER_HOST workers × ``concurrency`` processes each; logged."""
    from .engine.device import torch_threads, usable_cores

    processes = settings.workers_per_host * max(1, concurrency)
    threads = torch_threads(settings.torch_threads, processes)
    log.info(
        "torch threads per task process: %s (WORKER_TORCH_THREADS=%s; %s usable cores, "
        "%s worker(s) on this host (WORKERS_PER_HOST) x concurrency %s)",
        threads,
        settings.torch_threads,
        usable_cores(),
        settings.workers_per_host,
        concurrency,
    )
    return threads


def main(argv: list[str] | None = None) -> None:
    defaults = load_settings()  # WORKER_NAME, WORKER_QUEUES (else TASK_QUEUE)
    parser = argparse.ArgumentParser(prog="python -m worker", description=__doc__)
    parser.add_argument("--name", default=defaults.name)
    parser.add_argument("--queues", default=",".join(defaults.queues))
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--pool", default="prefork", choices=["prefork", "solo", "threads"])
    parser.add_argument("--loglevel", default="INFO")
    args = parser.parse_args(argv)
    os.environ["WORKER_NAME"], os.environ["WORKER_QUEUES"] = args.name, args.queues
    logging.basicConfig(
        level=args.loglevel, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # one line per HTTP request (heartbeats every few seconds) would bury the worker's own log
    logging.getLogger("httpx").setLevel(logging.WARNING)
    threads = resolve_torch_threads(defaults, args.concurrency)
    # the pool's processes read the figure from here (worker.celery_app.apply_torch_threads)
    os.environ["WORKER_TORCH_THREADS"] = str(threads)

    from celery.signals import worker_ready

    from .celery_app import app, apply_torch_threads

    if args.pool != "prefork":  # tasks run in this process
        apply_torch_threads()

    info = {
        "name": args.name,
        "host": socket.gethostname(),
        "address": _address(),
        "device": detect_device(defaults.device),
        "queues": args.queues.split(","),
        "version": "0.1.0",
    }

    @worker_ready.connect
    def _ready(**_kwargs) -> None:
        start_heartbeat(info)

    app.worker_main(
        [
            "worker",
            "--hostname",
            f"{args.name}@%h",
            "--queues",
            args.queues,
            "--concurrency",
            str(args.concurrency),
            "--pool",
            args.pool,
            "--loglevel",
            args.loglevel,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
    )


if __name__ == "__main__":
    main()
