"""Worker settings, read from the environment (the same names the launcher and docker use)."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from pathlib import Path


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


@dataclass(frozen=True)
class WorkerSettings:
    server_url: str = field(default_factory=lambda: _env("SERVER_URL", "http://127.0.0.1:8000").rstrip("/"))
    redis_url: str = field(default_factory=lambda: _env("REDIS_URL", "redis://127.0.0.1:6379/0"))
    worker_token: str = field(default_factory=lambda: _env("WORKER_TOKEN", "dev-worker-token"))
    name: str = field(default_factory=lambda: _env("WORKER_NAME", f"{socket.gethostname()}-1"))
    queues: tuple[str, ...] = field(
        default_factory=lambda: tuple(_env("WORKER_QUEUES", _env("TASK_QUEUE", "metaloop")).split(",")))
    cache_dir: Path = field(default_factory=lambda: Path(
        _env("WORKER_CACHE_DIR", str(Path(_env("DATA_DIR", "data")) / "worker-cache"))))
    device: str = field(default_factory=lambda: _env("WORKER_DEVICE", "auto"))
    heartbeat_seconds: float = field(default_factory=lambda: float(_env("WORKER_HEARTBEAT_SECONDS", "5")))
    visibility_timeout: int = field(default_factory=lambda: int(_env("VISIBILITY_TIMEOUT", "7200")))
    progress_interval: float = field(default_factory=lambda: float(_env("WORKER_PROGRESS_SECONDS", "0.5")))
    http_timeout: float = field(default_factory=lambda: float(_env("WORKER_HTTP_TIMEOUT", "60")))


def load_settings() -> WorkerSettings:
    return WorkerSettings()
