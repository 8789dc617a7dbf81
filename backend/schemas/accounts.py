from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field

from backend.schemas.common import NoBidi, OrmModel

Username = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")]
Password = Annotated[
    str,
    Field(
        min_length=4,
        max_length=256,
        description="a new account's: at least PASSWORD_MIN_LENGTH (default 12) characters and "
        "not the username (422 otherwise; DEMO_MODE lifts this)",
    ),
]


class AuthStatus(BaseModel):
    needs_setup: bool
    allow_signup: bool


class Credentials(BaseModel):
    username: Username
    password: Password


class UserCreate(Credentials):
    is_admin: bool = False


class UserOut(OrmModel):
    id: int
    username: str
    is_admin: bool
    is_active: bool
    created_at: datetime


class LoginResult(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime | None
    user: UserOut


class TokenCreate(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=100), NoBidi]
    expires_in_days: float | None = Field(
        default=None, gt=0, le=36_500, allow_inf_nan=False, description="at most 100 years"
    )


class TokenOut(OrmModel):
    id: int
    kind: str
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenOut):
    token: str = Field(description="the token itself; shown only in this answer")


class AuditEventOut(OrmModel):
    id: int
    created_at: datetime
    actor_id: int | None
    actor: str = Field(description="the username (kept after the account is deleted)")
    action: str = Field(
        description="e.g. auth.login, auth.login_failed, member.add, export.annotations"
    )
    project_id: int | None
    target: str
    address: str = Field(description="the client's address")
    detail: dict[str, Any]
