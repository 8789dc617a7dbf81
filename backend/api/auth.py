from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Header, Request

from backend.api.deps import AddressDep, CurrentToken, SessionDep, SettingsDep
from backend.db import User
from backend.schemas.accounts import AuthStatus, Credentials, LoginResult, UserOut
from backend.schemas.common import Ok
from backend.services import accounts, audit, logins
from backend.services.errors import Forbidden

router = APIRouter(prefix="/auth", tags=["auth"])


def _login(
    session: SessionDep, username: str, password: str, address: str | None = None
) -> LoginResult:
    user, row, token = logins.login(session, username, password, address)
    return LoginResult(
        access_token=token, expires_at=row.expires_at, user=UserOut.model_validate(user)
    )


@router.get("/status", name="status")
def auth_status(session: SessionDep, settings: SettingsDep) -> AuthStatus:
    """Whether the first account (the admin) still has to be created."""
    return AuthStatus(needs_setup=accounts.needs_setup(session), allow_signup=settings.allow_signup)


@router.post("/setup", name="setup", status_code=201)
def setup(
    body: Credentials,
    session: SessionDep,
    address: AddressDep,
    settings: SettingsDep,
    x_setup_token: Annotated[
        str | None, Header(description="SETUP_TOKEN; needed when ENVIRONMENT=production")
    ] = None,
) -> LoginResult:
    """Create the first account, an admin, and log it in; 409 once any account exists. The
    password: at least PASSWORD_MIN_LENGTH (12) characters, not the username (422). With
    ENVIRONMENT=production it needs the X-Setup-Token header (SETUP_TOKEN) and is refused
    without one configured (403): the first admin is then made with `python -m backend.manage
    create-admin`, so that whoever reaches a new server first cannot make themselves admin."""
    if settings.environment == "production":
        if not settings.setup_token:
            raise Forbidden(
                "setup over the API is off in production (no SETUP_TOKEN): create the first "
                "admin with `python -m backend.manage create-admin <username>`"
            )
        if not secrets.compare_digest(x_setup_token or "", settings.setup_token):
            raise Forbidden("a wrong or missing X-Setup-Token header")
    logins.check_new_password(body.username, body.password)
    audit.record(session, "auth.setup", None, actor_name=body.username, address=address)
    accounts.setup_admin(session, body.username, body.password)
    return _login(session, body.username, body.password)


@router.post("/signup", name="signup", status_code=201)
def signup(body: Credentials, session: SessionDep, address: AddressDep) -> LoginResult:
    """Create an account (when sign-up is allowed) and log it in; the password as for setup."""
    logins.check_new_password(body.username, body.password)
    audit.record(session, "user.signup", None, actor_name=body.username, address=address)
    accounts.signup(session, body.username, body.password)
    return _login(session, body.username, body.password)


@router.post("/login", name="login")
def login(body: Credentials, session: SessionDep, request: Request) -> LoginResult:
    """Exchange a username and password for a bearer token. Failed logins are throttled per
    account and per client address: 429 with Retry-After once too many failed."""
    address = request.client.host if request.client else "unknown"
    return _login(session, body.username, body.password, address)


@router.post("/logout", name="logout")
def logout(session: SessionDep, token: CurrentToken, address: AddressDep) -> Ok:
    """Revoke the token this request carries."""
    audit.record(session, "auth.logout", session.get(User, token.user_id), address=address)
    accounts.revoke(session, token)
    return Ok()
