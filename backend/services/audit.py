"""The audit log: who did what, when (issue 23; docs/architecture.md, "Security").

Recorded: logins and failed logins, logouts, account creation, personal token creation and
revocation, member and role changes, deletes of projects, images, classes and webhooks, exports
of annotations, predictions and model weights, and worker credentials issued and revoked. A
record is added to the transaction of the change it describes, so a change that fails leaves
none; a failed login, which changes nothing, is recorded in a transaction of its own.
Admins read the log at ``GET /api/audit``."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.db import AuditEvent, User
from backend.db.session import new_session

log = logging.getLogger(__name__)


def record(
    session: Session,
    action: str,
    actor: User | None,
    *,
    address: str | None = None,
    project_id: int | None = None,
    target: str = "",
    detail: dict[str, Any] | None = None,
    actor_name: str | None = None,
) -> None:
    """Add an audit record to the session's transaction (committed with the change)."""
    session.add(
        AuditEvent(
            actor_id=actor.id if actor is not None else None,
            actor=(actor.username if actor is not None else actor_name or "")[:64],
            action=action,
            project_id=project_id,
            target=target[:255],
            address=(address or "")[:64],
            detail=detail or {},
        )
    )


def record_alone(
    action: str,
    actor_name: str,
    address: str | None,
    detail: dict[str, Any],
    project_id: int | None = None,
    target: str = "",
) -> None:
    """Record in a transaction of its own (a failed login, a download: nothing else is written);
    never raises."""
    try:
        with new_session() as session:
            actor = session.scalar(select(User).where(User.username == actor_name))
            record(
                session,
                action,
                actor,
                address=address,
                detail=detail,
                actor_name=actor_name,
                project_id=project_id,
                target=target,
            )
            session.commit()
    except Exception:  # noqa: BLE001 - the answer to the request does not depend on it
        log.exception("could not record %s for %r in the audit log", action, actor_name)


def events(
    session: Session,
    action: str | None,
    actor_id: int | None,
    project_id: int | None,
    before_id: int | None,
    limit: int,
) -> list[AuditEvent]:
    """Newest first; `before_id` pages back (the last id of the previous page)."""
    query = select(AuditEvent)
    if action:
        query = query.where(AuditEvent.action == action)
    if actor_id is not None:
        query = query.where(AuditEvent.actor_id == actor_id)
    if project_id is not None:
        query = query.where(AuditEvent.project_id == project_id)
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    return list(session.scalars(query.order_by(AuditEvent.id.desc()).limit(limit)))
