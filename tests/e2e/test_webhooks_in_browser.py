"""Webhooks in a real browser (issue 22): an owner adds a webhook on the Models page, keeps the
secret it shows once, presses Send test, and sees the delivery's row (webhook.test, delivered,
HTTP 200) appear in its deliveries and the webhook's last status follow; a real local receiver
got it, signed with that secret."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Page, expect

from .conftest import Shots, System
from .test_loop_in_browser import create_admin_then_sign_up, open_tab, session_token

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture(scope="module", autouse=True)
def allow_private_targets() -> Iterator[None]:
    """The receiver listens on 127.0.0.1: this module's system allows private targets (set
    before the module's `system` starts: autouse fixtures come first in their scope)."""
    before = os.environ.get("WEBHOOKS_ALLOW_PRIVATE")
    os.environ["WEBHOOKS_ALLOW_PRIVATE"] = "true"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("WEBHOOKS_ALLOW_PRIVATE", None)
        else:
            os.environ["WEBHOOKS_ALLOW_PRIVATE"] = before


@pytest.fixture
def received() -> Iterator[tuple[str, list[dict]]]:
    """A receiver on 127.0.0.1 that answers 200 and records each POST: (its URL, the requests)."""
    requests: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            requests.append({"headers": dict(self.headers), "body": body})
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", requests
    finally:
        server.shutdown()
        server.server_close()


def test_send_a_test_delivery_and_see_it_delivered(
    page: Page, shots: Shots, system: System, received: tuple[str, list[dict]]
) -> None:
    url, requests = received
    create_admin_then_sign_up(page, shots)
    with system.api(session_token(page)) as client:
        answer = client.post("/projects", json={"name": "hooks", "classes": [{"name": "C"}]})
        assert answer.status_code == 201, answer.text
        project = answer.json()
    page.goto(f"/projects/{project['id']}/images")
    open_tab(page, "Models")
    form = page.get_by_role("form", name="Add a webhook")
    form.get_by_label("URL").fill(url)
    form.get_by_role("button", name="Add webhook").click()
    secret = page.get_by_test_id("webhook-secret").locator("code").inner_text()
    assert len(secret) == 64

    page.get_by_role("button", name=f"Send test to {url}").click()
    deliveries = page.get_by_role("table", name=f"Deliveries to {url}")
    row = deliveries.get_by_test_id("webhook-delivery").first
    expect(row).to_contain_text("webhook.test")
    expect(row).to_contain_text("delivered", timeout=15_000)
    expect(row).to_contain_text("HTTP 200")
    hook_row = page.get_by_test_id("webhook-row").filter(has_text=url)
    expect(hook_row).to_contain_text("delivered (HTTP 200)")  # the webhook's last status
    shots("test-delivered")
    assert len(requests) == 1
    body = requests[0]["body"]
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert requests[0]["headers"]["X-MetaLoop-Signature"] == f"sha256={expected}"
    assert json.loads(body)["event"] == "webhook.test"

    page.get_by_role("button", name=f"Send test to {url}").click()
    expect(deliveries.get_by_test_id("webhook-delivery")).to_have_count(2)
    expect(deliveries.get_by_test_id("webhook-delivery").first).to_contain_text(
        "delivered", timeout=15_000
    )
    assert len(requests) == 2
    assert page.errors == []
