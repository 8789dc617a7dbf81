"""Settings the server and the workers share: the same environment variables, the same defaults.

``backend.settings.Settings`` and ``worker.config.WorkerSettings`` both extend
:class:`SharedSettings`, so a name (``REDIS_URL``, ``WORKER_TOKEN``, ``TASK_QUEUE``, ...) means one
thing on both sides and its default is written once, here.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_WORKER_TOKEN = "dev-worker-token"


class SharedSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    data_dir: Path = Path("./data")
    # the server starts an embedded Redis when this is unset; a worker needs one (worker.config)
    redis_url: str | None = None
    worker_token: str = PLACEHOLDER_WORKER_TOKEN
    server_url: str = "http://127.0.0.1:8000"
    task_queue: str = "metaloop"
    # seconds before Redis hands an unacknowledged message to another worker: above the longest task
    visibility_timeout: int = 7200

    @property
    def batch_queue(self) -> str:
        """The queue of batch work (large detect jobs): TASK_QUEUE + ``.batch``; TASK_QUEUE itself
        carries interactive work (adapt, evaluate, generate, small detect jobs)."""
        return f"{self.task_queue}.batch"

    @field_validator("server_url")
    @classmethod
    def _without_trailing_slash(cls, url: str) -> str:
        return url.rstrip("/")
