"""Each worker's own token, issued and revoked by an admin (issue 23; docs/architecture.md,
"Security"). Only the token's sha256 is stored; the plaintext is shown once. A worker that
authenticates with one acts only under the credential's name: it registers, heartbeats and
starts tasks as that worker. The shared WORKER_TOKEN stays for the one-machine run and may be
left empty in production so that only issued tokens are accepted."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.db import User, WorkerCredential, utcnow
from backend.db.session import is_read_only
from backend.services.accounts import LAST_USED_RESOLUTION, hash_token
from backend.services.errors import Conflict, NotFound

TOKEN_PREFIX = "mlw_"


def issue(session: Session, name: str, admin: User | None) -> tuple[WorkerCredential, str]:
    """A new credential for worker `name` (Conflict if that name has a live one); commits and
    returns it with its plaintext token."""
    existing = session.scalar(select(WorkerCredential).where(WorkerCredential.name == name))
    if existing is not None and existing.revoked_at is None:
        raise Conflict(f"worker {name!r} has a token already: revoke it first")
    if existing is not None:
        session.delete(existing)
        session.flush()
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = WorkerCredential(
        name=name,
        token_hash=hash_token(plaintext),
        prefix=plaintext[:10],
        created_by_id=admin.id if admin is not None else None,
    )
    session.add(row)
    session.commit()
    return row, plaintext


def list_all(session: Session) -> list[WorkerCredential]:
    return list(session.scalars(select(WorkerCredential).order_by(WorkerCredential.id)))


def revoke(session: Session, credential_id: int) -> WorkerCredential:
    row = session.get(WorkerCredential, credential_id)
    if row is None:
        raise NotFound(f"worker credential {credential_id} not found")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    session.commit()
    return row


def name_for(session: Session, token: str) -> str | None:
    """The worker name a live issued token belongs to, or None."""
    row = session.scalar(
        select(WorkerCredential).where(WorkerCredential.token_hash == hash_token(token))
    )
    if row is None or row.revoked_at is not None:
        return None
    now = utcnow()
    stale = row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION
    if stale and not is_read_only(session):
        row.last_used_at = now  # committed with the request's change (worker API calls write)
    return row.name
