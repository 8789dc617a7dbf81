"""OpenAPI with stable operation ids; docs; the client (or a placeholder) at /."""

from __future__ import annotations

import re

import httpx
from support.factories import setup_admin


def test_every_operation_has_a_stable_unique_tag_name_id(api_server):
    schema = httpx.get(f"{api_server.url}/api/openapi.json").json()
    operations = [(path, op) for path, item in schema["paths"].items() for op in item.values()]
    ids = [op["operationId"] for _, op in operations]
    assert len(ids) == len(set(ids))
    for path, op in operations:
        assert path.startswith("/api/"), path
        assert re.fullmatch(r"[a-z]+-[a-z]+(-[a-z]+)*", op["operationId"]), op["operationId"]
        assert op["operationId"].startswith(op["tags"][0] + "-")
    assert {
        "projects-list",
        "projects-create",
        "images-upload",
        "jobs-create",
        "predictions-accept",
        "worker-start-task",
        "worker-submit-result",
        "events-stream",
        "auth-login",
    } <= set(ids)


def test_docs_are_served(api_server):
    answer = httpx.get(f"{api_server.url}/docs")
    assert answer.status_code == 200
    assert "/api/openapi.json" in answer.text


def test_placeholder_page_when_the_client_is_not_built(api_server):
    answer = httpx.get(f"{api_server.url}/")
    assert answer.status_code == 200
    assert "not built" in answer.text
    assert httpx.get(f"{api_server.url}/api/no-such-route").status_code == 404


def test_built_client_is_served_with_spa_fallback(start_api_server, tmp_path):
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<html>the app</html>")
    (dist / "assets" / "app.js").write_text("console.log('app')")
    (tmp_path / "secret.txt").write_text("not for you")
    server = start_api_server(with_model=False, frontend_dist=str(dist))
    assert httpx.get(f"{server.url}/").text == "<html>the app</html>"
    assert httpx.get(f"{server.url}/projects/3/review").text == "<html>the app</html>"
    assert httpx.get(f"{server.url}/assets/app.js").text == "console.log('app')"
    assert "not for you" not in httpx.get(f"{server.url}/..%2Fsecret.txt").text
    api_404 = httpx.get(f"{server.url}/api/nothing-here")
    assert api_404.status_code == 404 and api_404.headers["content-type"] == "application/json"
    setup_admin(server)
    assert httpx.get(f"{server.url}/api/auth/status").json()["needs_setup"] is False
