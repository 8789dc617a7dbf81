from __future__ import annotations

from fastapi import APIRouter

from backend.api.deps import AddressDep, AdminUser, CurrentUser, SessionDep
from backend.schemas.accounts import UserCreate, UserOut
from backend.services import accounts, audit, logins

router = APIRouter(prefix="/users", tags=["users"])


@router.get("/me", name="me")
def me(user: CurrentUser) -> UserOut:
    return UserOut.model_validate(user)


@router.get("", name="list")
def list_users(session: SessionDep, _admin: AdminUser) -> list[UserOut]:
    return [UserOut.model_validate(u) for u in accounts.list_users(session)]


@router.post("", name="create", status_code=201)
def create_user(
    body: UserCreate, session: SessionDep, admin: AdminUser, address: AddressDep
) -> UserOut:
    """Admins create accounts (also when sign-up is disabled); the password as for setup."""
    logins.check_new_password(body.username, body.password)
    detail = {"is_admin": body.is_admin}
    audit.record(
        session, "user.create", admin, address=address, target=body.username, detail=detail
    )
    user = accounts.create_user(session, body.username, body.password, body.is_admin)
    return UserOut.model_validate(user)
