"""Security headers on every answer and on every download (issue 23), the built web client's
fit with the Content-Security-Policy, and workers' host names and addresses for admins only."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from support.factories import image_bytes, upload_images

REPO_ROOT = Path(__file__).resolve().parents[2]
COMMON = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


def assert_common(answer: httpx.Response) -> None:
    for name, value in COMMON.items():
        assert answer.headers.get(name) == value, (answer.url, name, answer.headers)


def directives(answer: httpx.Response) -> dict[str, list[str]]:
    policy = answer.headers["content-security-policy"]
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}


def test_pages_and_api_answers_carry_the_security_headers(api_server, client):
    page = httpx.get(f"{api_server.url}/")
    assert page.headers["content-type"].startswith("text/html")
    csp = directives(page)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
    assert csp["img-src"] == ["'self'", "data:", "blob:"]
    assert_common(page)
    for answer in (
        client.get("/health"),
        client.get("/projects"),
        client.get("/projects/999999999"),  # 404
        client.get("/projects/x"),  # 422
        httpx.get(f"{api_server.url}/api/projects"),  # 401
        httpx.get(f"{api_server.url}/api/openapi.json"),
    ):
        assert_common(answer)
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    docs = httpx.get(f"{api_server.url}/docs")
    assert docs.status_code == 200
    csp = directives(docs)
    assert "https://cdn.jsdelivr.net" in csp["script-src"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert_common(docs)


def test_every_download_is_nosniff_with_its_own_type(client, project, worker):
    """A PNG with an HTML page appended is served as the PNG it decodes as, never sniffed."""
    pid = project["id"]
    polyglot = image_bytes(40, 30) + b"<html><script>alert(document.cookie)</script></html>"
    [image] = upload_images(client, pid, [("polyglot.png", polyglot)]).json()
    base = f"/projects/{pid}/images/{image['id']}"
    original = client.get(f"{base}/original")
    assert original.content == polyglot
    assert original.headers["content-type"] == "image/png"
    assert original.headers["content-disposition"].startswith("attachment")
    downloads = {
        original: "image/png",
        client.get(f"{base}/file"): "image/png",
        client.get(f"{base}/thumbnail"): "image/jpeg",
        client.get(f"/projects/{pid}/exports", params={"format": "coco"}): "application/zip",
    }
    model = client.get(f"/projects/{pid}/models").json()[0]
    downloads[client.get(f"/projects/{pid}/models/{model['id']}/weights")] = (
        "application/octet-stream"
    )
    for answer, media_type in downloads.items():
        assert answer.status_code == 200, (answer.url, answer.text[:200])
        assert answer.headers["content-type"] == media_type, answer.url
        assert_common(answer)


class _Scripts(HTMLParser):
    """Inline scripts and styles of a page: what a CSP without 'unsafe-inline' blocks."""

    def __init__(self) -> None:
        super().__init__()
        self.inline: list[str] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and not names.get("src"):
            self._open = "script"
        if tag == "style":
            self._open = "style"
        if "style" in names:
            self.inline.append(f"style attribute on <{tag}>")
        self.inline.extend(f"{n} handler on <{tag}>" for n in names if n.startswith("on"))

    def handle_data(self, data: str) -> None:
        if self._open and data.strip():
            self.inline.append(f"inline <{self._open}>: {data.strip()[:60]}")

    def handle_endtag(self, tag: str) -> None:
        self._open = None


@pytest.mark.parametrize("index", [REPO_ROOT / "frontend" / "dist" / "index.html"])
def test_the_built_web_client_has_no_inline_script_or_style(index):
    """The policy allows scripts and styles from the app's own files only; Vite's build
    (`make frontend`, run by `make test` and CI) emits them as files."""
    if not index.is_file():
        pytest.skip("the web client is not built (make frontend)")
    parser = _Scripts()
    parser.feed(index.read_text())
    assert parser.inline == []
    assert re.search(r'<script type="module"[^>]* src="/assets/', index.read_text())


def test_worker_host_names_and_addresses_are_for_admins_only(client, admin, worker):
    mine = next(w for w in client.get("/workers").json() if w["name"] == worker.name)
    assert (mine["host"], mine["address"], mine["queues"], mine["version"]) == (None,) * 4
    assert (mine["state"], mine["device"]) == ("online", "cpu")
    seen = next(w for w in admin.client.get("/workers").json() if w["name"] == worker.name)
    assert (seen["host"], seen["address"]) == ("testhost", "127.0.0.1")
    assert seen["queues"] == ["metaloop"] and seen["version"] == "test"
