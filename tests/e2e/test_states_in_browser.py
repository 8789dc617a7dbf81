"""Image states, versioned annotations and the evaluation per image, in a real browser: the
editor marks an image complete with its key (D) and the server has it; a write based on boxes
someone else changed meanwhile (over REST, behind the editor's back) is refused, the editor
reloads their version and says so, and nothing is silently overwritten; a negative image (no
box) is marked complete; the Images tab filters by state and marks a selection complete; the
Evaluate page lists the holdout images with their true/false positives and misses."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from support.processes import wait_until

from .conftest import BASE_MODEL, Shots, System, wait_for_worker

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

STALE = "Someone else changed this image's boxes"


def png_bytes(color: tuple[int, int, int], size: tuple[int, int] = (200, 150)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def sign_in_new_user(page: Page, system: System, username: str) -> str:
    with system.api() as client:
        status = client.get("/auth/status").json()
        path = "/auth/setup" if status["needs_setup"] else "/auth/signup"
        answer = client.post(path, json={"username": username, "password": "user-password"})
        answer.raise_for_status()
    page.goto("/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("user-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Projects")).to_be_visible()
    # the browser keeps no token a script could read (its session is an HttpOnly cookie): the
    # test's own API calls use one of their own
    assert "token" not in json.loads(page.evaluate("localStorage.getItem('metaloop.session')"))
    with system.api() as client:
        answer = client.post(
            "/auth/login", json={"username": username, "password": "user-password"}
        )
        answer.raise_for_status()
        return answer.json()["access_token"]


def draw_box(page: Page, image: dict, box: tuple[float, float, float, float]) -> None:
    """Press, drag and release over the editor's image, from box's corner to its opposite."""
    frame = page.get_by_test_id("editor-image").bounding_box()
    scale = frame["width"] / image["width"]
    x, y, w, h = box
    start = (frame["x"] + x * scale, frame["y"] + y * scale)
    end = (frame["x"] + (x + w) * scale, frame["y"] + (y + h) * scale)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move((start[0] + end[0]) / 2, (start[1] + end[1]) / 2, steps=4)
    page.mouse.move(*end, steps=4)
    page.mouse.up()


def wait_for_job(system: System, token: str, project_id: int, job_id: int, timeout: float) -> dict:
    with system.api(token) as client:

        def finished() -> dict | None:
            job = client.get(f"/projects/{project_id}/jobs/{job_id}").json()
            return job if job["state"] in ("succeeded", "failed", "cancelled") else None

        job = wait_until(finished, timeout, 0.5, f"job {job_id}; log:\n{system.logs()[-3000:]}")
    assert job["state"] == "succeeded", job
    return job


def test_states_and_stale_writes_in_the_editor(page: Page, shots: Shots, system: System) -> None:
    token = sign_in_new_user(page, system, "carol")
    with system.api(token) as client:
        project = client.post(
            "/projects",
            json={
                "name": "States",
                "classes": [
                    {"name": "thing", "color": "#e6194b"},
                    {"name": "other", "color": "#3cb44b"},
                ],
            },
        ).json()
        pid = project["id"]
        other_class = project["classes"][1]["id"]
        files = [
            ("files", (f"plain-{i}.png", png_bytes((40 + 60 * i, 120, 200 - 50 * i)), "image/png"))
            for i in range(3)
        ]
        answer = client.post(f"/projects/{pid}/images", data={"pool": "adapt"}, files=files)
        assert answer.status_code == 201, answer.text
        first, second, third = sorted(answer.json(), key=lambda i: i["id"])

    def server_image(image_id: int) -> dict:
        with system.api(token) as client:
            return client.get(f"/projects/{pid}/images/{image_id}").json()

    def server_boxes(image_id: int) -> list[dict]:
        with system.api(token) as client:
            return client.get(f"/projects/{pid}/images/{image_id}/annotations").json()

    # --- a box, then D: complete ---------------------------------------------------------
    page.goto(f"/projects/{pid}/annotate?image={first['id']}")
    saved = page.get_by_test_id("save-state")
    state = page.get_by_test_id("image-state")
    expect(saved).to_have_text("All changes saved")
    expect(state).to_have_attribute("data-state", "unlabelled")
    expect(page.get_by_text("D", exact=True).first).to_be_visible()  # listed with the keys
    draw_box(page, first, (20, 20, 60, 50))
    expect(page.get_by_test_id("editor-box")).to_have_count(1)
    expect(saved).to_have_text("All changes saved")
    expect(state).to_have_attribute("data-state", "in_progress")
    assert server_image(first["id"])["state"] == "in_progress"
    page.keyboard.press("d")
    expect(state).to_have_attribute("data-state", "complete")
    expect(state).to_have_text("complete")
    assert server_image(first["id"])["state"] == "complete"
    shots("complete-with-key")

    # --- someone else changes the boxes over REST; the editor's next write is refused -------
    with system.api(token) as client:
        loaded = client.get(f"/projects/{pid}/images/{first['id']}/annotations")
        theirs = [{"class_id": b["class_id"], "box": b["box"]} for b in loaded.json()]
        theirs.append({"class_id": other_class, "box": [120, 80, 40, 40]})
        put = client.put(
            f"/projects/{pid}/images/{first['id']}/annotations",
            json={"annotations": theirs},
            headers={"If-Match": loaded.headers["ETag"]},
        )
        assert put.status_code == 200, put.text
    after_rest = server_boxes(first["id"])
    assert len(after_rest) == 2
    expect(page.get_by_test_id("editor-box")).to_have_count(1)  # the editor has not seen it
    draw_box(page, first, (100, 20, 50, 40))
    warning = page.get_by_test_id("notice-warning")
    expect(warning).to_contain_text(STALE)
    expect(warning).to_contain_text("your last change was not saved")
    # the editor now shows their version, and the server kept it: no silent overwrite
    expect(page.get_by_test_id("editor-box")).to_have_count(2)
    expect(saved).to_have_text("All changes saved")
    assert server_boxes(first["id"]) == after_rest
    assert server_image(first["id"])["state"] == "complete"  # their PUT kept the state
    shots("stale-write-reloaded")
    # drawing it again now goes through, on top of their boxes
    draw_box(page, first, (100, 20, 50, 40))
    expect(page.get_by_test_id("editor-box")).to_have_count(3)
    expect(saved).to_have_text("All changes saved")
    boxes = server_boxes(first["id"])
    assert len(boxes) == 3
    assert {b["id"] for b in after_rest} <= {b["id"] for b in boxes}
    page.get_by_role("button", name="Dismiss message").first.click()

    # --- a negative image: complete with no box, and back ---------------------------------
    page.locator(f'button[data-image-id="{second["id"]}"]').click()
    expect(page).to_have_url(re.compile(rf"[?&]image={second['id']}(&|$)"))
    expect(saved).to_have_text("All changes saved")
    expect(state).to_have_attribute("data-state", "unlabelled")
    page.get_by_role("button", name="Mark complete: no objects (D)").click()
    expect(state).to_have_attribute("data-state", "complete")
    expect(state).to_contain_text("negative")
    described = server_image(second["id"])
    assert described["state"] == "complete" and described["annotation_count"] == 0
    page.get_by_role("button", name="Back to unlabelled").click()
    expect(state).to_have_attribute("data-state", "unlabelled")
    assert server_image(second["id"])["state"] == "unlabelled"

    # --- the Images tab: filter by state, mark a selection complete -----------------------
    page.get_by_role("navigation", name="Project pages").get_by_role(
        "link", name="Images", exact=True
    ).click()
    filters = page.get_by_role("group", name="Image filters")
    filters.get_by_label("State").select_option("complete")
    tiles = page.get_by_role("list", name="Images").locator("button[data-image-id]")
    expect(tiles).to_have_count(1)
    expect(tiles.first).to_have_attribute("data-image-id", str(first["id"]))
    filters.get_by_label("State").select_option("unlabelled")
    expect(tiles).to_have_count(2)
    page.get_by_label(f"Select image {third['id']}", exact=True).check()
    page.get_by_role("group", name="Selected images").get_by_role(
        "button", name="Mark complete"
    ).click()
    expect(page.get_by_text(re.compile(r"1 image marked complete"))).to_be_visible()
    expect(tiles).to_have_count(1)
    assert server_image(third["id"])["state"] == "complete"
    shots("images-by-state")
    assert not page.errors, f"uncaught errors in the page: {page.errors}"


def test_the_evaluation_per_image(page: Page, shots: Shots, system: System) -> None:
    if not BASE_MODEL.is_file():
        pytest.skip(f"no shipped base model at {BASE_MODEL}: `make base-model` trains it")
    token = sign_in_new_user(page, system, "dave")
    wait_for_worker(system, token)
    with system.api(token) as client:
        demo = client.post(
            "/projects/demo",
            json={
                "name": "Evaluate per image",
                "adapt_annotated": 5,
                "adapt_unannotated": 0,
                "holdout": 12,
            },
        )
        assert demo.status_code == 201, demo.text
        pid = demo.json()["project"]["id"]
    wait_for_job(system, token, pid, demo.json()["job_id"], 240)
    with system.api(token) as client:
        # a short adaptation, so the evaluated model detects something (the shipped model
        # knows none of the demo's classes): adapt → detect (nothing left) → evaluate
        created = client.post(
            f"/projects/{pid}/jobs", json={"kind": "iterate", "params": {"routine": {"steps": 10}}}
        )
        assert created.status_code == 201, created.text
    job = wait_for_job(system, token, pid, created.json()["id"], 360)
    with system.api(token) as client:
        rows = client.get(f"/projects/{pid}/jobs/{job['id']}/evaluation").json()
    assert rows, "the evaluation stored no image"

    page.goto(f"/projects/{pid}/evaluate")
    table = page.get_by_test_id("evaluation-images")
    shown = table.get_by_test_id("evaluation-image-row")
    expect(shown).to_have_count(min(len(rows), 20))
    for index in (0, len(rows) - 1):
        if index >= 20:
            continue
        row, expected = shown.nth(index), rows[index]
        expect(row).to_have_attribute("data-image-id", str(expected["image_id"]))
        expect(row.get_by_test_id("eval-tp")).to_have_text(str(expected["tp"]))
        expect(row.get_by_test_id("eval-fp")).to_have_text(str(expected["fp"]))
        expect(row.get_by_test_id("eval-fn")).to_have_text(str(expected["fn"]))
    # the image with the most errors comes first
    errors = [r["fp"] + r["fn"] for r in rows]
    assert errors[0] == max(errors)
    # pick one: its detections (all, with the score slider at 0) and its misses are drawn
    pick = rows[min(1, len(rows) - 1)]
    shown.nth(min(1, len(rows) - 1)).get_by_role("button").click()
    page.get_by_role("slider", name="Draw detections scoring at least").fill("0")
    figure = page.get_by_test_id("evaluation-image")
    expect(figure).to_have_attribute("data-image-id", str(pick["image_id"]))
    expect(figure.locator("rect")).to_have_count(len(pick["detections"]) + len(pick["missed"]))
    expect(figure.locator("rect[stroke-dasharray]")).to_have_count(len(pick["missed"]))
    # detections coloured by match: green true positives, red false positives
    for match, color in (("tp", "#12b76a"), ("fp", "#f04438")):
        count = sum(d["match"] == match for d in pick["detections"])
        expect(figure.locator(f'rect[stroke="{color}"]')).to_have_count(count)
    expect(figure).to_contain_text(f"{pick['tp']} TP · {pick['fp']} FP · {pick['fn']} FN")
    shots("evaluation-per-image")
    assert not page.errors, f"uncaught errors in the page: {page.errors}"


def test_import_a_dataset_with_live_progress(page: Page, shots: Shots, system: System) -> None:
    token = sign_in_new_user(page, system, "erin")
    with system.api(token) as client:
        project = client.post("/projects", json={"name": "Imported", "classes": []}).json()
    pid = project["id"]
    names = [f"shot-{i}.png" for i in range(3)]
    coco = {
        "images": [
            {"id": i + 1, "file_name": name, "width": 200, "height": 150}
            for i, name in enumerate(names)
        ],
        "annotations": [
            {"id": i + 1, "image_id": i + 1, "category_id": 1, "bbox": [10, 20, 30 + i, 40]}
            for i in range(3)
        ],
        "categories": [{"id": 1, "name": "crate"}],
    }
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("annotations.json", json.dumps(coco))
        for i, name in enumerate(names):
            zf.writestr(name, png_bytes((30 * i, 90, 160)))
    page.goto(f"/projects/{pid}/images")
    page.get_by_role("button", name="Import…").click()
    page.get_by_label("Dataset file").set_input_files(
        {"name": "crates.zip", "mimeType": "application/zip", "buffer": archive.getvalue()}
    )
    page.get_by_label("Add classes the project lacks").check()
    page.get_by_role("button", name="Import", exact=True).click()
    job = page.get_by_test_id("import-job")
    expect(job.get_by_test_id("job-progress")).to_be_visible()
    expect(job.get_by_role("status")).to_contain_text("Imported (COCO): 3 images added, 3 boxes")
    expect(job.get_by_test_id("job-progress")).to_have_attribute("data-state", "succeeded")
    shots("import-finished")
    with system.api(token) as client:
        images = client.get(f"/projects/{pid}/images").json()["items"]
        classes = client.get(f"/projects/{pid}/classes").json()
    assert sorted(i["file_name"] for i in images) == names
    assert {i["state"] for i in images} == {"complete"} and [c["name"] for c in classes] == [
        "crate"
    ]
