"""Jobs and workers in a real browser (issue 24): a queued job shows its place in the queue and
an estimated start; a worker's busy state and current task arrive over the event stream (the
workers list is not polled while the stream is live); the loss chart stops saying "(live)" when
its job ends; Adapt can continue from the current model and says which start it ran from; the
Adapt page's job card covers none of the routine's fields at 1440×900 and 1024×768."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

from .conftest import BASE_MODEL, Shots, System, wait_for_worker
from .test_loop_in_browser import (
    JOB_TIMEOUT_MS,
    create_admin_then_sign_up,
    open_tab,
    session_token,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def fill_routine(page: Page, steps: int, checkpoints: str) -> None:
    page.get_by_label("Steps", exact=True).fill(str(steps))
    page.get_by_label("Checkpoints (steps)").fill(checkpoints)


def start(page: Page, button: str) -> int:
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith("/jobs")
    ) as created:
        page.get_by_role("button", name=button, exact=True).click()
    assert created.value.status == 201, created.value.text()
    return created.value.json()["id"]


def wait_until_running(system: System, token: str, project_id: int, job_id: int) -> float:
    """Poll the API until the job's first task runs; the time it was first seen running."""
    deadline = time.monotonic() + 120
    with system.api(token) as client:
        while time.monotonic() < deadline:
            job = client.get(f"/projects/{project_id}/jobs/{job_id}").json()
            if job["tasks"][0]["state"] == "running":
                return time.monotonic()
            assert job["state"] in ("queued", "running"), job
            time.sleep(0.1)
    raise AssertionError(f"job {job_id} never ran:\n{system.logs()[-3000:]}")


def overlaps(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def check_adapt_layout(page: Page, shots: Shots, label: str) -> None:
    """At 1440×900 and 1024×768 no routine field lies under the job card beside it."""
    for width, height in ((1440, 900), (1024, 768)):
        page.set_viewport_size({"width": width, "height": height})
        card = page.locator('section[aria-labelledby="adapt-job"]').bounding_box()
        form = page.locator(".routine-form")
        for name in ("Learning rate", "Batch size", "Layers trained", "Steps", "Seed"):
            field = form.get_by_label(re.compile(f"^{name}")).first.bounding_box()
            assert field is not None and not overlaps(field, card), (name, width, field, card)
        shots(f"{label}-{width}x{height}")
    page.set_viewport_size({"width": 1440, "height": 960})


def test_queue_position_pushed_worker_state_and_the_starting_point(
    page: Page, shots: Shots, system: System
) -> None:
    if not BASE_MODEL.is_file():
        pytest.skip(f"no shipped base model at {BASE_MODEL}: `make base-model` trains it")
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    failed: list[str] = []  # which requests failed, to say so if the console reports one
    page.on(
        "response",
        lambda r: (
            failed.append(f"{r.status} {r.request.method} {r.url}") if r.status >= 400 else None
        ),
    )
    create_admin_then_sign_up(page, shots)
    page.get_by_role("button", name="Create the demo project").click()
    expect(page.get_by_test_id("job-progress")).to_be_visible()
    token = session_token(page)
    wait_for_worker(system, token)
    expect(page.get_by_test_id("job-progress").first).to_have_attribute(
        "data-state", "succeeded", timeout=180_000
    )
    project_id = int(re.search(r"/projects/(\d+)/", page.url).group(1))
    worker = page.get_by_test_id("worker").first
    expect(worker).to_have_attribute("data-state", "online")
    # From here on the workers list must change by events alone: count its requests.
    worker_requests: list[float] = []
    page.on(
        "request",
        lambda r: (
            worker_requests.append(time.monotonic()) if r.url.endswith("/api/workers") else None
        ),
    )

    # A long adaptation keeps the only worker busy...
    open_tab(page, "Adapt")
    fill_routine(page, 2000, "2000")
    long_job = start(page, "Adapt")
    running_at = wait_until_running(system, token, project_id, long_job)
    expect(worker).to_have_attribute("data-state", "busy", timeout=3_000)
    shown_after = time.monotonic() - running_at
    assert shown_after < 3, f"busy shown {shown_after:.1f} s after the task started"
    expect(worker.get_by_test_id("worker-task")).to_contain_text(
        re.compile(rf"adapt task \d+ of adapt job #{long_job}")
    )
    # Nothing about the worker changes while it runs: nothing asks for the list (it was polled
    # every 20 s; now it is only when the stream is down, every 15 s).
    before = len(worker_requests)
    page.wait_for_timeout(16_000)
    assert len(worker_requests) == before, "the workers list was polled with the stream live"
    expect(worker).to_have_attribute("data-state", "busy")
    expect(page.get_by_role("figure").filter(has_text="Adaptation loss (live)")).to_be_visible(
        timeout=120_000
    )

    # ... so the next job waits, and says where it stands and when it should start.
    fill_routine(page, 10, "5, 10")
    queued_job = start(page, "Iterate (adapt → detect → evaluate)")
    card = page.get_by_role("region", name=f"Job {queued_job}")
    expect(card).to_have_attribute("data-state", "queued")
    expect(card.get_by_test_id("job-queue-position")).to_have_text(
        "Position 1 in the interactive queue"
    )
    expect(card.get_by_test_id("job-queue")).to_contain_text("1 worker online, 0 free")
    expect(card.get_by_test_id("job-queue-estimate")).to_contain_text(
        re.compile(r"Expected to start (now|in about \d)")
    )
    expect(card.get_by_test_id("job-start-point")).to_contain_text("the base initialization")
    expect(card).to_contain_text("submitted")  # not "started": it has not started
    check_adapt_layout(page, shots, "queued")
    # the job's own page says it too
    page.goto(f"/projects/{project_id}/jobs/{queued_job}")
    expect(page.get_by_test_id("job-queue-position")).to_have_text(
        "Position 1 in the interactive queue"
    )
    shots("job-page-queued")

    # Cancel the long one: the worker takes the queued job, pushed to the list as well.
    with system.api(token) as client:
        cancelled = client.post(f"/projects/{project_id}/jobs/{long_job}/cancel")
        assert cancelled.status_code == 200, cancelled.text
    page.goto(f"/projects/{project_id}/adapt?job={queued_job}")
    card = page.get_by_role("region", name=f"Job {queued_job}")
    # an edit of the routine survives the job's end (which fetches the models again)
    page.get_by_label("Steps", exact=True).fill("37")
    expect(card).to_have_attribute("data-state", "succeeded", timeout=JOB_TIMEOUT_MS)
    expect(card).to_contain_text("started")
    expect(page.get_by_label("Steps", exact=True)).to_have_value("37")
    expect(card.get_by_test_id("job-queue")).to_have_count(0)
    loss = card.get_by_role("figure").filter(has_text="Adaptation loss")
    expect(loss).to_be_visible()
    expect(loss).not_to_contain_text("(live)")
    expect(loss).to_contain_text("adaptation step")
    expect(worker).to_have_attribute("data-state", "online", timeout=10_000)
    check_adapt_layout(page, shots, "finished")

    # Continue from the current model: the job starts from it, and says so.
    with system.api(token) as client:
        models = client.get(f"/projects/{project_id}/models").json()
        adapted = max((m for m in models if m["project_id"] is not None), key=lambda m: m["id"])
        if not adapted["is_current"]:
            promoted = client.post(f"/projects/{project_id}/models/{adapted['id']}/promote")
            assert promoted.status_code == 200, promoted.text
    page.reload()
    page.get_by_role("radio", name=re.compile("continue from the current model")).check()
    expect(page.get_by_role("combobox", name=re.compile("^Base initialization"))).to_have_count(0)
    fill_routine(page, 10, "5, 10")
    continued = start(page, "Adapt")
    card = page.get_by_role("region", name=f"Job {continued}")
    expect(card.get_by_test_id("job-start-point")).to_contain_text(
        f"this project's model {adapted['name']}"
    )
    expect(card).to_have_attribute("data-state", "succeeded", timeout=JOB_TIMEOUT_MS)
    with system.api(token) as client:
        job = client.get(f"/projects/{project_id}/jobs/{continued}").json()
    assert job["model_id"] == adapted["id"], job
    shots("continued")

    assert not page.errors, f"uncaught errors in the page: {page.errors}"
    assert not console_errors, f"console errors: {console_errors}; failed requests: {failed}"
