"""The annotation editor in a real browser (issue 24): a box drawn from inside another box is a
new box (nested objects), and Shift+drag moves one; the zoom keys work as soon as the page has
loaded (no click on the canvas), and the zoom buttons sit outside the image; `?` opens the list
of the page's shortcuts on Annotate and on Review, Esc closes it; the Adjust dialog takes the
class number keys; a viewer gets a read-only editor (a drag draws nothing and writes nothing)
and the job buttons disabled, each saying why."""

from __future__ import annotations

import io
import re
import time

import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from support.processes import wait_until

from .conftest import BASE_MODEL, REPO_ROOT, Shots, System, wait_for_worker

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SIZES = [(1440, 900), (1024, 768)]
ASK = ": ask an owner of the project for the annotator role"
NO_EDITS = "Viewers cannot draw or change annotations" + ASK
NO_JOBS = "Viewers cannot start jobs" + ASK


def png_bytes(color: tuple[int, int, int], size: tuple[int, int] = (400, 300)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def new_user(system: System, username: str) -> str:
    """Sign a user up over the API; their API token."""
    with system.api() as client:
        status = client.get("/auth/status").json()
        path = "/auth/setup" if status["needs_setup"] else "/auth/signup"
        client.post(
            path, json={"username": username, "password": "user-password"}
        ).raise_for_status()
        answer = client.post(
            "/auth/login", json={"username": username, "password": "user-password"}
        )
        answer.raise_for_status()
        return answer.json()["access_token"]


def sign_in(page: Page, system: System, username: str) -> str:
    token = new_user(system, username)
    page.goto("/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("user-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Projects")).to_be_visible()
    return token


def project_with_image(system: System, token: str, name: str) -> tuple[dict, dict]:
    with system.api(token) as client:
        project = client.post(
            "/projects",
            json={
                "name": name,
                "classes": [
                    {"name": "person", "color": "#e6194b"},
                    {"name": "bag", "color": "#3cb44b"},
                ],
            },
        ).json()
        files = [("files", ("street.png", png_bytes((90, 140, 200)), "image/png"))]
        answer = client.post(
            f"/projects/{project['id']}/images", data={"pool": "adapt"}, files=files
        )
        assert answer.status_code == 201, answer.text
        return project, answer.json()[0]


def drag(
    page: Page, image: dict, box: tuple[float, float, float, float], modifier: str | None = None
) -> None:
    """Press at box's corner, drag to its opposite corner and release (over the editor's image),
    holding `modifier` (e.g. "Shift") if given."""
    frame = page.get_by_test_id("editor-image").bounding_box()
    scale = frame["width"] / image["width"]
    x, y, w, h = box
    start = (frame["x"] + x * scale, frame["y"] + y * scale)
    end = (frame["x"] + (x + w) * scale, frame["y"] + (y + h) * scale)
    if modifier:
        page.keyboard.down(modifier)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move((start[0] + end[0]) / 2, (start[1] + end[1]) / 2, steps=4)
    page.mouse.move(*end, steps=4)
    page.mouse.up()
    if modifier:
        page.keyboard.up(modifier)


def overlaps(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def assert_zoom_buttons_clear_of_image(page: Page) -> None:
    zoom = page.get_by_role("group", name="Zoom").bounding_box()
    image = page.get_by_test_id("editor-image").bounding_box()
    assert not overlaps(zoom, image), f"the zoom buttons {zoom} cover the image {image}"


def wait_for_job(system: System, token: str, project_id: int, job_id: int, timeout: float) -> dict:
    with system.api(token) as client:

        def finished() -> dict | None:
            job = client.get(f"/projects/{project_id}/jobs/{job_id}").json()
            return job if job["state"] in ("succeeded", "failed", "cancelled") else None

        job = wait_until(finished, timeout, 0.5, f"job {job_id}; log:\n{system.logs()[-3000:]}")
    assert job["state"] == "succeeded", job
    return job


def test_a_box_drawn_inside_a_box_is_a_new_box(page: Page, shots: Shots, system: System) -> None:
    token = sign_in(page, system, "nora")
    project, image = project_with_image(system, token, "Nested")
    pid = project["id"]

    def server_boxes() -> list[dict]:
        with system.api(token) as client:
            return sorted(
                client.get(f"/projects/{pid}/images/{image['id']}/annotations").json(),
                key=lambda a: a["id"],
            )

    page.goto(f"/projects/{pid}/annotate?image={image['id']}")
    saved = page.get_by_test_id("save-state")
    expect(saved).to_have_text("All changes saved")
    drag(page, image, (40, 40, 260, 220))
    expect(page.get_by_test_id("editor-box")).to_have_count(1)
    expect(saved).to_have_text("All changes saved")
    [outer] = server_boxes()
    # the bag, drawn from a point inside the person (selected): a second box
    page.keyboard.press("Escape")  # deselect the person, then the bag's class for new boxes
    page.keyboard.press("2")
    frame = page.get_by_test_id("editor-image").bounding_box()
    scale = frame["width"] / image["width"]
    page.mouse.click(frame["x"] + 60 * scale, frame["y"] + 60 * scale)  # a click selects it
    expect(page.locator(".box-row--selected")).to_have_count(1)
    drag(page, image, (120, 110, 60, 50))
    expect(page.get_by_test_id("editor-box")).to_have_count(2)
    expect(saved).to_have_text("All changes saved")
    boxes = server_boxes()
    assert len(boxes) == 2, boxes
    assert boxes[0]["id"] == outer["id"] and boxes[0]["box"] == outer["box"]
    assert boxes[0]["class_id"] == outer["class_id"]
    inner = boxes[1]
    assert inner["box"] == pytest.approx([120, 110, 60, 50], abs=2)
    assert inner["class_id"] == project["classes"][1]["id"]
    shots("nested-box")

    # Shift+drag moves the box under the pointer (the innermost one); the outer stays
    drag(page, image, (150, 130, 30, 20), modifier="Shift")
    expect(saved).to_have_text("All changes saved")
    wait_until(
        lambda: server_boxes()[1]["box"] != inner["box"], 10, 0.2, "the moved box to be saved"
    )
    moved = server_boxes()
    assert moved[0]["box"] == outer["box"]
    assert moved[1]["box"][:2] == pytest.approx([inner["box"][0] + 30, inner["box"][1] + 20], abs=2)
    assert moved[1]["box"][2:] == pytest.approx(inner["box"][2:], abs=0.01)

    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.keyboard.press("0")
        expect(page.get_by_test_id("editor-image")).to_be_visible()
        assert_zoom_buttons_clear_of_image(page)
        shots(f"annotate-{width}x{height}")
    assert not page.errors, f"uncaught errors in the page: {page.errors}"


def test_zoom_keys_work_right_after_the_page_loads(
    page: Page, shots: Shots, system: System
) -> None:
    token = sign_in(page, system, "zack")
    project, image = project_with_image(system, token, "Zoom")
    page.goto(f"/projects/{project['id']}/annotate?image={image['id']}")
    editor = page.get_by_test_id("box-editor")
    expect(page.get_by_test_id("save-state")).to_have_text("All changes saved")
    expect(editor).not_to_have_attribute("data-scale", "1.0000")
    fitted = float(editor.get_attribute("data-scale"))
    # nothing clicked: the focus is on the page, not on the canvas
    assert page.evaluate("document.activeElement === document.body")
    page.keyboard.press("+")
    expect(editor).to_have_attribute("data-scale", f"{fitted * 1.25:.4f}")
    page.keyboard.press("-")
    page.keyboard.press("-")
    expect(editor).to_have_attribute("data-scale", f"{fitted * 1.25 * 0.8 * 0.8:.4f}")
    page.keyboard.press("0")
    expect(editor).to_have_attribute("data-scale", f"{fitted:.4f}")
    # after a click on a toolbar button the keys still zoom
    page.get_by_role("button", name="Box", exact=True).click()
    page.keyboard.press("=")
    expect(editor).to_have_attribute("data-scale", f"{fitted * 1.25:.4f}")
    # but not while choosing in a list
    page.get_by_label("Pool of this image").focus()
    page.keyboard.press("-")
    expect(editor).to_have_attribute("data-scale", f"{fitted * 1.25:.4f}")
    assert_zoom_buttons_clear_of_image(page)
    assert not page.errors, f"uncaught errors in the page: {page.errors}"


def test_viewer_gets_a_read_only_editor_and_no_job_buttons(
    page: Page, shots: Shots, system: System
) -> None:
    owner = new_user(system, "olga")
    project, image = project_with_image(system, owner, "Read-only")
    pid = project["id"]
    sign_in(page, system, "vick")
    with system.api(owner) as client:
        added = client.post(f"/projects/{pid}/members", json={"username": "vick", "role": "viewer"})
        assert added.status_code == 201, added.text

    page.goto(f"/projects/{pid}/annotate?image={image['id']}")
    expect(page.get_by_text("you are viewer")).to_be_visible()
    read_only = page.get_by_test_id("read-only")
    expect(read_only).to_contain_text("Viewers cannot draw or change annotations")
    expect(page.get_by_role("button", name="Box", exact=True)).to_have_count(0)
    expect(page.get_by_role("radiogroup", name="Class for new boxes (number keys)")).to_have_count(
        0
    )
    expect(page.get_by_test_id("box-editor")).to_have_attribute("data-tool", "read-only")
    mark = page.get_by_role("button", name="Mark complete: no objects (D)")
    expect(mark).to_be_disabled()
    expect(mark).to_have_attribute("title", NO_EDITS)
    described = mark.get_attribute("aria-describedby")
    expect(page.locator(f"[id='{described}']")).to_contain_text(
        "Viewers cannot draw or change annotations"
    )
    drag(page, image, (40, 40, 200, 150))
    page.keyboard.press("d")
    time.sleep(1.5)  # longer than the editor's save delay: a write would have gone out
    expect(page.get_by_test_id("editor-box")).to_have_count(0)
    expect(page.get_by_text("Not saved")).to_have_count(0)
    expect(page.get_by_role("button", name="Retry now")).to_have_count(0)
    with system.api(owner) as client:
        assert client.get(f"/projects/{pid}/images/{image['id']}/annotations").json() == []
        assert client.get(f"/projects/{pid}/images/{image['id']}").json()["state"] == "unlabelled"
    # the list of keys says what a viewer has: no drawing keys
    page.keyboard.press("?")
    help_dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(help_dialog).to_be_visible()
    expect(help_dialog).to_contain_text("Annotate (read-only)")
    expect(help_dialog).not_to_contain_text("Draw a new box")
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()
    shots("viewer-annotate")

    page.get_by_role("link", name="Adapt").click()
    for name in ("Adapt", "Iterate (adapt → detect → evaluate)"):
        button = page.get_by_role("button", name=name, exact=True)
        expect(button).to_be_disabled()
        expect(button).to_have_attribute("title", NO_JOBS)
        reason = page.locator(f"[id='{button.get_attribute('aria-describedby')}']")
        expect(reason).to_have_text(NO_JOBS)
        expect(reason).to_be_visible()
    shots("viewer-adapt")
    with system.api(owner) as client:
        assert client.get(f"/projects/{pid}/jobs").json() == []
    assert not page.errors, f"uncaught errors in the page: {page.errors}"


def test_shortcut_overlay_on_annotate_and_review_and_class_keys_in_adjust(
    page: Page, shots: Shots, system: System
) -> None:
    if not BASE_MODEL.is_file():
        pytest.skip(f"no shipped base model at {BASE_MODEL}: `make base-model` trains it")
    token = sign_in(page, system, "hugo")
    wait_for_worker(system, token)
    with system.api(token) as client:
        demo = client.post(
            "/projects/demo",
            json={"name": "Keys", "adapt_annotated": 5, "adapt_unannotated": 3, "holdout": 2},
        )
        assert demo.status_code == 201, demo.text
        project = demo.json()["project"]
        pid = project["id"]

    # --- Annotate: ? lists the editor's keys; Esc closes ----------------------------------------
    page.goto(f"/projects/{pid}/annotate")
    expect(page.get_by_test_id("save-state")).to_have_text("All changes saved")
    help_dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(help_dialog).to_be_hidden()
    page.keyboard.press("?")
    expect(help_dialog).to_be_visible()
    for text in (
        "Annotate",
        "Box editor",
        "Everywhere",
        "Draw a new box of the chosen class, also inside another box",
        "Undo",
        "Zoom in",
        "Move a box",
    ):
        expect(help_dialog).to_contain_text(text)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        shots(f"help-annotate-{width}x{height}")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()
    # the help button opens it too
    page.get_by_role("button", name="Shortcuts").click()
    expect(help_dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()

    wait_for_job(system, token, pid, demo.json()["job_id"], 240)
    with system.api(token) as client:
        created = client.post(
            f"/projects/{pid}/jobs", json={"kind": "iterate", "params": {"routine": {"steps": 10}}}
        )
        assert created.status_code == 201, created.text
    job = wait_for_job(system, token, pid, created.json()["id"], 420)

    # --- Review: ? lists the Adjust dialog's keys --------------------------------------------
    page.goto(f"/projects/{pid}/review?job={job['id']}")
    page.get_by_role("slider", name="Score threshold").fill("0")
    adjust = page.get_by_role("button", name=re.compile(r"^Adjust prediction \d+$")).first
    expect(adjust).to_be_visible()
    page.keyboard.press("?")
    expect(help_dialog).to_be_visible()
    for text in ("Adjust dialog (Review)", "Class of the box", "Zoom in", "Everywhere"):
        expect(help_dialog).to_contain_text(text)
    shots("help-review")
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()

    # --- Adjust: a class number key sets the box's class ---------------------------------------
    prediction_id = int(adjust.get_attribute("aria-label").rsplit(" ", 1)[1])
    with system.api(token) as client:
        prediction = next(
            p
            for p in client.get(
                f"/projects/{pid}/predictions", params={"job_id": job["id"], "limit": 5000}
            ).json()["items"]
            if p["id"] == prediction_id
        )
    classes = project["classes"]
    target = next(i for i, c in enumerate(classes) if c["id"] != prediction["class_id"])
    adjust.click()
    dialog = page.get_by_role(
        "dialog", name=f"Adjust prediction {prediction_id} on image {prediction['image_id']}"
    )
    expect(dialog).to_be_visible()
    box = dialog.get_by_test_id("editor-box")
    expect(box).to_have_attribute("data-class-id", str(prediction["class_id"]))
    page.keyboard.press(str(target + 1))
    expect(box).to_have_attribute("data-class-id", str(classes[target]["id"]))
    expect(dialog.get_by_role("combobox", name="Class")).to_have_value(str(classes[target]["id"]))
    # the page behind the dialog did not take the key (and ? opens the list over the dialog)
    page.keyboard.press("?")
    expect(help_dialog).to_be_visible()
    expect(help_dialog).to_contain_text("Class of the box")
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()
    expect(dialog).to_be_visible()
    shots("adjust-class-key")
    dialog.get_by_role("button", name="Accept adjusted box").click()
    expect(dialog).to_be_hidden()
    with system.api(token) as client:
        rows = client.get(f"/projects/{pid}/images/{prediction['image_id']}/annotations").json()
    accepted = [r for r in rows if r["source"] == "accepted_prediction"]
    assert [r["class_id"] for r in accepted] == [classes[target]["id"]], rows
    assert not page.errors, f"uncaught errors in the page: {page.errors}"

    # --- a viewer of the same run: no review actions, the bulk ones disabled with the reason ---
    new_user(system, "vera")
    with system.api(token) as client:
        added = client.post(f"/projects/{pid}/members", json={"username": "vera", "role": "viewer"})
        assert added.status_code == 201, added.text
    viewer = page.context.browser.new_context(
        viewport={"width": 1440, "height": 900}, base_url=system.url
    ).new_page()
    try:
        viewer.goto("/")
        viewer.get_by_label("Username").fill("vera")
        viewer.get_by_label("Password").fill("user-password")
        viewer.get_by_role("button", name="Sign in").click()
        expect(viewer.get_by_role("heading", name="Projects")).to_be_visible()
        viewer.goto(f"/projects/{pid}/review?job={job['id']}")
        viewer.get_by_role("slider", name="Score threshold").fill("0")
        expect(viewer.get_by_test_id("review-card").first).to_be_visible()
        bulk = viewer.get_by_role("button", name=re.compile(r"^Accept all \d+ ≥"))
        expect(bulk).to_be_disabled()
        expect(bulk).to_have_attribute("title", NO_EDITS)
        reason = viewer.locator(f"[id='{bulk.get_attribute('aria-describedby')}']")
        expect(reason).to_have_text(NO_EDITS)
        expect(
            viewer.get_by_role("button", name=re.compile(r"^(Accept|Adjust|Reject) prediction"))
        ).to_have_count(0)
        expect(viewer.get_by_role("button", name="Mark image complete")).to_have_count(0)
        viewer.screenshot(path=str(shots.directory / "viewer-review.png"), full_page=True)
    finally:
        viewer.context.close()


AXE = REPO_ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
RUN_AXE = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact}: ${v.id} (${v.help}) at ${v.nodes.slice(0, 4).map((n) => n.target)}`);
}"""


def test_shortcut_overlay_and_read_only_editor_pass_axe(browser: object, system: System) -> None:
    """axe-core (injected from frontend/node_modules; the context bypasses the app's CSP to do
    so) finds nothing serious or critical in the open shortcut overlay, nor in a viewer's
    read-only editor with its disabled controls and their reasons."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `cd frontend && npm ci` (axe-core is a devDependency)")
    owner = new_user(system, "ada")
    project, image = project_with_image(system, owner, "Accessible")
    new_user(system, "val")
    with system.api(owner) as client:
        added = client.post(
            f"/projects/{project['id']}/members", json={"username": "val", "role": "viewer"}
        )
        assert added.status_code == 201, added.text
    for username, read_only in (("ada", False), ("val", True)):
        context = browser.new_context(  # type: ignore[attr-defined]
            viewport={"width": 1440, "height": 900}, base_url=system.url, bypass_csp=True
        )
        try:
            page = context.new_page()
            page.goto("/")
            page.get_by_label("Username").fill(username)
            page.get_by_label("Password").fill("user-password")
            page.get_by_role("button", name="Sign in").click()
            expect(page.get_by_role("heading", name="Projects")).to_be_visible()
            page.goto(f"/projects/{project['id']}/annotate?image={image['id']}")
            expect(page.get_by_test_id("save-state")).to_have_text("All changes saved")
            if read_only:
                expect(page.get_by_test_id("read-only")).to_be_visible()
            page.add_script_tag(path=str(AXE))
            assert page.evaluate(RUN_AXE) == [], f"the editor of {username}"
            page.keyboard.press("?")
            expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
            assert page.evaluate(RUN_AXE) == [], f"the shortcut overlay of {username}"
        finally:
            context.close()
