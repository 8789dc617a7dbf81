"""Learning curves and evaluation messages in a real browser (issue 24): the Loop timeline page
draws AP50 against the annotated images and against the cumulative annotation time, one point
per evaluated iteration at the x values the API gives, and the timeline as a chart; a model
never evaluated reads "not evaluated" (Models, Evaluate); "Evaluate it now" keeps the models
picked for the comparison when the user comes back."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from playwright.sync_api import Page, expect

from .conftest import ARTIFACTS, BASE_MODEL, Shots, System, wait_for_worker
from .test_review_in_browser import sign_in, wait_for_job

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROUTINE = {"steps": 5, "checkpoints": [5]}  # a short adaptation on a 2-core CPU
SIZES = [(1440, 900), (1024, 768)]


def open_tab(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Project pages").get_by_role(
        "link", name=name, exact=True
    ).click()


def at_both_sizes(page: Page, shots: Shots, step: str) -> None:
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        shots(f"{step}-{width}x{height}")
    page.set_viewport_size({"width": 1440, "height": 900})


def iterate(system: System, token: str, pid: int) -> dict:
    with system.api(token) as client:
        created = client.post(
            f"/projects/{pid}/jobs", json={"kind": "iterate", "params": {"routine": ROUTINE}}
        )
        assert created.status_code == 201, created.text
    return wait_for_job(system, token, pid, created.json()["id"], 420)


def annotate_one_more(system: System, token: str, pid: int, class_id: int) -> None:
    """A person's work between the iterations: one unannotated adapt image gets a box (with the
    time spent on it) and is marked complete, so the second adaptation trains on one more."""
    with system.api(token) as client:
        todo = client.get(
            f"/projects/{pid}/images", params={"pool": "adapt", "annotated": False, "limit": 1}
        ).json()["items"][0]
        drawn = client.post(
            f"/projects/{pid}/images/{todo['id']}/annotations",
            json={"class_id": class_id, "box": [4, 4, 20, 20], "time_spent_ms": 42_000},
        )
        assert drawn.status_code == 201, drawn.text
        done = client.post(
            f"/projects/{pid}/images/state", json={"image_ids": [todo["id"]], "state": "complete"}
        )
        assert done.status_code == 200, done.text


def first_picker(page: Page):  # noqa: ANN201
    """The "Model" picker (its label holds the chosen option's text as well)."""
    return page.get_by_role("group", name="Models to compare").locator("select").first


def markers(page: Page, test_id: str) -> list[tuple[float, float]]:
    circles = page.get_by_test_id(test_id).locator("circle")
    return [
        (float(c.get_attribute("data-x")), float(c.get_attribute("data-y"))) for c in circles.all()
    ]


def test_learning_curves_and_evaluation_messages(page: Page, shots: Shots, system: System) -> None:
    if not BASE_MODEL.is_file():
        pytest.skip(f"no shipped base model at {BASE_MODEL}: `make base-model` trains it")
    token = sign_in(page, system, "curt")
    wait_for_worker(system, token)
    with system.api(token) as client:
        demo = client.post(
            "/projects/demo",
            json={"name": "Curves", "adapt_annotated": 5, "adapt_unannotated": 3, "holdout": 3},
        )
        assert demo.status_code == 201, demo.text
        project = demo.json()["project"]
    pid = project["id"]
    wait_for_job(system, token, pid, demo.json()["job_id"], 240)
    with system.api(token) as client:
        # a person's time on an existing box before the first run
        first_image = client.get(
            f"/projects/{pid}/images", params={"pool": "adapt", "annotated": True, "limit": 1}
        ).json()["items"][0]
        box = client.get(f"/projects/{pid}/images/{first_image['id']}/annotations").json()[0]
        moved = client.patch(
            f"/projects/{pid}/annotations/{box['id']}",
            json={"box": [box["box"][0] + 1, *box["box"][1:]], "time_spent_ms": 30_000},
        )
        assert moved.status_code == 200, moved.text
    first = iterate(system, token, pid)
    annotate_one_more(system, token, pid, project["classes"][0]["id"])
    second = iterate(system, token, pid)

    # What the curves must show, from the API: per iterate job, its model's training set
    # (complete adapt images when its adapt started), the editor's time on annotations written
    # before the job (cumulative), and the AP50 the job reached.
    with system.api(token) as client:
        models = client.get(f"/projects/{pid}/models").json()
        activity = client.get(f"/projects/{pid}/annotations/activity").json()
    by_job = {m["source_job_id"]: m for m in models if m["source_job_id"] is not None}

    def seconds_before(job: dict) -> float:
        until = datetime.fromisoformat(job["created_at"])
        return sum(
            a["time_spent_ms"] / 1000
            for a in activity
            if a["author_id"] is not None and datetime.fromisoformat(a["updated_at"]) <= until
        )

    expected = [
        (
            by_job[job["id"]]["training_set"]["num_images"],
            seconds_before(job),
            job["result"]["metrics"]["AP50"],
        )
        for job in (first, second)
    ]
    assert expected[1][0] == expected[0][0] + 1, expected  # one more complete image
    assert expected[0][1] >= 30 and expected[1][1] >= expected[0][1] + 42, expected

    page.goto(f"/projects/{pid}/timeline")
    expect(page.get_by_test_id("timeline-row")).to_have_count(2)
    expect(page.get_by_test_id("curve-images").locator("circle")).to_have_count(2)
    images_curve = markers(page, "curve-images")
    time_curve = markers(page, "curve-time")
    assert [x for x, _ in images_curve] == [e[0] for e in expected]
    assert [y for _, y in images_curve] == pytest.approx([e[2] for e in expected])
    assert [x for x, _ in time_curve] == pytest.approx([e[1] / 60 for e in expected], abs=1e-3)
    points = page.get_by_test_id("curve-point")
    expect(points).to_have_count(2)
    assert [int(p.get_attribute("data-images")) for p in points.all()] == [e[0] for e in expected]
    # the timeline as a chart: a point per iteration
    expect(
        page.get_by_test_id("timeline-chart").locator(
            'circle[data-series="annotating before the run"]'
        )
    ).to_have_count(2)
    at_both_sizes(page, shots, "timeline")

    # Models: the shipped model was never evaluated on this holdout pool; v1 was.
    base = next(m for m in models if m["project_id"] is None and m["is_default"])
    open_tab(page, "Models")
    base_row = page.locator(f'[data-testid="model-row"][data-model-id="{base["id"]}"]')
    expect(base_row.get_by_test_id("model-ap50")).to_have_text("not evaluated")
    v1_row = page.locator(f'[data-testid="model-row"][data-model-id="{by_job[first["id"]]["id"]}"]')
    expect(v1_row.get_by_test_id("model-ap50")).to_have_text(re.compile(r"^\d\.\d{3}$"))
    # its lineage names the update routine in the Adapt form's words
    routine = page.get_by_test_id("lineage-routine").first
    expect(routine).to_contain_text("Layers trained: ")
    expect(routine).not_to_contain_text("train_layers")
    at_both_sizes(page, shots, "models")

    # Evaluate: compare v2 with the shipped model; evaluating it now keeps the comparison.
    open_tab(page, "Evaluate")
    v2 = by_job[second["id"]]["id"]
    first_picker(page).select_option(str(v2))
    page.get_by_label("Compare with").select_option(str(base["id"]))
    expect(page).to_have_url(re.compile(rf"[?&]compare={base['id']}(&|$)"))
    table = page.get_by_test_id("coco-table")
    expect(table.get_by_test_id("not-evaluated")).to_have_count(1)
    expect(page.get_by_text(f"{base['name']} has not been evaluated")).to_be_visible()
    at_both_sizes(page, shots, "evaluate-not-evaluated")
    page.get_by_role("button", name="Evaluate it now").click()
    expect(page).to_have_url(re.compile(r"/jobs/\d+"))
    progress = page.get_by_test_id("job-progress").first
    expect(progress).to_have_attribute("data-state", "succeeded", timeout=240_000)
    page.go_back()
    expect(page).to_have_url(re.compile(rf"/evaluate\?.*compare={base['id']}"))
    expect(first_picker(page)).to_have_value(str(v2))
    expect(page.get_by_label("Compare with")).to_have_value(str(base["id"]))
    expect(table.get_by_test_id("not-evaluated")).to_have_count(0)
    # which COCO max-detections value the numbers were counted at (letters: COCO's 100)
    expect(page.get_by_test_id("max-detections")).to_contain_text(
        "at most 100 detections per image"
    )
    # leaving by another tab and coming back by the Evaluate tab keeps them too
    open_tab(page, "Models")
    expect(base_row.get_by_test_id("model-ap50")).to_have_text(re.compile(r"^\d\.\d{3}$"))
    open_tab(page, "Evaluate")
    expect(page.get_by_label("Compare with")).to_have_value(str(base["id"]))
    expect(first_picker(page)).to_have_value(str(v2))
    at_both_sizes(page, shots, "evaluate-compared")
    assert not page.errors, f"uncaught errors in the page: {page.errors}"
    assert ARTIFACTS.is_dir()
