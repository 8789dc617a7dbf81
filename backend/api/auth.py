from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Header, Request, Response

from backend.api.deps import SESSION_COOKIE, AddressDep, CurrentToken, SessionDep, SettingsDep
from backend.db import User
from backend.schemas.accounts import AuthStatus, Credentials, LoginResult, UserOut
from backend.schemas.common import Ok
from backend.services import accounts, audit, logins
from backend.services.errors import Forbidden
from backend.settings import get_settings

router = APIRouter(prefix="/auth", tags=["auth"])


def _login(
    session: SessionDep,
    response: Response,
    username: str,
    password: str,
    address: str | None = None,
    audit_address: str | None = None,
) -> LoginResult:
    """Log in: the token in the answer (for API clients) and in the session cookie (for the web
    client: HttpOnly, so scripts cannot read it; SameSite=Strict; Secure over HTTPS)."""
    user, row, token = logins.login(session, username, password, address, audit_address)
    settings = get_settings()
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(settings.session_token_days * 86400),
        path="/api",
        httponly=True,
        samesite="strict",
        secure=bool(settings.session_cookie_secure),
    )
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
    response: Response,
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
    return _login(session, response, body.username, body.password, audit_address=address)


@router.post("/signup", name="signup", status_code=201)
def signup(
    body: Credentials, session: SessionDep, address: AddressDep, response: Response
) -> LoginResult:
    """Create an account (when sign-up is allowed) and log it in; the password as for setup."""
    logins.check_new_password(body.username, body.password)
    audit.record(session, "user.signup", None, actor_name=body.username, address=address)
    accounts.signup(session, body.username, body.password)
    return _login(session, response, body.username, body.password, audit_address=address)


@router.post("/login", name="login")
def login(
    body: Credentials, session: SessionDep, request: Request, response: Response
) -> LoginResult:
    """Exchange a username and password for a bearer token (also set as the HttpOnly session
    cookie the web client uses). Failed logins are throttled per account and per client
    address: 429 with Retry-After once too many failed."""
    address = request.client.host if request.client else "unknown"
    return _login(session, response, body.username, body.password, address)


@router.post("/logout", name="logout")
def logout(session: SessionDep, token: CurrentToken, address: AddressDep, response: Response) -> Ok:
    """Revoke the token this request carries (header or cookie) and clear the cookie."""
    audit.record(session, "auth.logout", session.get(User, token.user_id), address=address)
    accounts.revoke(session, token)
    response.delete_cookie(SESSION_COOKIE, path="/api")
    return Ok()
