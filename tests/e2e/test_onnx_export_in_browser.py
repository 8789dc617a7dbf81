"""ONNX export in a real browser (issue 22, item 3): on the Models page, Export ONNX starts the
job on the worker, its row follows it to succeeded, and Download .onnx saves the file under the
model's name (a files-ticket link); the file holds the project's classes in its metadata, and the
model's card on the page says how to use it (input, normalisation, classes by label index)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from worker.engine.onnx_export import read_onnx_card

from .conftest import BASE_MODEL, Shots, System, wait_for_worker
from .test_loop_in_browser import create_admin_then_sign_up, open_tab, session_token

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_export_onnx_and_download_it(page: Page, shots: Shots, system: System) -> None:
    if not BASE_MODEL.is_file():
        pytest.skip(f"no shipped base model at {BASE_MODEL}: `make base-model` trains it")
    create_admin_then_sign_up(page, shots)
    token = session_token(page)
    with system.api(token) as client:
        answer = client.post(
            "/projects", json={"name": "onnx", "classes": [{"name": "C"}, {"name": "F"}]}
        )
        assert answer.status_code == 201, answer.text
        project = answer.json()
    wait_for_worker(system, token)
    page.goto(f"/projects/{project['id']}/images")
    open_tab(page, "Models")
    row = page.get_by_test_id("model-row").filter(
        has=page.get_by_role("button", name=BASE_MODEL.stem, exact=True)
    )
    export = row.get_by_test_id("onnx-export")
    expect(export).to_have_attribute("data-state", "none")
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith("/onnx")
    ) as started:
        row.get_by_role("button", name=f"Export ONNX of {BASE_MODEL.stem}").click()
    assert started.value.status == 202, started.value.text()
    expect(export).to_have_attribute(
        "data-state", re.compile("queued|running|succeeded"), timeout=10_000
    )
    expect(export).to_have_attribute("data-state", "succeeded", timeout=180_000)
    shots("exported")
    link = row.get_by_role("link", name=f"Download .onnx of {BASE_MODEL.stem}")
    expect(link).to_have_attribute("href", re.compile(r"/onnx\?ticket="))
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"{BASE_MODEL.stem}.onnx"
    info = read_onnx_card(download.value.path())
    assert info["classes"] == ["C", "F"]

    # the selected model's card says how to use its export
    row.get_by_role("button", name=BASE_MODEL.stem, exact=True).click()
    card = page.get_by_test_id("onnx-card")
    expect(card).to_have_attribute("data-state", "exported")
    expect(card.get_by_test_id("onnx-classes")).to_have_text("0 C · 1 F")
    expect(card.get_by_test_id("onnx-input")).to_contain_text(
        f"{info['input']['name']} float32 NCHW"
    )
    expect(card.get_by_test_id("onnx-normalisation")).to_contain_text("(pixel / 255 - mean) / std")
    shots("onnx-card")
    assert page.errors == []
