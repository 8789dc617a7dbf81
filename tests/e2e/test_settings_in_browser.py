"""Project set-up and management in a real browser: the Settings tab renames the project, adds,
renames, recolours and deletes classes (a class boxes still use is refused, in plain words),
adds members, changes their roles and removes them, and deletes the project once its name is
typed; the Images tab moves one image and a selection between the pools and deletes images after
a confirmation naming the count; a viewer sees the settings read-only with the reason. Every
change is checked on the server, over the REST API, and axe-core finds no serious or critical
violation on each screen (dialogs open)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import REPO_ROOT, Shots, System
from .test_states_in_browser import png_bytes, sign_in_new_user

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

AXE = REPO_ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"


def new_account(system: System, username: str) -> str:
    """Another person's account (signed up over REST); their API token."""
    with system.api() as client:
        client.post("/auth/signup", json={"username": username, "password": "user-password"})
        answer = client.post(
            "/auth/login", json={"username": username, "password": "user-password"}
        )
        answer.raise_for_status()
        return answer.json()["access_token"]


def axe_check(page: Page) -> None:
    """No "serious" or "critical" axe-core violation on the page as it is now (dialogs included).
    axe-core is a devDependency of the web client (frontend/node_modules)."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `cd frontend && npm ci` (axe-core is a devDependency)")
    # evaluated, not a <script> tag: the app's Content-Security-Policy refuses inline scripts
    page.evaluate(AXE.read_text() + "\n;0")
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"axe-core on {page.url}: {bad}"


def settings_shots(page: Page, shots: Shots, step: str) -> None:
    """The page at 1440×900 and at 1024×768, then back to the fixture's size."""
    for width, height in ((1440, 900), (1024, 768)):
        page.set_viewport_size({"width": width, "height": height})
        shots(f"{step}-{width}x{height}")
    page.set_viewport_size({"width": 1440, "height": 960})


def test_settings_manage_classes_members_and_the_project(
    page: Page, shots: Shots, system: System
) -> None:
    token = sign_in_new_user(page, system, "sally")
    new_account(system, "otto")
    with system.api(token) as client:
        project = client.post(
            "/projects",
            json={
                "name": "Streets",
                "description": "cars and buses",
                "classes": [
                    {"name": "car", "color": "#e6194b"},
                    {"name": "bus", "color": "#3cb44b"},
                ],
            },
        ).json()
        pid = project["id"]
        bus = project["classes"][1]["id"]
        files = [("files", ("street.png", png_bytes((90, 90, 90)), "image/png"))]
        image = client.post(f"/projects/{pid}/images", data={"pool": "adapt"}, files=files)
        assert image.status_code == 201, image.text
        image_id = image.json()[0]["id"]

    def put_boxes(boxes: list[tuple[int, list[int]]]) -> None:
        with system.api(token) as client:
            put = client.put(
                f"/projects/{pid}/images/{image_id}/annotations",
                json={"annotations": [{"class_id": c, "box": box} for c, box in boxes]},
            )
            assert put.status_code == 200, put.text

    put_boxes([(bus, [10, 10, 40, 30])])

    def server(path: str = "") -> dict | list:
        with system.api(token) as client:
            answer = client.get(f"/projects/{pid}{path}")
            answer.raise_for_status()
            return answer.json()

    def classes() -> dict[str, str]:
        return {c["name"]: c["color"] for c in server("/classes")}

    def members() -> dict[str, str]:
        return {m["username"]: m["role"] for m in server("/members")}

    page.goto(f"/projects/{pid}/images")
    page.get_by_role("navigation", name="Project pages").get_by_role(
        "link", name="Settings"
    ).click()
    expect(page).to_have_url(re.compile(rf"/projects/{pid}/settings$"))

    # --- name and description --------------------------------------------------------------
    page.get_by_label("Project name").fill("Streets at night")
    page.get_by_label("Description").fill("cars, buses and trucks")
    page.get_by_role("button", name="Save name and description").click()
    expect(page.get_by_role("heading", name="Streets at night", level=1)).to_be_visible()
    described = server()
    assert (described["name"], described["description"]) == (
        "Streets at night",
        "cars, buses and trucks",
    )

    # --- classes: add, rename, recolour, delete --------------------------------------------
    page.get_by_label("New class name").fill("truck")
    page.get_by_role("button", name="Add class").click()
    expect(page.get_by_label("Name of class truck")).to_be_visible()
    assert "truck" in classes()

    page.get_by_label("Name of class car").fill("auto")
    page.get_by_role("button", name="Save class car").click()
    expect(page.get_by_label("Name of class auto")).to_be_visible()
    page.get_by_label("Colour of class auto").fill("#123456")
    page.get_by_role("button", name="Save class auto").click()
    expect(page.get_by_label("Colour of class auto")).to_have_value("#123456")
    assert classes()["auto"] == "#123456" and "car" not in classes()

    # each class says how many boxes have it
    counts = page.get_by_test_id("class-count")
    expect(counts).to_have_text(["0 boxes", "1 box", "0 boxes"])

    page.get_by_role("button", name="Delete class truck").click()
    dialog = page.get_by_role("dialog", name="Delete class 'truck'?")
    expect(dialog).to_contain_text("The class truck goes from this project (no box has it)")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    assert "truck" in classes()  # cancelled: still there

    # someone boxes a truck while the dialog is open: the server refuses, said in plain words,
    # and the dialog now says why
    page.get_by_role("button", name="Delete class truck").click()
    truck = next(c["id"] for c in server("/classes") if c["name"] == "truck")
    put_boxes([(bus, [10, 10, 40, 30]), (truck, [60, 60, 30, 30])])
    dialog.get_by_role("button", name="Delete class").click()
    expect(dialog.get_by_role("alert")).to_contain_text(
        "Not deleted: Class 'truck' is still used by 1 box: relabel or delete it in Annotate first"
    )
    expect(dialog).to_contain_text("1 box still has the class truck")
    expect(dialog.get_by_role("button", name="Delete class")).to_be_disabled()
    dialog.get_by_role("button", name="Cancel").click()
    assert "truck" in classes()

    # once no box has it, it goes
    put_boxes([(bus, [10, 10, 40, 30])])
    page.reload()
    expect(counts).to_have_text(["0 boxes", "1 box", "0 boxes"])
    page.get_by_role("button", name="Delete class truck").click()
    dialog.get_by_role("button", name="Delete class").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_label("Name of class truck")).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text="Class 'truck' deleted.")).to_be_visible()
    assert set(classes()) == {"auto", "bus"}

    # a class a box has: the dialog says so and offers no delete
    page.get_by_role("button", name="Delete class bus").click()
    dialog = page.get_by_role("dialog", name="Delete class 'bus'?")
    expect(dialog).to_contain_text("1 box still has the class bus")
    expect(dialog.get_by_role("button", name="Delete class")).to_be_disabled()
    dialog.get_by_role("button", name="Cancel").click()
    assert "bus" in classes()

    # --- members: add, change the role, remove ---------------------------------------------
    table = page.get_by_role("table", name="Members")
    expect(table.get_by_role("row")).to_have_count(2)  # the header and sally
    add = page.get_by_role("form", name="Add a member")
    add.get_by_label("Username").fill("nobody")
    add.get_by_role("button", name="Add member").click()
    expect(add.get_by_role("alert")).to_contain_text("There is no user called 'nobody'")
    add.get_by_label("Username").fill("otto")
    add.get_by_label("Role").select_option("viewer")
    add.get_by_role("button", name="Add member").click()
    expect(add.get_by_role("status")).to_have_text("otto added.")
    expect(page.get_by_label("Role of otto")).to_have_value("viewer")
    assert members() == {"sally": "owner", "otto": "viewer"}

    page.get_by_label("Role of otto").select_option("annotator")
    expect(page.get_by_label("Role of otto")).to_have_value("annotator")
    assert members()["otto"] == "annotator"
    settings_shots(page, shots, "settings")
    axe_check(page)

    # the last owner cannot step down: refused in plain words
    page.get_by_label("Role of sally").select_option("viewer")
    expect(page.get_by_role("alert").filter(has_text="Role not changed")).to_contain_text(
        "A project needs at least one owner"
    )
    assert members()["sally"] == "owner"

    page.get_by_role("button", name="Remove otto").click()
    dialog = page.get_by_role("dialog", name="Remove otto from Streets at night?")
    dialog.get_by_role("button", name="Remove member").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_label("Role of otto")).to_have_count(0)
    assert members() == {"sally": "owner"}

    # --- delete the project: only once its name is typed ------------------------------------
    page.get_by_role("button", name="Delete project…").click()
    dialog = page.get_by_role("dialog", name="Delete project 'Streets at night'?")
    expect(dialog).to_contain_text("1 image with their annotations and predictions")
    expect(dialog).to_contain_text("2 classes")
    shots("delete-project-dialog")
    axe_check(page)
    confirm = dialog.get_by_role("button", name="Delete this project")
    expect(confirm).to_be_disabled()
    # the focus is in the name field: typing goes there, and Enter does nothing until it matches
    page.keyboard.type("Streets")
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Type Streets at night to confirm")).to_have_value("Streets")
    expect(confirm).to_be_disabled()
    dialog.get_by_label("Type Streets at night to confirm").fill("Streets at night")
    expect(confirm).to_be_enabled()
    confirm.click()
    expect(page.get_by_role("heading", name="Projects")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/$"))
    with system.api(token) as client:
        assert client.get(f"/projects/{pid}").status_code == 404
        assert all(p["id"] != pid for p in client.get("/projects").json())
    assert not page.errors, f"uncaught errors in the page: {page.errors}"


def test_images_move_between_pools_and_are_deleted(
    page: Page, shots: Shots, system: System
) -> None:
    token = sign_in_new_user(page, system, "ines")
    with system.api(token) as client:
        pid = client.post("/projects", json={"name": "Pools", "classes": []}).json()["id"]
        files = [
            ("files", (f"pic-{i}.png", png_bytes((30 * i, 100, 160)), "image/png"))
            for i in range(6)
        ]
        answer = client.post(f"/projects/{pid}/images", data={"pool": "adapt"}, files=files)
        assert answer.status_code == 201, answer.text
        ids = {i["file_name"]: i["id"] for i in answer.json()}

    def pools() -> dict[str, str]:
        with system.api(token) as client:
            items = client.get(f"/projects/{pid}/images", params={"limit": 100}).json()["items"]
            return {i["file_name"]: i["pool"] for i in items}

    page.goto(f"/projects/{pid}/images")
    tiles = page.get_by_role("list", name="Images").locator("button[data-image-id]")
    expect(tiles).to_have_count(6)

    # one image, from its tile
    page.get_by_role("button", name="Move pic-0.png to the holdout pool").click()
    expect(
        page.get_by_role("status").filter(has_text="1 image moved to the holdout pool.")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Move pic-0.png to the adapt pool")).to_be_visible()
    assert pools()["pic-0.png"] == "holdout"

    # a selection
    selection = page.get_by_role("group", name="Selected images")
    for name in ("pic-1.png", "pic-2.png"):
        page.get_by_label(f"Select image {ids[name]}", exact=True).check()
    expect(selection).to_contain_text("2 selected")
    selection.get_by_role("button", name="Move to holdout pool").click()
    expect(
        page.get_by_role("status").filter(has_text="2 images moved to the holdout pool.")
    ).to_be_visible()
    expect(selection).to_contain_text("0 selected")
    assert [pools()[f"pic-{i}.png"] for i in range(4)] == ["holdout", "holdout", "holdout", "adapt"]
    page.get_by_label(f"Select image {ids['pic-0.png']}", exact=True).check()
    page.get_by_label(f"Select image {ids['pic-1.png']}", exact=True).check()
    selection.get_by_role("button", name="Move to adapt pool").click()
    expect(selection).to_contain_text("0 selected")
    assert [pools()[f"pic-{i}.png"] for i in range(3)] == ["adapt", "adapt", "holdout"]
    shots("images-moved")
    axe_check(page)

    # delete one image: its confirmation names it; cancel keeps it
    page.get_by_role("button", name="Delete pic-5.png").click()
    dialog = page.get_by_role("dialog", name="Delete image 'pic-5.png'?")
    expect(dialog).to_contain_text("This image goes from the project, with 0 boxes")
    # the focus is on Cancel: Enter keeps the image
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    assert "pic-5.png" in pools()
    page.get_by_role("button", name="Delete pic-5.png").click()
    dialog.get_by_role("button", name="Delete image").click()
    expect(dialog).to_be_hidden()
    expect(tiles).to_have_count(5)
    expect(page.get_by_role("status").filter(has_text="1 image deleted.")).to_be_visible()
    assert "pic-5.png" not in pools()

    # delete a selection: the confirmation gives the count
    for name in ("pic-3.png", "pic-4.png"):
        page.get_by_label(f"Select image {ids[name]}", exact=True).check()
    selection.get_by_role("button", name="Delete selected…").click()
    dialog = page.get_by_role("dialog", name="Delete 2 images?")
    expect(dialog).to_contain_text("These 2 images go from the project")
    shots("delete-images-dialog")
    axe_check(page)
    dialog.get_by_role("button", name="Delete 2 images").click()
    expect(dialog).to_be_hidden()
    expect(tiles).to_have_count(3)
    expect(page.get_by_role("status").filter(has_text="2 images deleted.")).to_be_visible()
    assert set(pools()) == {"pic-0.png", "pic-1.png", "pic-2.png"}
    with system.api(token) as client:
        gone = client.get(f"/projects/{pid}/images/{ids['pic-3.png']}")
        assert gone.status_code == 404
    assert not page.errors, f"uncaught errors in the page: {page.errors}"


def test_every_matching_image_is_selected_across_pages_and_moved(
    page: Page, system: System
) -> None:
    token = sign_in_new_user(page, system, "mona")
    with system.api(token) as client:
        pid = client.post("/projects", json={"name": "Many", "classes": []}).json()["id"]
        files = [
            ("files", (f"m-{i}.png", png_bytes((i, 2 * i, 100), (8, 8)), "image/png"))
            for i in range(65)
        ]
        answer = client.post(f"/projects/{pid}/images", data={"pool": "adapt"}, files=files)
        assert answer.status_code == 201, answer.text

    def pools() -> list[str]:
        with system.api(token) as client:
            items = client.get(f"/projects/{pid}/images", params={"limit": 100}).json()["items"]
            return [i["pool"] for i in items]

    page.goto(f"/projects/{pid}/images")
    tiles = page.get_by_role("list", name="Images").locator("button[data-image-id]")
    expect(tiles).to_have_count(60)  # one page
    selection = page.get_by_role("group", name="Selected images")
    selection.get_by_role("button", name="Select all 65 matching").click()
    expect(selection).to_contain_text("65 selected")
    selection.get_by_role("button", name="Move to holdout pool").click()
    expect(
        page.get_by_role("status").filter(has_text="65 images moved to the holdout pool.")
    ).to_be_visible()
    assert pools() == ["holdout"] * 65
    assert not page.errors, f"uncaught errors in the page: {page.errors}"


def test_a_viewer_sees_the_settings_read_only_with_the_reason(
    page: Page, shots: Shots, system: System
) -> None:
    owner = new_account(system, "olga")
    with system.api(owner) as client:
        pid = client.post(
            "/projects", json={"name": "Shared", "classes": [{"name": "cat", "color": "#e6194b"}]}
        ).json()["id"]
    sign_in_new_user(page, system, "vera")
    with system.api(owner) as client:
        added = client.post(f"/projects/{pid}/members", json={"username": "vera", "role": "viewer"})
        assert added.status_code == 201, added.text

    page.goto(f"/projects/{pid}/settings")
    expect(page.get_by_label("Project name")).to_be_disabled()
    expect(
        page.get_by_text("Only the project's owners can change this; you are a viewer.").first
    ).to_be_visible()
    expect(page.get_by_text("Viewers cannot change this")).to_be_visible()
    expect(page.get_by_label("Name of class cat")).to_be_disabled()
    expect(page.get_by_role("button", name="Delete class cat")).to_have_count(0)
    expect(page.get_by_role("form", name="Add a member")).to_have_count(0)
    expect(page.get_by_role("table", name="Members")).to_contain_text("olga")
    expect(page.get_by_role("button", name="Delete project…")).to_have_count(0)
    expect(page.get_by_label("Role of olga")).to_have_count(0)
    shots("viewer-settings")
    axe_check(page)
    assert not page.errors, f"uncaught errors in the page: {page.errors}"


def test_the_adapt_page_says_how_many_boxes_the_next_adaptation_uses(
    page: Page, system: System
) -> None:
    """Accepted predictions silently become training data: the Adapt page states the boxes the
    next adaptation trains on, as the server counts them (complete adapt images only)."""
    token = sign_in_new_user(page, system, "tess")
    with system.api(token) as client:
        project = client.post(
            "/projects", json={"name": "Boxes", "classes": [{"name": "car", "color": "#e6194b"}]}
        ).json()
        pid, car = project["id"], project["classes"][0]["id"]
        files = [
            ("files", (f"street-{i}.png", png_bytes((90 + i, 90, 90)), "image/png"))
            for i in range(2)
        ]
        images = client.post(f"/projects/{pid}/images", data={"pool": "adapt"}, files=files).json()
        boxes = [{"class_id": car, "box": [4 + 20 * k, 4, 16, 16]} for k in range(3)]
        done = client.put(
            f"/projects/{pid}/images/{images[0]['id']}/annotations",
            json={"annotations": boxes, "state": "complete"},
        )
        assert done.status_code == 200, done.text
        # an in-progress image's boxes are not trained on
        client.put(
            f"/projects/{pid}/images/{images[1]['id']}/annotations",
            json={"annotations": boxes[:1], "state": "in_progress"},
        ).raise_for_status()
        training = client.get(f"/projects/{pid}/review/training-data").json()
    assert training["boxes"] == 3
    page.goto(f"/projects/{pid}/adapt")
    expect(page.get_by_test_id("adapt-training-boxes")).to_have_text(
        " with 3 boxes (0 accepted predictions)"
    )
