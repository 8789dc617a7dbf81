"""Tickets: short-lived, single-purpose, signed stand-ins for the bearer token in URLs (issue
23, "Tokens in URLs"; docs/architecture.md, "Security").

An `<img src>`, a download link or an EventSource cannot send an Authorization header, and a
bearer token in a URL ends up in access logs, browser history and Referer headers. Instead the
client asks for a ticket (``POST /api/tickets``) with its bearer token and puts that in the URL:

* ``events``: opens the user's event stream; valid ``EVENT_TICKET_SECONDS`` (60) to open it;
* ``files``: reads one project's image files, thumbnails, originals, exports and model weights;
  valid ``FILE_TICKET_SECONDS`` (900).

A ticket is signed with ``itsdangerous`` (HMAC-SHA1 over the payload and its time, one salt per
purpose) under ``SECRET_KEY``, or a random key kept in ``DATA_DIR/secret_key`` when that is
unset (one machine). It names the user, the purpose, the project and the login token it was
made with: revoking that token (logout) ends its tickets, and the user's access to the project
is checked again on every use."""

from __future__ import annotations

import os
import secrets
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Literal

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from backend.db import ApiToken, User, utcnow
from backend.services.errors import Unauthorized
from backend.settings import get_settings

Purpose = Literal["events", "files"]


@dataclass(frozen=True)
class Ticket:
    user_id: int
    token_id: int
    purpose: Purpose
    project_id: int | None


@lru_cache
def _key_file(data_dir: Path) -> str:
    """The key kept in DATA_DIR/secret_key (made by the first process that needs it); read once
    per process, not on every ticket.

    The key is written to a private temporary file and linked into place, which fails if the
    file exists: a process never reads a key file another process has created but not yet
    written (several API processes start at once), and the first link wins."""
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=data_dir, prefix=".secret_key-")
        try:
            with os.fdopen(descriptor, "w", encoding="ascii") as handle:  # mode 0600
                handle.write(secrets.token_hex(32))
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process linked its key first
        finally:
            os.unlink(temporary)
    return path.read_text(encoding="ascii").strip()


@lru_cache
def _serializer(key: str, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(key, salt=f"metaloop-ticket-{purpose}")


def _key() -> str:
    settings = get_settings()
    return settings.secret_key or _key_file(settings.data_dir)


def lifetime(purpose: Purpose) -> float:
    settings = get_settings()
    return settings.event_ticket_seconds if purpose == "events" else settings.file_ticket_seconds


def issue(token: ApiToken, purpose: Purpose, project_id: int | None) -> tuple[str, datetime]:
    """A ticket for the bearer of `token`, and when it expires."""
    payload = {"u": token.user_id, "k": token.id, "p": project_id}
    ticket = _serializer(_key(), purpose).dumps(payload)
    return str(ticket), utcnow() + timedelta(seconds=lifetime(purpose))


def check(session: Session, ticket: str, purpose: Purpose) -> tuple[Ticket, User]:
    """The ticket's claims and its live user; Unauthorized (401) when it is forged, expired,
    for another purpose, or its login token was revoked (logout) or its account disabled."""
    try:
        payload = _serializer(_key(), purpose).loads(ticket, max_age=lifetime(purpose))
    except SignatureExpired:
        raise Unauthorized(f"the {purpose} ticket has expired: ask for a new one") from None
    except BadSignature:
        raise Unauthorized(f"not a valid {purpose} ticket") from None
    claims = Ticket(int(payload["u"]), int(payload["k"]), purpose, payload.get("p"))
    user = live_user(session, claims)
    if user is None:
        raise Unauthorized("the session this ticket came from has ended: log in again")
    return claims, user


def live_user(session: Session, claims: Ticket) -> User | None:
    """The ticket's user while the login token it came from is live and the account active."""
    token = session.get(ApiToken, claims.token_id)
    now = utcnow()
    if token is None or token.revoked_at is not None or token.user_id != claims.user_id:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    user = session.get(User, claims.user_id)
    return user if user is not None and user.is_active else None
