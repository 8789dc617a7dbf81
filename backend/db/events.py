from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, utcnow


class EventRecord(Base):
    """A published server event, kept for a while so that a client that reconnects with
    `Last-Event-ID` gets the events it missed (docs/architecture.md, "Events")."""

    __tablename__ = "event_log"

    id: Mapped[int] = mapped_column(primary_key=True)  # the SSE event id
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )  # None: a worker event
    type: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
