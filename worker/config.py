"""Worker settings, read from the environment (pydantic-settings).

The settings the server shares (SERVER_URL, REDIS_URL, WORKER_TOKEN, TASK_QUEUE, DATA_DIR,
VISIBILITY_TIMEOUT) come from ``contracts.settings`` with their defaults; the worker's own are
``WORKER_*``. An empty variable counts as unset.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator, model_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from contracts.settings import SharedSettings


class WorkerSettings(SharedSettings):
    model_config = SettingsConfigDict(env_ignore_empty=True, frozen=True, populate_by_name=True)

    # unlike the server, which starts an embedded Redis without one, a worker needs a broker
    redis_url: str = "redis://127.0.0.1:6379/0"
    name: str = Field(
        default_factory=lambda: f"{socket.gethostname()}-1", validation_alias="WORKER_NAME"
    )
    # comma-separated, in the order they are served (the first non-empty one is taken first);
    # default: TASK_QUEUE (interactive work), then TASK_QUEUE.batch (batch work)
    queues: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(), validation_alias="WORKER_QUEUES"
    )
    # default: DATA_DIR/worker-cache
    cache_dir: Path | None = Field(default=None, validation_alias="WORKER_CACHE_DIR")
    device: str = Field(default="auto", validation_alias="WORKER_DEVICE")  # auto, cpu, cuda, cuda:1
    heartbeat_seconds: float = Field(default=5.0, validation_alias="WORKER_HEARTBEAT_SECONDS")
    progress_interval: float = Field(default=0.5, validation_alias="WORKER_PROGRESS_SECONDS")
    http_timeout: float = Field(default=60.0, validation_alias="WORKER_HTTP_TIMEOUT")
    http_retries: int = Field(default=5, ge=0, validation_alias="WORKER_HTTP_RETRIES")
    # torch's threads in each task process: "auto" (the cores this process may use, divided
    # among the worker processes of the host: WORKERS_PER_HOST × --concurrency) or a number
    torch_threads: str = Field(default="auto", validation_alias="WORKER_TORCH_THREADS")
    # worker processes (`python -m worker`, containers) sharing this host's cores
    workers_per_host: int = Field(default=1, ge=1, validation_alias="WORKERS_PER_HOST")
    # images per forward pass when detecting (tiles of a tiled model, across images too)
    detect_batch_size: int = Field(default=16, ge=1, validation_alias="WORKER_DETECT_BATCH_SIZE")

    @field_validator("torch_threads")
    @classmethod
    def _auto_or_count(cls, value: str) -> str:
        value = str(value).strip().lower()
        if value != "auto" and not (value.isdigit() and int(value) >= 1):
            raise ValueError(f"WORKER_TORCH_THREADS must be 'auto' or a number >= 1, not {value!r}")
        return value

    @field_validator("queues", mode="before")
    @classmethod
    def _split_queues(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(q.strip() for q in value.split(",") if q.strip())
        return value

    @model_validator(mode="after")
    def _fill_in(self) -> WorkerSettings:
        # frozen: fields derived from others are set once, here
        if not self.queues:
            object.__setattr__(self, "queues", (self.task_queue, self.batch_queue))
        if self.cache_dir is None:
            object.__setattr__(self, "cache_dir", self.data_dir / "worker-cache")
        return self


def load_settings() -> WorkerSettings:
    return WorkerSettings()
