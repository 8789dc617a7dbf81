"""Production defaults, workers' own tokens and the audit log (issue 23, "Security"), through a
real API process: in production the placeholder worker token and short secrets are refused, the
first admin comes from the command line or a setup token, sign-up and /docs are off; an admin
issues and revokes a worker's token, which acts only as its worker; logins, failed logins,
member changes, deletes, exports and tokens are recorded for admins to read."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pydantic import ValidationError
from support.factories import add_images, create_project, login
from support.server import REPO_ROOT

from backend.settings import PLACEHOLDER_WORKER_TOKEN, Settings

SECRET = "s" * 40


def test_production_refuses_weak_secrets() -> None:
    with pytest.raises(ValidationError, match="placeholder"):
        Settings(environment="production", worker_token=PLACEHOLDER_WORKER_TOKEN)
    with pytest.raises(ValidationError, match="at least 32"):
        Settings(environment="production", worker_token="a")
    with pytest.raises(ValidationError, match="SETUP_TOKEN"):
        Settings(environment="production", worker_token=SECRET, setup_token="short")
    production = Settings(environment="production", worker_token="")  # issued tokens only
    assert production.allow_signup is False and production.api_docs is False
    development = Settings()
    assert development.allow_signup is True and development.api_docs is True


def test_a_production_server_makes_no_admin_for_whoever_comes_first(start_api_server) -> None:
    server = start_api_server(with_model=False, environment="production", worker_token=SECRET)
    anon = server.client()
    setup = anon.post("/auth/setup", json={"username": "first", "password": "a-long-password"})
    assert setup.status_code == 403 and "create-admin" in setup.json()["detail"], setup.text
    assert anon.get("/auth/status").json()["allow_signup"] is False
    docs = anon.get(f"{server.url}/docs")
    assert docs.status_code == 404 and "API_DOCS" in docs.json()["detail"], docs.text
    made = subprocess.run(
        [sys.executable, "-m", "backend.manage", "create-admin", "root", "--password-stdin"],
        input="a-long-password\n",
        env=server.env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    root = login(server, "root", "a-long-password")
    assert root.client.get("/users/me").json()["is_admin"] is True
    signup = anon.post("/auth/signup", json={"username": "someone", "password": "a-long-password"})
    assert signup.status_code == 403, signup.text


def test_a_setup_token_lets_the_first_admin_be_made_over_the_api(start_api_server) -> None:
    server = start_api_server(
        with_model=False, environment="production", worker_token=SECRET, setup_token="t" * 32
    )
    body = {"username": "first", "password": "a-long-password"}
    wrong = server.client().post("/auth/setup", json=body, headers={"X-Setup-Token": "t" * 31})
    assert wrong.status_code == 403, wrong.text
    right = server.client().post("/auth/setup", json=body, headers={"X-Setup-Token": "t" * 32})
    assert right.status_code == 201, right.text


def test_a_workers_own_token_acts_only_as_that_worker(api_server, admin, user) -> None:
    assert user.client.post("/workers/credentials", json={"name": "w"}).status_code == 403
    issued = admin.client.post("/workers/credentials", json={"name": "own-token-worker"})
    assert issued.status_code == 201, issued.text
    token = issued.json()["token"]
    again = admin.client.post("/workers/credentials", json={"name": "own-token-worker"})
    assert again.status_code == 409
    listed = admin.client.get("/workers/credentials").json()
    assert all("token" not in row for row in listed)
    assert any(row["name"] == "own-token-worker" for row in listed)
    worker = api_server.client(token)

    def register(name: str):
        return worker.post("/worker/workers", json={"name": name, "host": "h", "device": "cpu"})

    assert register("own-token-worker").status_code == 200
    other = register("someone-else")
    assert other.status_code == 403 and "own-token-worker" in other.json()["detail"]
    start = worker.post("/worker/tasks/1/start", json={"worker": "someone-else"})
    assert start.status_code == 403
    revoked = admin.client.delete(f"/workers/credentials/{issued.json()['id']}")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    assert register("own-token-worker").status_code == 401


def test_the_audit_log_records_who_did_what(api_server, admin, make_user) -> None:
    owner = make_user()
    member = make_user()
    project = create_project(owner.client)
    pid = project["id"]
    wrong = api_server.client().post(
        "/auth/login", json={"username": owner.username, "password": "not-the-password"}
    )
    assert wrong.status_code == 401
    login(api_server, owner.username, owner.password)
    added = owner.client.post(
        f"/projects/{pid}/members", json={"username": member.username, "role": "viewer"}
    )
    assert added.status_code == 201
    assert owner.client.delete(f"/projects/{pid}/members/{member.id}").status_code == 204
    image = add_images(owner.client, pid, 1)[0]
    assert owner.client.delete(f"/projects/{pid}/images/{image['id']}").status_code == 204
    assert owner.client.get(f"/projects/{pid}/exports?format=yolo").status_code == 200
    assert owner.client.post("/tokens", json={"name": "ci"}).status_code == 201
    assert owner.client.get("/audit").status_code == 403
    log = admin.client.get("/audit", params={"actor_id": owner.id, "limit": 500}).json()
    actions = [row["action"] for row in log]
    for action in (
        "auth.login_failed",
        "auth.login",
        "member.add",
        "member.remove",
        "image.delete",
        "export.annotations",
        "token.create",
    ):
        assert action in actions, (action, actions)
    failed = next(row for row in log if row["action"] == "auth.login_failed")
    assert failed["actor"] == owner.username and failed["address"] == "127.0.0.1"
    added_row = next(row for row in log if row["action"] == "member.add")
    assert added_row["project_id"] == pid and added_row["detail"] == {"role": "viewer"}
    assert added_row["target"] == member.username
    removed_row = next(row for row in log if row["action"] == "member.remove")
    assert removed_row["target"] == member.username  # named as when added, not "user N"
    ids = [row["id"] for row in log]
    assert ids == sorted(ids, reverse=True)
    page = admin.client.get("/audit", params={"actor_id": owner.id, "before_id": ids[2]}).json()
    assert [row["id"] for row in page] == ids[3:]
