"""Logins (docs/architecture.md, "Security"): failed attempts throttled per account and per
client address, answers that take the same time for known and unknown usernames, and the
password policy of new accounts.

**Throttling.** Failed logins are counted in a moving window per account (the username, case
folded) and per client address, as ``LOGIN_FAILURES_PER_ACCOUNT`` and
``LOGIN_FAILURES_PER_ADDRESS`` allow (the ``limits`` library's notation, e.g. "10 per 15
minutes"). Once either is spent, every login to that account, or from that address, answers 429
with ``Retry-After`` (the seconds until the oldest failure leaves the window), the right password
included: guessing stops there. A successful login clears its account's failures. The counts
live in Redis (``REDIS_URL``), so every API process shares them, under keys named by
``TASK_QUEUE`` (one deployment's); without ``REDIS_URL`` they are kept in the process. When
Redis cannot be reached, logins are not throttled (logged) rather than refused.

**Equal time.** An unknown username is checked against a dummy scrypt hash of the same cost,
so that a wrong password takes as long for a known user as for an unknown one.

**Passwords** of new accounts (setup, sign-up, an admin's new user) have at least
``PASSWORD_MIN_LENGTH`` characters (12) and are not the username, as NIST SP 800-63B asks;
``DEMO_MODE=true`` (the demo account is demo/demo) lifts both, except with
``ENVIRONMENT=production``.
"""

from __future__ import annotations

import logging
import math
import secrets
import time
from datetime import timedelta
from functools import lru_cache

from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.db import ApiToken, User, utcnow
from backend.services import audit
from backend.services.accounts import issue_token
from backend.services.errors import Invalid, TooManyRequests, Unauthorized
from backend.services.passwords import hash_password, verify_password
from backend.settings import Settings, get_settings

log = logging.getLogger(__name__)


# --- the password policy ----------------------------------------------------------------------


def policy_applies(settings: Settings) -> bool:
    return not (settings.demo_mode and settings.environment != "production")


def check_new_password(username: str, password: str) -> None:
    """Invalid (422) unless ``password`` may be a new account's (see the module docstring)."""
    settings = get_settings()
    if not policy_applies(settings):
        return
    minimum = settings.password_min_length
    if len(password) < minimum:
        raise Invalid(
            f"the password has {len(password)} characters: it needs at least {minimum} (a few "
            "words make a good one)"
        )
    if password.casefold() == username.casefold():
        raise Invalid("the password must not be the username")


# --- throttling -------------------------------------------------------------------------------


@lru_cache
def _limiter(redis_url: str | None) -> MovingWindowRateLimiter:
    if redis_url:
        storage = storage_from_string(
            redis_url, wrap_exceptions=True, socket_timeout=2, socket_connect_timeout=2
        )
    else:
        storage = storage_from_string("memory://")
    return MovingWindowRateLimiter(storage)


def _windows(username: str, address: str | None) -> list[tuple[RateLimitItem, tuple[str, ...]]]:
    settings = get_settings()
    namespace = ("login", settings.task_queue)
    windows = [
        (parse(settings.login_failures_per_account), (*namespace, "account", username.casefold()))
    ]
    if address:
        windows.append(
            (parse(settings.login_failures_per_address), (*namespace, "address", address))
        )
    return windows


def _refuse_when_spent(limiter: MovingWindowRateLimiter, username: str, address: str) -> None:
    for limit, keys in _windows(username, address):
        if limiter.test(limit, *keys):
            continue
        reset = limiter.get_window_stats(limit, *keys).reset_time
        retry_after = max(1, math.ceil(reset - time.time()))
        which = "this account" if keys[2] == "account" else "this address"
        raise TooManyRequests(
            f"too many failed logins for {which} ({limit.amount} within "
            f"{_duration(limit.get_expiry())}): try again in {retry_after} s",
            retry_after=retry_after,
        )


def _duration(seconds: int) -> str:
    return f"{seconds // 60} min" if seconds % 60 == 0 and seconds >= 60 else f"{seconds} s"


# --- logging in -------------------------------------------------------------------------------


@lru_cache
def _dummy_hash() -> str:
    """A hash of the same cost as every stored one, for usernames that do not exist."""
    return hash_password(secrets.token_urlsafe(16))


def _check_credentials(session: Session, username: str, password: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    matches = verify_password(password, user.password_hash if user is not None else _dummy_hash())
    if user is None or not user.is_active or not matches:
        raise Unauthorized("wrong username or password")
    return user


def login(
    session: Session,
    username: str,
    password: str,
    address: str | None,
    audit_address: str | None = None,
) -> tuple[User, ApiToken, str]:
    """A session token for ``username``, or Unauthorized (401), or TooManyRequests (429) once
    its account's or ``address``'s failures are spent. ``address`` None: not throttled (the
    login that follows a setup or a sign-up)."""
    settings = get_settings()
    limiter = _limiter(settings.redis_url) if address is not None else None
    if limiter is not None:
        try:
            _refuse_when_spent(limiter, username, address)
        except StorageError as error:
            log.warning("login throttling is off: its Redis cannot be reached (%s)", error)
            limiter = None
    try:
        user = _check_credentials(session, username, password)
    except Unauthorized:
        if limiter is not None:
            try:
                for limit, keys in _windows(username, address):
                    limiter.hit(limit, *keys)
            except StorageError as error:
                log.warning("a failed login was not counted: %s", error)
        log.info("failed login for %r from %s", username, address)
        session.rollback()  # its transaction may hold SQLite's write lock: the record needs it
        audit.record_alone("auth.login_failed", username, address, {})
        raise
    if limiter is not None:
        try:
            limit, keys = _windows(username, None)[0]
            limiter.clear(limit, *keys)
        except StorageError as error:
            log.warning("could not clear the failed logins of %r: %s", username, error)
    expires = utcnow() + timedelta(days=settings.session_token_days)
    audit.record(session, "auth.login", user, address=address or audit_address)
    row, plaintext = issue_token(session, user, "session", "login", expires)
    return user, row, plaintext
