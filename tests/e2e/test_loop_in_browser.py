"""The whole loop in a real browser, as a person does it (issue 4, item 1): sign up, create the
demo project, draw boxes with the mouse, run Iterate and watch it, review and accept predictions,
iterate again, and read the second iteration's AP50 and timeline row."""

from __future__ import annotations

import json
import re
import time

import httpx
import pytest
from playwright.sync_api import Page, expect

from .conftest import BASE_MODEL, Shots, System, wait_for_worker

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

FAST_ROUTINE = {"steps": "10", "checkpoints": "5, 10"}  # a short adaptation on a 2-core CPU
JOB_TIMEOUT_MS = 360_000


def open_tab(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Project pages").get_by_role(
        "link", name=name, exact=True
    ).click()


_TOKENS: dict[str, str] = {}


def session_token(page: Page) -> str:
    """A token of the signed-in user (alice) for the test's own API calls, from a login of its
    own: the browser keeps none a script could read (its session is an HttpOnly cookie)."""
    stored = json.loads(page.evaluate("localStorage.getItem('metaloop.session')"))
    assert "token" not in stored and stored["user"]["username"] == "alice", stored
    origin = re.match(r"https?://[^/]+", page.url).group(0)
    if origin not in _TOKENS:
        answer = httpx.post(
            f"{origin}/api/auth/login", json={"username": "alice", "password": "alice-password"}
        )
        answer.raise_for_status()
        _TOKENS[origin] = answer.json()["access_token"]
    return _TOKENS[origin]


def create_admin_then_sign_up(page: Page, shots: Shots) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="Welcome to MetaLoop")).to_be_visible()
    shots("first-run")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("admin-password")
    page.get_by_role("button", name="Create admin account").click()
    expect(page.get_by_role("heading", name="Projects")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("alice-password")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("No project yet")).to_be_visible()
    shots("signed-up")
    cookie = next(c for c in page.context.cookies() if c["name"] == "metaloop_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/api"


def wait_for_job(page: Page, timeout_ms: int = JOB_TIMEOUT_MS) -> str:
    progress = page.get_by_test_id("job-progress").first
    expect(progress).to_have_attribute(
        "data-state", re.compile("succeeded|failed|cancelled"), timeout=timeout_ms
    )
    state = progress.get_attribute("data-state")
    assert state == "succeeded", f"the job ended {state}: {progress.inner_text()}"
    return state


def redraw_ground_truth_boxes(
    page: Page, system: System, shots: Shots, project: dict, images: int
) -> list[dict]:
    """On annotated adapt images: delete a box and draw it again with the mouse, with its class
    chosen on the number keys, as a person correcting an annotation would."""
    token = session_token(page)
    class_keys = {c["id"]: str(index + 1) for index, c in enumerate(project["classes"])}
    with system.api(token) as client:
        annotated = client.get(
            f"/projects/{project['id']}/images",
            params={"pool": "adapt", "annotated": True, "limit": images},
        ).json()["items"]
    open_tab(page, "Annotate")
    filters = page.get_by_role("group", name="Image filters")
    filters.get_by_label("Pool").select_option("adapt")
    filters.get_by_label("Annotated").select_option("yes")
    redrawn = []
    for image in annotated[:images]:
        page.locator(f'button[data-image-id="{image["id"]}"]').click()
        expect(page).to_have_url(re.compile(rf"[?&]image={image['id']}(&|$)"))
        expect(page.get_by_test_id("save-state")).to_have_text("All changes saved")
        with system.api(token) as client:
            boxes = client.get(f"/projects/{project['id']}/images/{image['id']}/annotations").json()
        count = len(boxes)
        expect(page.get_by_test_id("editor-box")).to_have_count(count)
        target = max(boxes, key=lambda b: b["box"][2] * b["box"][3])
        # Select it in the box list, delete it with the keyboard.
        page.get_by_role("button", name=f"Select box {boxes.index(target) + 1}", exact=True).click()
        page.keyboard.press("Delete")
        expect(page.get_by_test_id("editor-box")).to_have_count(count - 1)
        # Draw it again: class on its number key, then press, drag, release.
        page.keyboard.press(class_keys[target["class_id"]])
        frame = page.get_by_test_id("editor-image").bounding_box()
        scale = frame["width"] / image["width"]
        x, y, w, h = target["box"]
        start = (frame["x"] + x * scale, frame["y"] + y * scale)
        end = (frame["x"] + (x + w) * scale, frame["y"] + (y + h) * scale)
        page.mouse.move(*start)
        page.mouse.down()
        page.mouse.move(
            start[0] + (end[0] - start[0]) / 2, start[1] + (end[1] - start[1]) / 2, steps=4
        )
        page.mouse.move(*end, steps=4)
        page.mouse.up()
        expect(page.get_by_test_id("editor-box")).to_have_count(count)
        expect(page.get_by_test_id("save-state")).to_have_text("All changes saved")
        redrawn.append({"image": image, "target": target})
    shots("boxes-drawn")
    return redrawn


def run_iterate(page: Page, shots: Shots, label: str) -> str:
    open_tab(page, "Adapt")
    page.get_by_label("Steps", exact=True).fill(FAST_ROUTINE["steps"])
    page.get_by_label("Checkpoints (steps)").fill(FAST_ROUTINE["checkpoints"])
    shots(f"{label}-routine")
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith("/jobs")
    ) as created:
        page.get_by_role("button", name="Iterate (adapt → detect → evaluate)").click()
    assert created.value.status == 201, created.value.text()
    job_id = created.value.json()["id"]
    progress = page.get_by_role("region", name=f"Job {job_id}")
    expect(progress).to_have_attribute("data-state", re.compile("queued|running|succeeded"))
    # Watch it: the stage changes and the progress bar moves while it runs.
    expect(progress.get_by_test_id("job-stage")).to_contain_text(
        re.compile("adapt|detect|evaluate|succeeded"), timeout=120_000
    )
    shots(f"{label}-running")
    wait_for_job(page)
    expect(page.get_by_test_id("job-ap50")).to_contain_text(re.compile(r"AP50 \d\.\d{3}"))
    shots(f"{label}-done")
    return page.get_by_test_id("job-ap50").inner_text()


def review_and_accept(page: Page, system: System, shots: Shots, project: dict) -> int:
    page.get_by_role("link", name="Review predictions").click()
    expect(page.get_by_label("Sort by")).to_have_value("uncertainty")
    token = session_token(page)
    with system.api(token) as client:
        top = client.get(
            f"/projects/{project['id']}/predictions",
            params={"status": "pending", "sort": "confidence", "limit": 5},
        ).json()["items"]
    assert top, "the iterate job stored no prediction"
    # A threshold that keeps at least a few predictions, at most 0.5.
    threshold = min(0.5, round(top[min(2, len(top) - 1)]["score"] - 0.005, 2))
    page.get_by_role("slider", name="Score threshold").fill(str(max(threshold, 0.0)))
    cards = page.get_by_test_id("review-card")
    expect(cards.first).to_be_visible()
    shots("review")
    # Accept the first prediction of the most uncertain image.
    accept = cards.first.get_by_role("button", name=re.compile(r"^Accept prediction")).first
    accepted_name = accept.get_attribute("aria-label")
    accept.click()
    expect(page.get_by_role("button", name=accepted_name, exact=True)).to_have_count(0)
    # Adjust one: the editor opens with the prediction as its box; nudge it and accept it.
    page.get_by_role("button", name=re.compile(r"^Adjust prediction")).first.click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_test_id("editor-box")).to_have_count(1)
    box = dialog.get_by_test_id("editor-box").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 3, box["y"] + box["height"] / 2 + 2, steps=3)
    page.mouse.up()
    shots("adjust")
    dialog.get_by_role("button", name="Accept adjusted box").click()
    expect(dialog).to_be_hidden()
    # Bulk-accept the confident rest.
    page.get_by_role("slider", name="Score threshold").fill("0.8")
    bulk = page.get_by_role("button", name=re.compile(r"^Accept all \d+ ≥ 0\.80"))
    if not bulk.is_disabled():
        bulk.click()  # it asks first, with the count
        page.get_by_role("dialog").get_by_role(
            "button", name=re.compile(r"^Accept \d+ predictions?$")
        ).click()
        expect(page.get_by_test_id("accept-report")).to_be_visible()
    shots("accepted")
    with system.api(token) as client:
        accepted = client.get(
            f"/projects/{project['id']}/predictions", params={"status": "accepted", "limit": 1}
        ).json()["total"]
    assert accepted >= 2
    return accepted


def test_the_whole_loop_in_a_browser(page: Page, shots: Shots, system: System) -> None:
    if not BASE_MODEL.is_file():
        pytest.skip(f"no shipped base model at {BASE_MODEL}: `make base-model` trains it")
    started = time.monotonic()
    console_errors: list[str] = []  # what the app logs as errors, failed requests included
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
    wait_for_worker(system, session_token(page))
    wait_for_job(page, 180_000)
    expect(page.get_by_text(re.compile(r"\b275 images\b")).first).to_be_visible()
    shots("demo-project")
    project_id = int(re.search(r"/projects/(\d+)/", page.url).group(1))
    with system.api(session_token(page)) as client:
        project = client.get(f"/projects/{project_id}").json()

    redrawn = redraw_ground_truth_boxes(page, system, shots, project, images=2)
    with system.api(session_token(page)) as client:
        for item in redrawn:
            boxes = client.get(
                f"/projects/{project_id}/images/{item['image']['id']}/annotations"
            ).json()
            mine = [b for b in boxes if b["source"] == "human" and b["author_id"] is not None]
            assert len(mine) == 1 and mine[0]["class_id"] == item["target"]["class_id"]
            assert mine[0]["time_spent_ms"] > 0, "the time spent drawing is recorded with the box"
            assert all(
                abs(a - b) < 3 for a, b in zip(mine[0]["box"], item["target"]["box"], strict=True)
            )

    first = run_iterate(page, shots, "iterate-1")
    review_and_accept(page, system, shots, project)
    second = run_iterate(page, shots, "iterate-2")

    open_tab(page, "Loop timeline")
    rows = page.get_by_test_id("timeline-row")
    expect(rows).to_have_count(2)
    second_row = rows.nth(1)
    expect(second_row.get_by_test_id("timeline-ap50")).to_have_text(re.compile(r"^\d\.\d{3}$"))
    assert second_row.get_by_test_id("timeline-ap50").inner_text() in second
    expect(rows.nth(0).get_by_test_id("timeline-ap50")).to_have_text(re.compile(r"^\d\.\d{3}$"))
    shots("timeline")
    open_tab(page, "Evaluate")
    with system.api(session_token(page)) as client:
        versions = {m["name"]: m["id"] for m in client.get(f"/projects/{project_id}/models").json()}
    page.get_by_label("Compare with").select_option(str(versions["v1"]))
    expect(page.get_by_test_id("coco-table").get_by_role("columnheader", name="v1")).to_be_visible()
    shots("evaluate")
    assert not page.errors, f"uncaught errors in the page: {page.errors}"
    assert not console_errors, f"errors in the browser console: {console_errors}; failed: {failed}"
    print(
        f"loop test: first iterate {first!r}, second {second!r}, {time.monotonic() - started:.0f} s"
    )
