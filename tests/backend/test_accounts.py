"""Accounts: first-run setup, login, personal tokens (stored hashed), admin-made users."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import create_engine, text
from support.factories import login, unique_name


def test_setup_creates_the_first_admin_once_then_answers_409(start_api_server):
    server = start_api_server(with_model=False, allow_signup="false")
    anon = server.client()
    assert anon.get("/auth/status").json() == {"needs_setup": True, "allow_signup": False}
    answer = anon.post("/auth/setup", json={"username": "root", "password": "root-secret-1"})
    assert answer.status_code == 201, answer.text
    assert answer.json()["user"]["is_admin"] is True
    assert anon.get("/auth/status").json()["needs_setup"] is False
    again = anon.post("/auth/setup", json={"username": "other", "password": "other-secret-2"})
    assert again.status_code == 409
    assert "exists" in again.json()["detail"]
    refused = anon.post("/auth/signup", json={"username": "newbie", "password": "newbie-secret-3"})
    assert refused.status_code == 403
    assert "sign-up is disabled" in refused.json()["detail"]


def test_signup_is_open_when_allowed_and_gives_a_plain_user(anon):
    name = unique_name("signup")
    answer = anon.post("/auth/signup", json={"username": name, "password": "signup-pass-word"})
    assert answer.status_code == 201, answer.text
    assert answer.json()["user"]["is_admin"] is False
    taken = anon.post("/auth/signup", json={"username": name, "password": "signup-pass-word"})
    assert taken.status_code == 409


def test_login_returns_a_bearer_token_that_identifies_the_user(api_server, user):
    me = user.client.get("/users/me")
    assert me.status_code == 200
    assert me.json()["username"] == user.username
    wrong = api_server.client().post(
        "/auth/login", json={"username": user.username, "password": "nope"}
    )
    assert wrong.status_code == 401
    assert wrong.json()["detail"] == "wrong username or password"


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer ml_not-a-real-token"}, {"Authorization": "Basic abc"}]
)
def test_requests_without_a_valid_token_get_401(anon, headers):
    answer = anon.get("/users/me", headers=headers)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    assert answer.json()["detail"]


def test_logout_revokes_the_token(api_server, user):
    session = login(api_server, user.username, user.password)
    assert session.client.post("/auth/logout").json() == {"ok": True}
    assert session.client.get("/users/me").status_code == 401


def test_personal_token_is_shown_once_works_and_can_be_revoked(api_server, user):
    created = user.client.post("/tokens", json={"name": "ci", "expires_in_days": 30})
    assert created.status_code == 201, created.text
    token = created.json()["token"]
    assert token.startswith(created.json()["prefix"])
    listed = user.client.get("/tokens").json()
    assert [t["name"] for t in listed] == ["ci"]
    assert all("token" not in t for t in listed)
    service = api_server.client(token)
    assert service.get("/users/me").json()["username"] == user.username
    revoked = user.client.delete(f"/tokens/{created.json()['id']}")
    assert revoked.json()["revoked_at"] is not None
    assert service.get("/users/me").status_code == 401


def test_tokens_are_stored_only_as_hashes(api_server, user):
    token = user.client.post("/tokens", json={"name": "hash-check"}).json()["token"]
    engine = create_engine(api_server.env["DATABASE_URL"])
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT token_hash, prefix FROM api_tokens")).all()
        passwords = connection.execute(text("SELECT password_hash FROM users")).scalars().all()
    engine.dispose()
    hashes = {row.token_hash for row in rows}
    assert hashlib.sha256(token.encode()).hexdigest() in hashes
    assert token not in hashes
    assert all(len(row.prefix) < len(token) for row in rows)
    assert all(p.startswith("scrypt$") and user.password not in p for p in passwords)


def test_only_admins_create_users(admin, user):
    refused = user.client.post(
        "/users", json={"username": unique_name(), "password": "new-password"}
    )
    assert refused.status_code == 403
    made = admin.client.post("/users", json={"username": unique_name(), "password": "new-password"})
    assert made.status_code == 201
    assert made.json()["is_admin"] is False
    assert user.client.get("/users").status_code == 403
    assert any(u["id"] == user.id for u in admin.client.get("/users").json())
