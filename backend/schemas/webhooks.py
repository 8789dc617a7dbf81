from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from backend.schemas.common import OrmModel

WebhookEvent = Literal["job.succeeded", "job.failed", "model.created", "import.finished"]
WebhookUrl = Field(
    min_length=1,
    max_length=2048,
    description="http or https; a host in a private, loopback, link-local, multicast or reserved "
    "range is refused unless the server sets WEBHOOKS_ALLOW_PRIVATE",
    examples=["https://ci.example.com/metaloop-hook"],
)


class WebhookIn(BaseModel):
    url: str = WebhookUrl
    events: list[WebhookEvent] | None = Field(
        default=None, min_length=1, description="the events to send; default: all of them"
    )
    active: bool = True


class WebhookUpdate(BaseModel):
    url: str | None = Field(default=None, min_length=1, max_length=2048)
    events: list[WebhookEvent] | None = Field(default=None, min_length=1)
    active: bool | None = None
    rotate_secret: bool = Field(
        default=False, description="replace the secret; the answer carries the new one, once"
    )


class WebhookOut(OrmModel):
    id: int
    project_id: int
    url: str
    events: list[str]
    active: bool
    created_at: datetime
    last_status: int | None
    last_error: str | None
    last_delivery_at: datetime | None
    secret: str | None = Field(
        default=None,
        description="the HMAC-SHA256 key of X-MetaLoop-Signature: only in the answer to the "
        "creation or to a rotation (rotate_secret), never again",
    )


class WebhookDeliveryOut(OrmModel):
    id: int
    webhook_id: int
    event: str
    payload: dict[str, Any]
    state: Literal["pending", "sending", "delivered", "failed"]
    attempt: int
    status_code: int | None
    error: str | None
    next_attempt_at: datetime | None
    created_at: datetime
    delivered_at: datetime | None
