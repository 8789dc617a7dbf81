"""All server settings, read from environment variables (pydantic-settings).

Every setting has a default that suits the embedded single-machine run; the one dangerous
default (the placeholder worker token) is refused when ENVIRONMENT=production. The settings the
workers share (REDIS_URL, WORKER_TOKEN, SERVER_URL, TASK_QUEUE, ...) come from
``contracts.settings``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from contracts.settings import PLACEHOLDER_WORKER_TOKEN, SharedSettings

REPO_ROOT = Path(__file__).resolve().parent.parent
__all__ = ["MIN_SECRET_LENGTH", "PLACEHOLDER_WORKER_TOKEN", "REPO_ROOT", "Settings", "get_settings"]

MIN_SECRET_LENGTH = 32  # characters of a shared secret (worker or setup token) in production


class Settings(SharedSettings):
    environment: Literal["development", "production"] = "development"
    database_url: str = ""  # empty: SQLite file under data_dir
    # connections each API process keeps open to PostgreSQL, and how many more it may open at a
    # peak (closed after use): size them so processes × (both) stays under max_connections
    db_pool_size: int = Field(default=10, ge=1)
    db_max_overflow: int = Field(default=10, ge=0)
    # connections kept out of the API requests' share for the sweeper, the webhook sender and
    # the token last-use writer (backend/api/admission.py)
    api_admission_reserve: int = Field(default=3, ge=0)

    max_upload_bytes: int = 20 * 1024 * 1024
    max_image_pixels: int = 40_000_000
    thumbnail_size: int = 256
    # imports (COCO/VOC/YOLO zips): the upload, its members, all members expanded, one
    # annotation file (each image is held to max_upload_bytes)
    max_import_bytes: int = 2 * 1024**3
    max_import_members: int = 100_000
    max_import_expanded_bytes: int = 8 * 1024**3
    import_threads: int = 1  # imports one API process runs at once (the others wait, queued)
    import_stale_seconds: float = 120.0  # an import silent this long was cut off: failed
    max_annotation_file_bytes: int = 512 * 1024**2

    lease_seconds: float = 60.0
    sweep_interval_seconds: float = 5.0
    max_attempts: int = 3
    detect_chunk_size: int = 50
    events_channel: str = "metaloop:events"
    sse_keepalive_seconds: float = 15.0
    event_retention_seconds: float = 6 * 3600.0  # how far back a reconnecting client can catch up
    sse_access_check_seconds: float = 2.0  # a stream re-checks its token and projects this often
    worker_online_seconds: float = 30.0

    # --- security and limits (issue 23; docs/architecture.md, "Security") ---
    # logins: failed attempts allowed per account and per client address (the `limits`
    # library's notation), counted in Redis (in memory without REDIS_URL)
    login_failures_per_account: str = "10 per 15 minutes"
    login_failures_per_address: str = "100 per 15 minutes"
    # passwords of new accounts: at least this long and not the username, except in demo mode
    # (DEMO_MODE=true, ignored when ENVIRONMENT=production), where the demo account is demo/demo
    password_min_length: int = 12
    demo_mode: bool = False
    # requested work: per job, routine and demo project; jobs one user may have queued or running
    max_routine_steps: int = 5_000
    max_batch_size: int = 256
    max_routine_checkpoints: int = 100
    max_job_images: int = 100_000
    max_active_jobs_per_user: int = 20
    max_demo_images: int = 2_000
    max_demo_image_size: int = 512
    max_description_length: int = 10_000
    # uploads: pixels of all images in one upload request, read from their headers first
    max_request_pixels: int = 400_000_000
    # image bytes (as uploaded) one user may have stored, uploads and imports together
    max_storage_bytes_per_user: int = 50 * 1024**3

    # production defaults (docs/architecture.md, "Security"): left unset, sign-up and /docs are on
    # in development and off in production
    allow_signup: bool | None = None
    api_docs: bool | None = None
    # the secret `POST /api/auth/setup` needs (X-Setup-Token) when ENVIRONMENT=production; unset
    # there, the first admin is made with `python -m backend.manage create-admin`
    setup_token: str = ""
    # signs tickets (short-lived stand-ins for the bearer token in URLs); unset: a random key kept
    # in DATA_DIR/secret_key, which every API process sharing DATA_DIR reads. Set it (the same
    # on every machine) when API processes run on several machines.
    secret_key: str = ""
    # the web client's session cookie is sent over HTTPS only; unset: on in production
    session_cookie_secure: bool | None = None
    event_ticket_seconds: float = 60.0  # a ticket opens an event stream within this
    file_ticket_seconds: float = 900.0  # a ticket reads a project's files for this long
    session_token_days: float = 30.0
    models_dir: Path = REPO_ROOT / "models"
    frontend_dist: Path = REPO_ROOT / "frontend" / "dist"
    default_base_model: str = ""
    sweeper_enabled: bool = True
    # webhooks: targets in private, loopback, link-local, multicast or reserved ranges are refused
    # unless this allows them (an admin's choice: Label Studio's SSRF CVEs show why)
    webhooks_allow_private: bool = False
    # https targets: their certificates are verified against this PEM file of CA certificates
    # (a private CA, say); unset: certifi's store of public CAs
    webhooks_ca_bundle: str | None = None
    webhook_max_attempts: int = 6
    webhook_retry_seconds: float = 10.0  # backoff: this, doubled after each failed attempt
    webhook_timeout_seconds: float = 10.0
    webhook_interval_seconds: float = 2.0  # how often the sender looks for due deliveries
    webhook_delivery_retention_days: float = 30.0  # finished deliveries are deleted after this
    # queue recovery and fairness (docs/architecture.md, "Queues and fairness"): a task queued
    # and not started this many seconds after its message was sent is sent again; a detect job
    # of more images than this is batch work; each project keeps at most this many batch
    # messages waiting in the broker (more are sent as these start)
    requeue_after_seconds: float = 30.0
    interactive_detect_images: int = 100
    batch_waiting_per_project: int = 2

    @field_validator("login_failures_per_account", "login_failures_per_address")
    @classmethod
    def _a_rate_limit(cls, value: str) -> str:
        from limits import parse

        try:
            parse(value)
        except ValueError:
            raise ValueError(
                f"{value!r} is not a rate limit such as '10 per 15 minutes' (the `limits` "
                "library's notation)"
            ) from None
        return value

    @model_validator(mode="after")
    def _production_defaults(self) -> Settings:
        production = self.environment == "production"
        if self.allow_signup is None:
            self.allow_signup = not production
        if self.api_docs is None:
            self.api_docs = not production
        if self.session_cookie_secure is None:
            self.session_cookie_secure = production
        if not production:
            return self
        problems = []  # every one at once, a line each, so that one start shows them all
        if self.worker_token == PLACEHOLDER_WORKER_TOKEN:
            problems.append(
                "WORKER_TOKEN is the development placeholder: when ENVIRONMENT=production set a "
                f"secret of at least {MIN_SECRET_LENGTH} characters, or set it empty and give "
                "each worker its own token (POST /api/workers/credentials)"
            )
        for name in ("worker_token", "setup_token", "secret_key"):
            value = getattr(self, name)
            if value and value != PLACEHOLDER_WORKER_TOKEN and len(value) < MIN_SECRET_LENGTH:
                problems.append(
                    f"{name.upper()} has {len(value)} characters: when ENVIRONMENT=production it "
                    f"needs at least {MIN_SECRET_LENGTH} (e.g. `openssl rand -hex 32`)"
                )
        if problems:
            raise ValueError("\n".join(problems))
        return self

    @property
    def api_admission_limit(self) -> int:
        """API requests in flight at once per process: the pool's connections less the reserve."""
        return max(1, self.db_pool_size + self.db_max_overflow - self.api_admission_reserve)

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'metaloop.sqlite3').resolve()}"

    @property
    def blobs_dir(self) -> Path:
        return self.data_dir / "blobs"


@lru_cache
def get_settings() -> Settings:
    return Settings()
