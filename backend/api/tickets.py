"""Tickets for URLs: short-lived, single-purpose stand-ins for the bearer token (docs/
architecture.md, "Security")."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from backend.api.deps import CurrentToken, CurrentUser, SessionDep
from backend.schemas.common import Id
from backend.services import tickets
from backend.services.errors import Invalid
from backend.services.projects import require_access

router = APIRouter(prefix="/tickets", tags=["tickets"])


class TicketRequest(BaseModel):
    purpose: Literal["events", "files"] = Field(
        description="events: open the event stream (?ticket= on /api/events); files: read one "
        "project's image files, thumbnails, originals, exports and model weights"
    )
    project_id: Id | None = Field(default=None, description="the project (files tickets)")


class TicketOut(BaseModel):
    ticket: str = Field(description="put it in the URL as ?ticket=")
    purpose: str
    project_id: int | None
    expires_at: datetime
    expires_in: float = Field(description="seconds")


@router.post("", name="create", status_code=201)
def create_ticket(
    body: TicketRequest, session: SessionDep, token: CurrentToken, user: CurrentUser
) -> TicketOut:
    """A ticket for a URL, made with the bearer token in the header: an events ticket opens the
    event stream within EVENT_TICKET_SECONDS (60); a files ticket reads one project's files for
    FILE_TICKET_SECONDS (900). Logging out (revoking that token) ends its tickets."""
    if body.purpose == "files":
        if body.project_id is None:
            raise Invalid("a files ticket needs project_id")
        require_access(session, user, body.project_id, "viewer")
    project_id = body.project_id if body.purpose == "files" else None
    ticket, expires_at = tickets.issue(token, body.purpose, project_id)
    return TicketOut(
        ticket=ticket,
        purpose=body.purpose,
        project_id=project_id,
        expires_at=expires_at,
        expires_in=tickets.lifetime(body.purpose),
    )
