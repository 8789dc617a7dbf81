"""Settings: safe defaults for the embedded run; a placeholder secret is refused in production."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from backend.settings import PLACEHOLDER_WORKER_TOKEN, Settings


def test_production_refuses_the_placeholder_worker_token():
    with pytest.raises(ValidationError, match="WORKER_TOKEN"):
        Settings(environment="production", worker_token=PLACEHOLDER_WORKER_TOKEN)
    secret = "s3cret-" * 6
    assert Settings(environment="production", worker_token=secret).worker_token == secret


def test_defaults_and_environment_overrides(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("LEASE_SECONDS", "2.5")
    settings = Settings()
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'metaloop.sqlite3'}"
    assert settings.lease_seconds == 2.5
    assert (settings.max_upload_bytes, settings.max_image_pixels) == (20 * 1024 * 1024, 40_000_000)
    assert (settings.task_queue, settings.visibility_timeout, settings.max_attempts) == (
        "metaloop",
        7200,
        3,
    )
    assert settings.models_dir.name == "models" and settings.frontend_dist.parts[-2:] == (
        "frontend",
        "dist",
    )


def test_a_malformed_login_rate_limit_is_refused_at_start_up():
    with pytest.raises(ValidationError, match="is not a rate limit"):
        Settings(login_failures_per_account="ten a day")
    assert Settings(login_failures_per_address="5 per minute").login_failures_per_address
