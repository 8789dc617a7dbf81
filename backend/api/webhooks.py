"""Webhooks of a project (owners only): register URLs for events, send a test delivery, see
their deliveries."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from backend.api.deps import AddressDep, OwnerAccess, SessionDep
from backend.api.responses import error_responses
from backend.db import Webhook
from backend.schemas.common import Id
from backend.schemas.webhooks import WebhookDeliveryOut, WebhookIn, WebhookOut, WebhookUpdate
from backend.services import audit, webhooks

router = APIRouter(prefix="/projects/{project_id}/webhooks", tags=["webhooks"])


def _out(hook: Webhook, with_secret: bool = False) -> WebhookOut:
    out = WebhookOut.model_validate(hook)
    out.secret = hook.secret if with_secret else None
    return out


@router.get("", name="list")
def list_webhooks(access: OwnerAccess, session: SessionDep) -> list[WebhookOut]:
    return [_out(h) for h in webhooks.list_webhooks(session, access.project.id)]


@router.post("", name="create", status_code=201)
def create_webhook(body: WebhookIn, access: OwnerAccess, session: SessionDep) -> WebhookOut:
    """Register a URL; the answer carries the signing secret, which is not shown again (rotate it
    with PATCH `rotate_secret` if it is lost)."""
    hook = webhooks.create_webhook(session, access.project.id, body.url, body.events, body.active)
    return _out(hook, with_secret=True)


@router.get("/{hook_id}", name="get")
def get_webhook(hook_id: Id, access: OwnerAccess, session: SessionDep) -> WebhookOut:
    return _out(webhooks.get_webhook(session, access.project.id, hook_id))


@router.patch("/{hook_id}", name="update")
def update_webhook(
    hook_id: Id, body: WebhookUpdate, access: OwnerAccess, session: SessionDep
) -> WebhookOut:
    hook = webhooks.get_webhook(session, access.project.id, hook_id)
    webhooks.update_webhook(
        session, hook, body.url, body.events, body.active, rotate_secret=body.rotate_secret
    )
    return _out(hook, with_secret=body.rotate_secret)


@router.delete("/{hook_id}", name="delete", status_code=204)
def delete_webhook(
    hook_id: Id, access: OwnerAccess, session: SessionDep, address: AddressDep
) -> Response:
    audit.record(
        session, "webhook.delete", access.user, address=address, project_id=access.project.id,
        target=f"webhook {hook_id}",
    )  # fmt: skip
    webhooks.delete_webhook(session, webhooks.get_webhook(session, access.project.id, hook_id))
    return Response(status_code=204)


@router.get("/{hook_id}/deliveries", name="deliveries")
def list_deliveries(
    hook_id: Id,
    access: OwnerAccess,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[WebhookDeliveryOut]:
    """The last deliveries, newest first, with their state, attempts and last status."""
    hook = webhooks.get_webhook(session, access.project.id, hook_id)
    return [
        WebhookDeliveryOut.model_validate(d) for d in webhooks.list_deliveries(session, hook, limit)
    ]


@router.post("/{hook_id}/test", name="test", status_code=202, responses=error_responses(409))
def send_test_delivery(hook_id: Id, access: OwnerAccess, session: SessionDep) -> WebhookDeliveryOut:
    """Queue a `webhook.test` delivery to this webhook, whatever events it subscribes to: signed,
    sent and retried like any event (watch it in `GET .../deliveries`). Payload: `{"event":
    "webhook.test", "project_id", "data": {"webhook_id", "url", "requested_by"},
    "delivered_at"}`. 202 with the queued delivery (state `pending`); 409 if the webhook is
    inactive."""
    hook = webhooks.get_webhook(session, access.project.id, hook_id)
    delivery = webhooks.send_test(session, hook, access.user.username)
    return WebhookDeliveryOut.model_validate(delivery)
