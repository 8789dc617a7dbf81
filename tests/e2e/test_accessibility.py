"""Accessibility (issue 24): axe-core, run in real Chromium on every page of the web client (the
sign-in page, the projects page, each project tab, a job's page; the sidebar with its jobs and
workers is on all of them), finds no violation of "serious" or "critical" impact.

axe-core is the engine of @axe-core/playwright; these tests drive Chromium from Python, so they
inject axe-core's own build (frontend/node_modules/axe-core, a devDependency) and call axe.run.
The page's Content-Security-Policy allows only the app's own scripts: the test's browser context
bypasses it to inject axe (the app itself runs under it unchanged)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from .conftest import ARTIFACTS, BASE_MODEL, REPO_ROOT, System, wait_for_worker
from .test_loop_in_browser import create_admin_then_sign_up, session_token

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

AXE = REPO_ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
RUN_AXE = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 6).map((n) => n.target.join(" ")),
  }));
}"""


def violations(page: Page) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is now."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `cd frontend && npm ci` (axe-core is a devDependency)")
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(RUN_AXE)
    return [v for v in found if v["impact"] in BLOCKING]


def report(found: list[dict]) -> str:
    return "\n".join(f"{v['impact']}: {v['id']} ({v['help']}) at {v['nodes']}" for v in found)


class Signed:
    """A signed-in browser page and the demo project it made."""

    def __init__(self, page: Page, project_id: int, job_id: int) -> None:
        self.page, self.project_id, self.job_id = page, project_id, job_id


@pytest.fixture(scope="module")
def signed(browser: object, system: System) -> Iterator[Signed]:
    if not BASE_MODEL.is_file():
        pytest.skip(f"no shipped base model at {BASE_MODEL}: `make base-model` trains it")
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 1440, "height": 900}, base_url=system.url, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.errors = []
    shots = lambda step: None  # noqa: E731 (no screenshots of the sign-up here)
    create_admin_then_sign_up(page, shots)
    page.get_by_role("button", name="Create the demo project").click()
    progress = page.get_by_test_id("job-progress").first
    expect(progress).to_be_visible()
    wait_for_worker(system, session_token(page))
    expect(progress).to_have_attribute("data-state", "succeeded", timeout=180_000)
    project_id = int(re.search(r"/projects/(\d+)/", page.url).group(1))
    # A short iterate on a few images, so that Review, Evaluate, Models and the timeline have
    # predictions, metrics, a version and a row to show.
    with system.api(session_token(page)) as client:
        images = client.get(
            f"/projects/{project_id}/images", params={"pool": "adapt", "state": "unlabelled"}
        ).json()["items"][:6]
        answer = client.post(
            f"/projects/{project_id}/jobs",
            json={
                "kind": "iterate",
                "params": {
                    "image_ids": [i["id"] for i in images],
                    "routine": {"steps": 10, "checkpoints": [10]},
                },
            },
        )
        assert answer.status_code == 201, answer.text
        job_id = answer.json()["id"]
    page.goto(f"/projects/{project_id}/jobs/{job_id}")
    expect(page.get_by_test_id("job-progress")).to_have_attribute(
        "data-state", "succeeded", timeout=360_000
    )
    try:
        yield Signed(page, project_id, job_id)
    finally:
        context.close()


# Each project tab by its path, with something on it that shows the page has rendered.
TABS = {
    "images": ("Images", lambda page: page.get_by_role("heading").first),
    "annotate": ("Annotate", lambda page: page.get_by_role("heading").first),
    "adapt": ("Adapt", lambda page: page.get_by_role("heading", name="Adapt the detector")),
    "review": ("Review", lambda page: page.get_by_role("heading").first),
    "evaluate": ("Evaluate", lambda page: page.get_by_role("heading").first),
    "models": ("Models", lambda page: page.get_by_role("heading").first),
    "timeline": ("Loop timeline", lambda page: page.get_by_role("heading", name="Loop timeline")),
    "settings": ("Settings", lambda page: page.get_by_role("heading").first),
}


@pytest.mark.parametrize("tab", list(TABS))
def test_a_project_tab_has_no_serious_accessibility_violation(signed: Signed, tab: str) -> None:
    page = signed.page
    label, ready = TABS[tab]
    page.goto(f"/projects/{signed.project_id}/{tab}")
    expect(
        page.get_by_role("navigation", name="Project pages").get_by_role("link", name=label)
    ).to_be_visible()
    expect(ready(page)).to_be_visible()
    expect(page.get_by_test_id("worker").first).to_be_visible()  # the sidebar's workers
    found = violations(page)
    page.screenshot(path=str(ARTIFACTS / f"axe-{tab}.png"), full_page=True)
    assert not found, f"{tab}:\n{report(found)}"


def test_a_jobs_page_has_no_serious_accessibility_violation(signed: Signed) -> None:
    page = signed.page
    page.goto(f"/projects/{signed.project_id}/jobs/{signed.job_id}")
    expect(page.get_by_test_id("job-progress")).to_have_attribute("data-state", "succeeded")
    found = violations(page)
    assert not found, report(found)


def test_the_projects_page_has_no_serious_accessibility_violation(signed: Signed) -> None:
    page = signed.page
    page.goto("/")
    expect(page.get_by_role("heading", name="Projects")).to_be_visible()
    found = violations(page)
    assert not found, report(found)


def test_the_sign_in_page_has_no_serious_accessibility_violation(
    browser: object, system: System, signed: Signed
) -> None:
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 1440, "height": 900}, base_url=system.url, bypass_csp=True
    )
    try:
        page = context.new_page()
        page.goto("/")
        expect(page.get_by_role("button", name="Sign in")).to_be_visible()
        found = violations(page)
        assert not found, report(found)
    finally:
        context.close()
