from __future__ import annotations

from fastapi import APIRouter, Response

from backend.api.deps import AddressDep, OwnerAccess, SessionDep, ViewerAccess
from backend.db import ProjectMember, User
from backend.schemas.common import Id
from backend.schemas.projects import MemberIn, MemberOut, MemberUpdate
from backend.services import audit, projects

router = APIRouter(prefix="/projects/{project_id}/members", tags=["members"])


def _named(session: SessionDep, user_id: int) -> str:
    """How the audit log names a member: their username (``user N`` if there is none)."""
    user = session.get(User, user_id)
    return user.username if user is not None else f"user {user_id}"


def _out(member: ProjectMember, user: User) -> MemberOut:
    return MemberOut(
        user_id=user.id,
        username=user.username,
        role=member.role,  # type: ignore[arg-type]
        created_at=member.created_at,
    )


@router.get("", name="list")
def list_members(access: ViewerAccess, session: SessionDep) -> list[MemberOut]:
    return [_out(m, u) for m, u in projects.list_members(session, access.project.id)]


@router.post("", name="add", status_code=201)
def add_member(
    body: MemberIn, access: OwnerAccess, session: SessionDep, address: AddressDep
) -> MemberOut:
    """Add a user (by username or id) with a role: owner, annotator or viewer."""
    audit.record(
        session,
        "member.add",
        access.user,
        address=address,
        project_id=access.project.id,
        target=body.username or _named(session, body.user_id),
        detail={"role": body.role},
    )
    member, user = projects.add_member(
        session, access.project.id, body.username, body.user_id, body.role
    )
    return _out(member, user)


@router.patch("/{user_id}", name="update")
def change_role(
    user_id: Id, body: MemberUpdate, access: OwnerAccess, session: SessionDep, address: AddressDep
) -> MemberOut:
    audit.record(
        session,
        "member.role",
        access.user,
        address=address,
        project_id=access.project.id,
        target=_named(session, user_id),
        detail={"role": body.role},
    )
    return _out(*projects.change_role(session, access.project.id, user_id, body.role))


@router.delete("/{user_id}", name="remove", status_code=204)
def remove_member(
    user_id: Id, access: OwnerAccess, session: SessionDep, address: AddressDep
) -> Response:
    audit.record(
        session,
        "member.remove",
        access.user,
        address=address,
        project_id=access.project.id,
        target=_named(session, user_id),
    )
    projects.remove_member(session, access.project.id, user_id)
    return Response(status_code=204)
