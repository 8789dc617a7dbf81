"""An API error in the browser (issue 4, item 2): uploading a file that is not an image shows
the server's reason as a readable message, and the project is left as it was; in a batch, the
good files are kept and each bad one is listed with its reason (issue 24)."""

from __future__ import annotations

import io
import json
import re

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from .conftest import Shots, System

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def png_bytes(size: int = 48) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), (200, 80, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def sign_in_new_user(page: Page, system: System, username: str) -> str:
    with system.api() as client:
        status = client.get("/auth/status").json()
        path = "/auth/setup" if status["needs_setup"] else "/auth/signup"
        client.post(
            path, json={"username": username, "password": "user-password"}
        ).raise_for_status()
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


def image_count(system: System, token: str, project_id: int) -> int:
    with system.api(token) as client:
        return client.get(f"/projects/{project_id}").json()["image_count"]


def test_uploading_a_non_image_shows_the_reason_and_changes_nothing(
    page: Page, shots: Shots, system: System
) -> None:
    token = sign_in_new_user(page, system, "bob")
    form = page.get_by_role("form", name="Create a project")
    form.get_by_label("Project name").fill("Uploads")
    form.get_by_label("Class 1 name").fill("thing")
    form.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("region", name="Upload images")).to_be_visible()
    project_id = int(re.search(r"/projects/(\d+)/", page.url).group(1))
    files = page.get_by_label("Image files")

    # One good image, dropped on the drop zone as from a file manager: it is added.
    dropped = page.evaluate_handle(
        """(bytes) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([new Uint8Array(bytes)], "red.png", { type: "image/png" }));
            return transfer;
        }""",
        list(png_bytes()),
    )
    page.get_by_test_id("dropzone").dispatch_event("dragover", {"dataTransfer": dropped})
    page.get_by_test_id("dropzone").dispatch_event("drop", {"dataTransfer": dropped})
    expect(page.get_by_text("1 image added to the adapt pool.")).to_be_visible()
    assert image_count(system, token, project_id) == 1
    shots("one-image")

    # Not an image: a readable reason, and nothing added.
    files.set_input_files(
        [{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"these are notes, not pixels"}]
    )
    alert = page.get_by_role("alert").filter(has_text="Upload refused, nothing was added")
    expect(alert).to_be_visible()
    message = alert.inner_text()
    assert "notes.txt" in message or "image" in message.lower(), message
    assert "HTTP" not in message, (
        f"the message should be the server's reason, not a status code: {message}"
    )
    shots("non-image-refused")
    assert image_count(system, token, project_id) == 1

    # A good image with a bad one: the good one is kept, the bad one listed with its reason.
    files.set_input_files(
        [
            {"name": "blue.png", "mimeType": "image/png", "buffer": png_bytes(32)},
            {"name": "broken.png", "mimeType": "image/png", "buffer": png_bytes()[:40]},
        ]
    )
    alert = page.get_by_role("alert").filter(has_text="Not added: 1 file of 2")
    expect(alert).to_contain_text("broken.png")
    expect(page.get_by_text("1 image added to the adapt pool.")).to_be_visible()
    assert image_count(system, token, project_id) == 2
    with system.api(token) as client:
        names = {
            i["file_name"] for i in client.get(f"/projects/{project_id}/images").json()["items"]
        }
    assert names == {"red.png", "blue.png"}
    shots("good-kept-bad-listed")
    assert not page.errors, f"uncaught errors in the page: {page.errors}"
