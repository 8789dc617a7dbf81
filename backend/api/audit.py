"""The audit log, for admins (docs/architecture.md, "Security")."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from backend.api.deps import AdminUser, SessionDep
from backend.schemas.accounts import AuditEventOut
from backend.schemas.common import Id
from backend.services import audit

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", name="list")
def list_audit_events(
    session: SessionDep,
    _admin: AdminUser,
    action: Annotated[
        str | None, Query(max_length=64, description="e.g. auth.login_failed")
    ] = None,
    actor_id: Id | None = None,
    project_id: Id | None = None,
    before_id: Annotated[Id | None, Query(description="the last id of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[AuditEventOut]:
    """Who did what, when: logins and failed logins, logouts, accounts, tokens, member and role
    changes, deletes, exports and worker credentials; newest first."""
    rows = audit.events(session, action, actor_id, project_id, before_id, limit)
    return [AuditEventOut.model_validate(row) for row in rows]
