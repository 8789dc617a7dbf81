"""Run the Alembic migrations from code: `python -m backend.migrate` (upgrade to head).

This is the only way tables are created; the launcher and the test helpers call `upgrade_head`.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from backend.settings import get_settings

log = logging.getLogger(__name__)
BACKEND_DIR = Path(__file__).resolve().parent


def alembic_config(database_url: str | None = None) -> Config:
    config = Config(str(BACKEND_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(BACKEND_DIR / "migrations"))
    config.set_main_option(
        "sqlalchemy.url", (database_url or get_settings().resolved_database_url).replace("%", "%%")
    )
    config.attributes["configure_logging"] = False
    return config


def wait_for_database(database_url: str, timeout: float = 30.0) -> None:
    """Wait until the database accepts connections (PostgreSQL may still be starting)."""
    deadline = time.monotonic() + timeout
    engine = create_engine(database_url)
    try:
        while True:
            try:
                with engine.connect() as connection:
                    connection.execute(text("SELECT 1"))
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                log.info("waiting for the database at %s", engine.url.render_as_string())
                time.sleep(1.0)
    finally:
        engine.dispose()


def upgrade_head(database_url: str | None = None) -> None:
    url = database_url or get_settings().resolved_database_url
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    wait_for_database(url)
    command.upgrade(alembic_config(url), "head")


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    upgrade_head()


if __name__ == "__main__":
    main()
