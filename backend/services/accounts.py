"""Users, logins and API tokens. Tokens are random; only their sha256 is stored."""

from __future__ import annotations

import hashlib
import logging
import secrets
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from backend.db import ApiToken, User, utcnow
from backend.db.session import is_read_only, new_session
from backend.services.errors import Conflict, Forbidden, NotFound, Unauthorized
from backend.services.passwords import hash_password, verify_password
from backend.settings import get_settings

TOKEN_PREFIX = "ml_"
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def needs_setup(session: Session) -> bool:
    return session.scalar(select(func.count()).select_from(User)) == 0


def create_user(session: Session, username: str, password: str, is_admin: bool = False) -> User:
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"username {username!r} is taken")
    user = User(username=username, password_hash=hash_password(password), is_admin=is_admin)
    session.add(user)
    session.commit()
    return user


def setup_admin(session: Session, username: str, password: str) -> User:
    if not needs_setup(session):
        raise Conflict("setup is done already: an account exists")
    return create_user(session, username, password, is_admin=True)


def signup(session: Session, username: str, password: str) -> User:
    if not get_settings().allow_signup:
        raise Forbidden("sign-up is disabled on this server; ask an admin for an account")
    if needs_setup(session):
        raise Conflict("no account exists yet: use /api/auth/setup to create the admin first")
    return create_user(session, username, password)


def issue_token(
    session: Session, user: User, kind: str, name: str, expires_at: datetime | None
) -> tuple[ApiToken, str]:
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id,
        kind=kind,
        name=name,
        token_hash=hash_token(plaintext),
        prefix=plaintext[:10],
        expires_at=expires_at,
    )
    session.add(row)
    session.commit()
    return row, plaintext


def login(session: Session, username: str, password: str) -> tuple[User, ApiToken, str]:
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.is_active or not verify_password(password, user.password_hash):
        raise Unauthorized("wrong username or password")
    expires = utcnow() + timedelta(days=get_settings().session_token_days)
    row, plaintext = issue_token(session, user, "session", "login", expires)
    return user, row, plaintext


def token_row(session: Session, plaintext: str) -> ApiToken | None:
    """The live token row for a bearer token, or None (unknown, revoked, expired)."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(plaintext)))
    now = utcnow()
    if row is None or row.revoked_at is not None:
        return None
    if row.expires_at is not None and row.expires_at <= now:
        return None
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
        if is_read_only(session):
            # a GET's session does not write (it would wait for a long writer on SQLite): the
            # token's last use is recorded beside it
            _touch_pool.submit(_touch, row.id, now)
        else:
            row.last_used_at = now
            session.commit()
    return row


_touch_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="token-last-used")


def _touch(token_id: int, now: datetime) -> None:
    try:
        with new_session() as session:
            session.execute(
                update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now)
            )
            session.commit()
    except Exception:  # noqa: BLE001 - a missed last-use time is not worth a failed request
        logging.getLogger(__name__).warning("could not record token %s's last use", token_id)


def user_for_token(session: Session, plaintext: str) -> User | None:
    row = token_row(session, plaintext)
    if row is None:
        return None
    user = session.get(User, row.user_id)
    return user if user is not None and user.is_active else None


def revoke(session: Session, row: ApiToken) -> None:
    row.revoked_at = utcnow()
    session.commit()


def create_personal_token(
    session: Session, user: User, name: str, expires_in_days: float | None
) -> tuple[ApiToken, str]:
    expires = utcnow() + timedelta(days=expires_in_days) if expires_in_days else None
    return issue_token(session, user, "personal", name, expires)


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.kind == "personal")
            .order_by(ApiToken.id)
        )
    )


def revoke_personal_token(session: Session, user: User, token_id: int) -> ApiToken:
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id or row.kind != "personal":
        raise NotFound(f"token {token_id} not found")
    if row.revoked_at is None:
        revoke(session, row)
    return row


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.id)))
