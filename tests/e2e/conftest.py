"""The whole system as the README starts it (`python -m backend.launcher`: migrations, an
embedded Redis unless REDIS_URL is set, the API serving the built web client, one worker), and
a real headless Chromium (Debian's package, driven by Playwright; never a downloaded browser).

TEST_DATABASE_URL / TEST_REDIS_URL, when set, are handed to the launcher as DATABASE_URL /
REDIS_URL (a fresh database on that server; an own task queue and event channel on that Redis).
Screenshots go to tests/artifacts/e2e/<test name>/. E2E_FRONTEND_DIST, when set, serves a web
client built elsewhere (``npx vite build --outDir …``) instead of frontend/dist.
"""

from __future__ import annotations

import os
import re
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from support.processes import ManagedProcess, free_port, wait_until
from support.services import fresh_database_url

REPO_ROOT = Path(__file__).resolve().parents[2]
FRONTEND_DIST = Path(os.environ.get("E2E_FRONTEND_DIST") or REPO_ROOT / "frontend" / "dist")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = REPO_ROOT / "tests" / "artifacts" / "e2e"
# The demo needs a shipped base model (the launcher reads MODELS_DIR, default models/).
BASE_MODEL = Path(os.environ.get("MODELS_DIR") or REPO_ROOT / "models") / "letters-base.safetensors"


@dataclass
class System:
    url: str
    process: ManagedProcess

    def api(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=f"{self.url}/api", headers=headers, timeout=30.0)

    def logs(self) -> str:
        return self.process.logs()


def _launcher_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {
        key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        {
            "ENVIRONMENT": "development",
            "PYTHONUNBUFFERED": "1",
            "DATA_DIR": str(data_dir),
            "FRONTEND_DIST": str(FRONTEND_DIST),
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    if os.environ.get("TEST_REDIS_URL"):
        env["REDIS_URL"] = os.environ["TEST_REDIS_URL"]
        # A shared Redis: this system gets its own queue and event channel.
        env["TASK_QUEUE"] = f"e2e-{uuid.uuid4().hex[:8]}"
        env["EVENTS_CHANNEL"] = f"metaloop:events:e2e-{uuid.uuid4().hex[:8]}"
    return env


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    """One running MetaLoop for the tests of a module (each test makes its own user)."""
    if not (FRONTEND_DIST / "index.html").is_file():
        pytest.fail(
            "the web client is not built: run `make frontend` "
            "(or `cd frontend && npm ci && npm run build`)"
        )
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (Debian's chromium package)")
    directory = tmp_path_factory.mktemp("e2e-system")
    with fresh_database_url(directory / "db", migrate=False) as url:
        database_url = url if os.environ.get("TEST_DATABASE_URL") else None
        port = free_port()
        process = ManagedProcess(
            [
                sys.executable,
                "-m",
                "backend.launcher",
                "--port",
                str(port),
                "--data-dir",
                str(directory / "data"),
            ],
            env=_launcher_env(directory / "data", database_url),
            log_path=directory / "launcher.log",
            cwd=REPO_ROOT,
        ).start()
        system = System(f"http://127.0.0.1:{port}", process)
        try:
            process.wait_for_http(f"{system.url}/api/auth/status", timeout=90)
            yield system
        finally:
            process.stop(timeout=30)


def wait_for_worker(system: System, token: str, timeout: float = 120) -> None:
    with system.api(token) as client:
        wait_until(
            lambda: any(w["online"] for w in client.get("/workers").json()),
            timeout,
            0.5,
            f"a worker to register; launcher log:\n{system.logs()[-3000:]}",
        )


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Shots:
    """Numbered screenshots of a test's steps, under tests/artifacts/e2e/<test>/."""

    def __init__(self, page: object, name: str) -> None:
        self.page, self.count = page, 0
        self.directory = ARTIFACTS / re.sub(r"[^\w.-]+", "_", name)
        self.directory.mkdir(parents=True, exist_ok=True)
        for old in self.directory.glob("*.png"):
            old.unlink()

    def __call__(self, step: str) -> Path:
        self.count += 1
        path = self.directory / f"{self.count:02d}-{step}.png"
        self.page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
        return path


@pytest.fixture
def page(browser: object, request: pytest.FixtureRequest, system: System) -> Iterator[object]:
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 1440, "height": 960}, base_url=system.url
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors  # uncaught exceptions in the app; tests assert there are none
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        yield page
    finally:
        try:
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-last.png"), full_page=True)
        except Exception as error:  # noqa: BLE001
            # the page may be gone; the test's own result stands
            print(f"no last screenshot: {error}")
        context.close()


@pytest.fixture
def shots(page: object, request: pytest.FixtureRequest) -> Shots:
    return Shots(page, request.node.name)
