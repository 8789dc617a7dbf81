"""Typed dependencies: the session, the settings, the current user, project access by role."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from backend.db import ApiToken, User
from backend.db.session import get_session
from backend.schemas.common import Id
from backend.services import accounts, tickets, worker_credentials
from backend.services.blobs import BlobStore, blob_store
from backend.services.errors import Forbidden, Unauthorized
from backend.services.projects import ProjectAccess, require_access
from backend.settings import Settings, get_settings

SessionDep = Annotated[Session, Depends(get_session)]


def client_address(request: Request) -> str:
    """The client's address as the server sees it (behind a proxy: the proxy's, unless uvicorn
    runs with --proxy-headers)."""
    return request.client.host if request.client else ""


AddressDep = Annotated[str, Depends(client_address)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
BlobStoreDep = Annotated[BlobStore, Depends(blob_store)]

_bearer = HTTPBearer(auto_error=False, description="a login token or a personal API token")
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


SESSION_COOKIE = "metaloop_session"  # the web client's session: HttpOnly, SameSite=Strict
CSRF_HEADER = "X-MetaLoop-CSRF"  # a write authenticated by the cookie must carry it
_UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def request_token(request: Request, credentials: HTTPAuthorizationCredentials | None) -> str | None:
    """The bearer token of the Authorization header, else the session cookie's. A write
    authenticated by the cookie needs the CSRF header (which a cross-site form cannot send);
    Forbidden (403) without it."""
    if credentials is not None:
        return credentials.credentials
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie and request.method in _UNSAFE_METHODS and CSRF_HEADER not in request.headers:
        raise Forbidden(
            f"a write authenticated by the session cookie needs the {CSRF_HEADER} header"
        )
    return cookie or None


def _token_row(session: Session, token: str | None) -> ApiToken:
    if not token:
        raise Unauthorized("not authenticated: send 'Authorization: Bearer <token>'")
    row = accounts.token_row(session, token)
    if row is None:
        raise Unauthorized("the token is unknown, revoked or expired: log in again")
    return row


def current_token(request: Request, session: SessionDep, credentials: BearerDep) -> ApiToken:
    return _token_row(session, request_token(request, credentials))


def _user(session: Session, row: ApiToken) -> User:
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise Unauthorized("this account is disabled")
    return user


CurrentToken = Annotated[ApiToken, Depends(current_token)]


def current_user(session: SessionDep, row: CurrentToken) -> User:
    return _user(session, row)


CurrentUser = Annotated[User, Depends(current_user)]


def admin_user(user: CurrentUser) -> User:
    if not user.is_admin:
        raise Forbidden("this needs an admin account")
    return user


AdminUser = Annotated[User, Depends(admin_user)]


def _access(min_role: str):
    def dependency(project_id: Id, session: SessionDep, user: CurrentUser) -> ProjectAccess:
        return require_access(session, user, project_id, min_role)

    return dependency


def _access_with_ticket(
    request: Request,
    project_id: Id,
    session: SessionDep,
    credentials: BearerDep,
    ticket: Annotated[
        str | None,
        Query(
            max_length=1000,
            description="a files ticket (POST /api/tickets) where no header can be sent "
            "(<img src>, a download link); never the bearer token",
        ),
    ] = None,
) -> ProjectAccess:
    token = request_token(request, credentials)
    if token:
        user = _user(session, _token_row(session, token))
    elif ticket:
        claims, user = tickets.check(session, ticket, "files")
        if claims.project_id != project_id:
            raise Forbidden(f"this ticket is for project {claims.project_id}, not {project_id}")
    else:
        raise Unauthorized(
            "not authenticated: send 'Authorization: Bearer <token>', or ?ticket= with a files "
            "ticket from POST /api/tickets"
        )
    return require_access(session, user, project_id, "viewer")


ViewerAccess = Annotated[ProjectAccess, Depends(_access("viewer"))]
AnnotatorAccess = Annotated[ProjectAccess, Depends(_access("annotator"))]
OwnerAccess = Annotated[ProjectAccess, Depends(_access("owner"))]
ViewerAccessQueryToken = Annotated[ProjectAccess, Depends(_access_with_ticket)]


@dataclass(frozen=True)
class WorkerIdentity:
    """Who calls the worker API: `name` None for the shared WORKER_TOKEN (any worker name), else
    the name of the worker an admin issued the token for."""

    name: str | None

    def check(self, name: str) -> None:
        if self.name is not None and name != self.name:
            raise Forbidden(f"this worker token belongs to worker {self.name!r}, not to {name!r}")


def worker_auth(
    credentials: BearerDep, settings: SettingsDep, session: SessionDep
) -> WorkerIdentity:
    if credentials is None:
        raise Unauthorized("the worker API needs 'Authorization: Bearer <worker token>'")
    token = credentials.credentials
    if settings.worker_token and secrets.compare_digest(token, settings.worker_token):
        return WorkerIdentity(None)
    name = worker_credentials.name_for(session, token)
    if name is None:
        raise Unauthorized("wrong worker token (unknown or revoked)")
    return WorkerIdentity(name)


WorkerAuth = Depends(worker_auth)
WorkerIdentityDep = Annotated[WorkerIdentity, Depends(worker_auth)]
