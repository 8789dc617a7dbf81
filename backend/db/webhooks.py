"""Webhooks: URLs a project registers for events, and the outbox of their deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, utcnow

WEBHOOK_EVENTS = ("job.succeeded", "job.failed", "model.created", "import.finished")
# pending: waits for next_attempt_at; sending: claimed by a sender until next_attempt_at;
# delivered: the target answered 2xx; failed: no 2xx after the last attempt (or the hook is gone)
DELIVERY_STATES = ("pending", "sending", "delivered", "failed")


class Webhook(Base):
    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(2048))
    # the HMAC key: kept as is (it must sign), shown to the owner at creation and rotation only
    secret: Mapped[str] = mapped_column(String(128))
    events: Mapped[list[Any]] = mapped_column(default=list)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_status: Mapped[int | None]  # HTTP status of the last attempt (None: no answer)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_delivery_at: Mapped[datetime | None]


class WebhookDelivery(Base):
    """One event for one webhook (an outbox row, written in the transaction of the change)."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(
        ForeignKey("webhooks.id", ondelete="CASCADE"), index=True
    )
    event: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {"event", "project_id", "data"}
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempt: Mapped[int] = mapped_column(default=0)  # attempts made; the claim's compare-and-set
    status_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]
