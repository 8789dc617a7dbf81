"""Logins (issue 23): failed attempts throttled per account and per address with a 429 and
Retry-After, counted in Redis so that every API process shares them; the password policy of new
accounts (12 characters, not the username; lifted in demo mode, never in production); and
answers that take as long for an unknown username as for a known one."""

from __future__ import annotations

import statistics
import time
import uuid

import pytest
from support.factories import create_user, login, setup_admin, unique_name
from support.server import api_with_fresh_database, running_api
from support.services import fresh_database_url

from backend.services.logins import policy_applies
from backend.settings import Settings

THROTTLE = {
    "login_failures_per_account": "3 per 1 minute",
    "login_failures_per_address": "5 per 1 minute",
}


def attempt(server, username: str, password: str):
    return server.client().post("/auth/login", json={"username": username, "password": password})


def test_failed_logins_are_throttled_per_account_and_address_across_api_processes(
    tmp_path, redis_url
):
    """Two API processes on one database and one Redis (one deployment: the same TASK_QUEUE):
    the failures counted by one hold back logins on the other."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    with fresh_database_url(tmp_path / "db") as url:
        with (
            running_api(url, redis_url, tmp_path / "a", task_queue=queue, **THROTTLE) as first,
            running_api(url, redis_url, tmp_path / "b", task_queue=queue, **THROTTLE) as second,
        ):
            admin = setup_admin(first)
            user = create_user(first, admin)
            for server in (first, second, first):
                wrong = attempt(server, user.username, "not-the-password")
                assert wrong.status_code == 401, wrong.text
            # the account's 3 failures are spent: the right password waits too, on either server
            held = attempt(second, user.username, user.password)
            assert held.status_code == 429, held.text
            assert 1 <= int(held.headers["Retry-After"]) <= 60
            assert "too many failed logins for this account" in held.json()["detail"]
            assert "try again in" in held.json()["detail"]
            # other accounts still log in, until the address's 5 failures are spent
            assert attempt(first, admin.username, admin.password).status_code == 200
            for name in ("nobody-1", "nobody-2"):
                assert attempt(second, name, "whatever-password").status_code == 401
            blocked = attempt(first, admin.username, admin.password)
            assert blocked.status_code == 429, blocked.text
            assert "for this address" in blocked.json()["detail"]
            assert int(blocked.headers["Retry-After"]) >= 1


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory, redis_url):
    """An API in demo mode with THROTTLE's limits."""
    directory = tmp_path_factory.mktemp("demo-mode")
    with api_with_fresh_database(directory, redis_url, False, demo_mode="true", **THROTTLE) as api:
        yield api


def test_a_successful_login_clears_its_accounts_failures(demo_server):
    server = demo_server
    admin = setup_admin(server, "demo", "demo")
    for _ in range(2):
        assert attempt(server, admin.username, "wrong-password").status_code == 401
    assert attempt(server, admin.username, admin.password).status_code == 200
    for _ in range(2):
        assert attempt(server, admin.username, "wrong-password").status_code == 401
    # 4 failures of this account, but 2 since its last success: not held back
    assert attempt(server, admin.username, admin.password).status_code == 200


def test_new_passwords_have_12_characters_and_are_not_the_username(anon, admin):
    name = unique_name("policy")
    short = anon.post("/auth/signup", json={"username": name, "password": "eleven-char"})
    assert short.status_code == 422, short.text
    assert short.json()["detail"] == (
        "the password has 11 characters: it needs at least 12 (a few words make a good one)"
    )
    long_name = f"{name}-xyz"
    same = anon.post("/auth/signup", json={"username": long_name, "password": long_name.upper()})
    assert same.status_code == 422
    assert same.json()["detail"] == "the password must not be the username"
    by_admin = admin.client.post("/users", json={"username": name, "password": "demo"})
    assert by_admin.status_code == 422
    made = anon.post("/auth/signup", json={"username": name, "password": "twelve-chars"})
    assert made.status_code == 201, made.text
    # logging in with an older, shorter password is not a new password: not refused
    assert anon.post("/auth/login", json={"username": name, "password": "x" * 4}).status_code == 401


def test_demo_mode_allows_the_demo_account_but_never_in_production(demo_server):
    admin = setup_admin(demo_server, "demo", "demo")  # made here, or by the test before
    assert admin.username == "demo"
    made = admin.client.post("/users", json={"username": "guest", "password": "guest"})
    assert made.status_code == 201, made.text
    assert login(demo_server, "guest", "guest").username == "guest"
    production = Settings(environment="production", demo_mode=True, worker_token="s" * 32)
    assert policy_applies(production)
    assert not policy_applies(Settings(demo_mode=True))
    assert policy_applies(Settings())
    assert Settings().password_min_length == 12


def _timed(client, username: str, password: str) -> float:
    started = time.perf_counter()
    answer = client.post("/auth/login", json={"username": username, "password": password})
    elapsed = time.perf_counter() - started
    assert answer.status_code == 401, answer.text
    assert answer.json()["detail"] == "wrong username or password"
    return elapsed


@pytest.mark.timeout(120)
def test_unknown_and_known_usernames_fail_in_the_same_time(anon, user):
    """Before: 59.7 ms for a known username, 5.2 ms for an unknown one (no hash was checked).
    Now both check a scrypt hash of the same cost; medians of alternating attempts (fewer than
    the account's failures allowed) must be within a factor of 2.5 (before: 11)."""
    known, unknown = [], []
    for i in range(5):
        unknown.append(_timed(anon, f"nobody-{uuid.uuid4().hex[:8]}", f"wrong-{i}"))
        known.append(_timed(anon, user.username, f"wrong-{i}"))
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 0.4 < ratio < 2.5, (known, unknown)
