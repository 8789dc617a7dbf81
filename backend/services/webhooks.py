"""Webhooks: registration, URL checks against SSRF, the delivery outbox and its sender.

* **Outbox.** An event (``job.succeeded``, ``job.failed``, ``model.created``,
  ``import.finished``) adds one ``webhook_deliveries`` row per subscribed active webhook, in the
  transaction of the change it announces: a delivery exists if and only if the change committed.
  ``import.finished`` goes out when an import job ends in any state (:func:`import_finished`).
* **Sender.** A thread in every API process (:class:`WebhookSender`) posts due deliveries with
  httpx. It claims a row with a compare-and-set ``UPDATE`` on its attempt number, so when several
  processes send at once exactly one posts a given attempt; a claim lasts the request's timeout
  (plus a margin), after which a row whose sender died is taken again.
* **Signature.** The body is signed as GitHub does: ``X-MetaLoop-Signature: sha256=<hex
  HMAC-SHA256 of the raw body, keyed with the webhook's secret>``.
* **Test.** :func:`send_test` queues a ``webhook.test`` delivery to one webhook (whatever events
  it subscribes to) through the same outbox, signature and retries.
* **TLS.** An https target's certificate is verified against ``WEBHOOKS_CA_BUNDLE`` (a PEM file
  of CA certificates) when set, else certifi's store (the Mozilla CAs), for the URL's host name.
* **Retries.** A failed attempt (no answer, or not 2xx) is retried after ``WEBHOOK_RETRY_SECONDS``,
  doubled each time, up to ``WEBHOOK_MAX_ATTEMPTS``; the webhook keeps the last status and error.
* **SSRF.** Only http and https; a host that resolves to a private, loopback, link-local,
  multicast, reserved or otherwise non-global address is refused unless
  ``WEBHOOKS_ALLOW_PRIVATE`` is set. The check runs at registration and again at every delivery,
  and the request goes to the address that was checked (so a DNS answer that changes in between
  cannot redirect it); redirects are not followed.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import socket
import ssl
import threading
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import certifi
import httpx
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from backend import __version__
from backend.db import Job, Model, Webhook, WebhookDelivery, utcnow
from backend.db.webhooks import WEBHOOK_EVENTS
from backend.services.errors import Conflict, Invalid, NotFound
from backend.services.outbox import after_commit
from backend.settings import get_settings

log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 3600.0
CLAIM_MARGIN_SECONDS = 30.0
BATCH = 50
TEST_EVENT = "webhook.test"  # sent on request to one webhook, whatever events it subscribes to
IMPORT_PROBLEMS_IN_PAYLOAD = 20  # an import.finished payload lists this many of its problems
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_wake = threading.Event()  # set after a commit that added deliveries: the sender looks at once


# --- URL checks -------------------------------------------------------------------------------


def _refused_reason(address: IPAddress) -> str | None:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    for name in ("loopback", "private", "link_local", "multicast", "reserved", "unspecified"):
        if getattr(address, f"is_{name}"):
            return name.replace("_", "-")
    if not address.is_global:
        return "non-global"
    return None


def resolve(url: str, allow_private: bool) -> tuple[str, int, list[IPAddress]]:
    """Check a webhook URL and resolve its host: (host, port, addresses), every address allowed.

    Raises Invalid (422) for a scheme other than http/https, a host that does not resolve, or an
    address in a refused range (unless ``allow_private``)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise Invalid(f"webhook URL {url!r} is malformed: {error}") from None
    if parts.scheme not in ("http", "https"):
        raise Invalid(f"webhook URL {url!r}: only http and https are allowed")
    host = parts.hostname
    if not host:
        raise Invalid(f"webhook URL {url!r} has no host")
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise Invalid(f"webhook host {host!r} does not resolve: {error}") from None
    addresses: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        reason = _refused_reason(address)
        if reason and not allow_private:
            raise Invalid(
                f"webhook host {host!r} resolves to {address}, a {reason} address: refused "
                "(an admin may allow such targets with WEBHOOKS_ALLOW_PRIVATE=true)"
            )
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise Invalid(f"webhook host {host!r} does not resolve")
    return host, port, addresses


def check_url(url: str) -> None:
    resolve(url, get_settings().webhooks_allow_private)


# --- registration -----------------------------------------------------------------------------


def new_secret() -> str:
    return secrets.token_hex(32)


def _events(events: Sequence[str] | None) -> list[str]:
    chosen = list(dict.fromkeys(events)) if events is not None else list(WEBHOOK_EVENTS)
    unknown = [e for e in chosen if e not in WEBHOOK_EVENTS]
    if unknown or not chosen:
        raise Invalid(f"events must be some of {', '.join(WEBHOOK_EVENTS)} (got {chosen})")
    return chosen


def create_webhook(
    session: Session, project_id: int, url: str, events: Sequence[str] | None, active: bool
) -> Webhook:
    check_url(url)
    hook = Webhook(
        project_id=project_id, url=url, secret=new_secret(), events=_events(events), active=active
    )
    session.add(hook)
    session.commit()
    return hook


def list_webhooks(session: Session, project_id: int) -> list[Webhook]:
    return list(
        session.scalars(
            select(Webhook).where(Webhook.project_id == project_id).order_by(Webhook.id)
        )
    )


def get_webhook(session: Session, project_id: int, hook_id: int) -> Webhook:
    hook = session.get(Webhook, hook_id)
    if hook is None or hook.project_id != project_id:
        raise NotFound(f"webhook {hook_id} not found in project {project_id}")
    return hook


def update_webhook(
    session: Session,
    hook: Webhook,
    url: str | None = None,
    events: Sequence[str] | None = None,
    active: bool | None = None,
    rotate_secret: bool = False,
) -> Webhook:
    if url is not None:
        check_url(url)
        hook.url = url
    if events is not None:
        hook.events = _events(events)
    if active is not None:
        hook.active = active
    if rotate_secret:
        hook.secret = new_secret()
    session.commit()
    return hook


def delete_webhook(session: Session, hook: Webhook) -> None:
    session.delete(hook)
    session.commit()


def list_deliveries(session: Session, hook: Webhook, limit: int) -> list[WebhookDelivery]:
    return list(
        session.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.webhook_id == hook.id)
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        )
    )


# --- events (the outbox) ----------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _queue(session: Session, hook: Webhook, event: str, payload: dict[str, Any]) -> WebhookDelivery:
    delivery = WebhookDelivery(
        webhook_id=hook.id, event=event, payload=payload, state="pending", next_attempt_at=utcnow()
    )
    session.add(delivery)
    after_commit(session, _wake.set)
    return delivery


def send_test(session: Session, hook: Webhook, requested_by: str) -> WebhookDelivery:
    """Queue a ``webhook.test`` delivery to `hook` and commit; the sender posts it like any event
    (signed, retried). Payload: ``{"event": "webhook.test", "project_id", "data": {"webhook_id",
    "url", "requested_by"}}``. Raises Conflict (409) when the webhook is inactive."""
    if not hook.active:
        raise Conflict(f"webhook {hook.id} is inactive: activate it to send a test delivery")
    data = {"webhook_id": hook.id, "url": hook.url, "requested_by": requested_by}
    payload = {"event": TEST_EVENT, "project_id": hook.project_id, "data": data}
    delivery = _queue(session, hook, TEST_EVENT, payload)
    session.commit()
    return delivery


def enqueue_event(session: Session, project_id: int, event: str, data: dict[str, Any]) -> int:
    """Add a delivery for each active webhook of the project subscribed to `event`, in the
    caller's transaction; the sender is woken after commit. Returns how many were added."""
    if event not in WEBHOOK_EVENTS:
        raise ValueError(f"unknown webhook event {event!r}")
    hooks = session.scalars(
        select(Webhook).where(Webhook.project_id == project_id, Webhook.active.is_(True))
    ).all()
    added = 0
    payload = {"event": event, "project_id": project_id, "data": data}
    for hook in hooks:
        if event in (hook.events or []):
            _queue(session, hook, event, payload)
            added += 1
    return added


def job_finished(session: Session, job: Job) -> None:
    """`job.succeeded` / `job.failed` (a cancelled job sends neither: a person did it); and for
    an import job, `import.finished` whatever its end state (:func:`import_finished`). Called in
    the transaction that ends the job."""
    if job.kind == "import":
        import_finished(session, job)
    if job.state not in ("succeeded", "failed"):
        return
    data = {
        "job_id": job.id,
        "kind": job.kind,
        "state": job.state,
        "error": job.error,
        "model_id": job.model_id,
        "result_model_id": job.result_model_id,
        "result": job.result,
        "started_at": _iso(job.started_at),
        "finished_at": _iso(job.finished_at),
    }
    enqueue_event(session, job.project_id, f"job.{job.state}", data)


def import_finished(session: Session, job: Job) -> None:
    """`import.finished` for an import job that ended, in any state. ``data``: ``job_id``,
    ``state`` (succeeded, failed or cancelled), ``format`` (coco, voc or yolo), ``file_name``
    (the upload's), ``images_added``, ``images_matched`` and ``annotations`` (what was stored:
    0 unless it succeeded), ``error`` (why it failed or null), ``problem_count`` (how many
    problems refused it: 0 unless refused) and ``problems`` (the first
    IMPORT_PROBLEMS_IN_PAYLOAD of them, each ``{item, reason}``), ``finished_at``."""
    result = job.result if isinstance(job.result, dict) else {}
    params = job.params if isinstance(job.params, dict) else {}
    stored = job.state == "succeeded"
    problems = result.get("problems") if job.state == "failed" else None
    problems = problems if isinstance(problems, list) else []
    data = {
        "job_id": job.id,
        "state": job.state,
        "format": result.get("format") or params.get("format"),
        "file_name": params.get("file_name"),
        "images_added": result.get("images_added", 0) if stored else 0,
        "images_matched": result.get("images_matched", 0) if stored else 0,
        "annotations": result.get("annotations", 0) if stored else 0,
        "error": job.error,
        "problem_count": result.get("problem_count", len(problems)) if problems else 0,
        "problems": problems[:IMPORT_PROBLEMS_IN_PAYLOAD],
        "finished_at": _iso(job.finished_at),
    }
    enqueue_event(session, job.project_id, "import.finished", data)


def model_created(session: Session, model: Model) -> None:
    if model.project_id is None:
        return
    data = {
        "model_id": model.id,
        "name": model.name,
        "architecture": model.architecture,
        "algorithm": model.algorithm,
        "parent_id": model.parent_id,
        "source_job_id": model.source_job_id,
        "created_at": _iso(model.created_at),
    }
    enqueue_event(session, model.project_id, "model.created", data)


# --- sending ----------------------------------------------------------------------------------


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def backoff_seconds(attempt: int) -> float:
    """Wait before attempt `attempt + 1`, after `attempt` failed ones."""
    base = get_settings().webhook_retry_seconds
    return min(MAX_BACKOFF_SECONDS, base * 2 ** max(0, attempt - 1))


@cache
def _tls_context(ca_bundle: str | None) -> ssl.SSLContext:
    """Verifies certificates and host names against `ca_bundle` (PEM), else certifi's store."""
    try:
        return ssl.create_default_context(cafile=ca_bundle or certifi.where())
    except (OSError, ssl.SSLError) as error:
        raise Invalid(f"WEBHOOKS_CA_BUNDLE {ca_bundle!r} cannot be read: {error}") from None


def _tls_problem(failure: httpx.HTTPError) -> str | None:
    """A sentence for a certificate that did not verify, or None for other failures."""
    cause: BaseException | None = failure
    while cause is not None and not isinstance(cause, ssl.SSLCertVerificationError):
        cause = cause.__cause__ or cause.__context__
    if cause is None:
        return None
    reason = cause.verify_message or str(cause)
    return (
        f"TLS certificate not trusted ({reason}): the target's certificate must be issued for "
        "its host by a CA in WEBHOOKS_CA_BUNDLE (default: certifi's public CAs)"
    )


def _post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> httpx.Response:
    """POST to the address checked just now (DNS rebinding), with the URL's host as Host and,
    for https, as the TLS server name (so the certificate is still verified for it)."""
    host, port, addresses = resolve(url, get_settings().webhooks_allow_private)
    address = addresses[0]
    target = httpx.URL(url)
    pinned = target.copy_with(host=str(address))
    default_port = 443 if target.scheme == "https" else 80
    headers = {**headers, "Host": host if port == default_port else f"{host}:{port}"}
    extensions = {"sni_hostname": host} if target.scheme == "https" else {}
    verify = _tls_context(get_settings().webhooks_ca_bundle)
    with httpx.Client(
        timeout=timeout, follow_redirects=False, trust_env=False, verify=verify
    ) as client:
        return client.post(pinned, content=body, headers=headers, extensions=extensions)


def _claim(session: Session, delivery_id: int, attempt: int, timeout: float) -> bool:
    now = utcnow()
    changed = session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.id == delivery_id,
            WebhookDelivery.attempt == attempt,
            WebhookDelivery.state.in_(("pending", "sending")),
            WebhookDelivery.next_attempt_at <= now,
        )
        .values(
            state="sending",
            attempt=attempt + 1,
            next_attempt_at=now + timedelta(seconds=timeout + CLAIM_MARGIN_SECONDS),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    session.commit()
    return changed == 1


def deliver(session: Session, delivery_id: int, attempt: int) -> bool:
    """Claim attempt `attempt + 1` of a due delivery and make it; False if another sender has it."""
    settings = get_settings()
    if not _claim(session, delivery_id, attempt, settings.webhook_timeout_seconds):
        return False
    attempt += 1
    delivery = session.get_one(WebhookDelivery, delivery_id, populate_existing=True)
    hook = session.get(Webhook, delivery.webhook_id)
    status: int | None = None
    error: str | None = None
    if hook is None or not hook.active:
        error = "the webhook was deactivated"
    else:
        sent_at = utcnow()
        body = json.dumps(
            {**delivery.payload, "delivered_at": sent_at.isoformat()}, separators=(",", ":")
        ).encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": f"MetaLoop-Webhook/{__version__}",
            "X-MetaLoop-Event": delivery.event,
            "X-MetaLoop-Delivery": str(delivery.id),
            "X-MetaLoop-Attempt": str(attempt),
            "X-MetaLoop-Signature": sign(hook.secret, body),
        }
        url = hook.url
        session.rollback()  # hold no transaction while waiting for the target
        try:
            answer = _post(url, body, headers, settings.webhook_timeout_seconds)
            status = answer.status_code
            if not answer.is_success:
                error = f"HTTP {status}: {answer.text[:200]}"
        except Invalid as refused:
            error = refused.detail
        except httpx.HTTPError as failure:
            error = (_tls_problem(failure) or f"{type(failure).__name__}: {failure}")[:500]
    _record(session, delivery_id, attempt, status, error)
    return True


def _record(
    session: Session, delivery_id: int, attempt: int, status: int | None, error: str | None
) -> None:
    settings = get_settings()
    now = utcnow()
    values: dict[str, Any] = {"status_code": status, "error": error}
    if error is None:
        values |= {"state": "delivered", "delivered_at": now, "next_attempt_at": None}
    elif attempt >= settings.webhook_max_attempts or error == "the webhook was deactivated":
        values |= {"state": "failed", "next_attempt_at": None}
    else:
        values |= {
            "state": "pending",
            "next_attempt_at": now + timedelta(seconds=backoff_seconds(attempt)),
        }
    changed = session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id, WebhookDelivery.attempt == attempt)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed == 1:
        delivery = session.get_one(WebhookDelivery, delivery_id, populate_existing=True)
        session.execute(
            update(Webhook)
            .where(Webhook.id == delivery.webhook_id)
            .values(last_status=status, last_error=error, last_delivery_at=now)
            .execution_options(synchronize_session=False)
        )
        level = logging.INFO if error is None else logging.WARNING
        log.log(level, "webhook delivery %s attempt %s: %s", delivery_id, attempt, error or status)
    session.commit()


def deliver_due(factory: sessionmaker[Session]) -> int:
    """Make every due attempt; returns how many this process made."""
    made = 0
    with factory() as session:
        due = session.execute(
            select(WebhookDelivery.id, WebhookDelivery.attempt)
            .where(
                WebhookDelivery.state.in_(("pending", "sending")),
                WebhookDelivery.next_attempt_at <= utcnow(),
            )
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
            .limit(BATCH)
        ).all()
        session.rollback()
        for delivery_id, attempt in due:
            made += deliver(session, delivery_id, attempt)
    return made


def prune(session: Session) -> int:
    """Delete finished deliveries (delivered or given up) older than
    WEBHOOK_DELIVERY_RETENTION_DAYS; each webhook keeps its last status on its own row."""
    limit = utcnow() - timedelta(days=get_settings().webhook_delivery_retention_days)
    result = session.execute(
        delete(WebhookDelivery).where(
            WebhookDelivery.state.not_in(("pending", "sending")),
            WebhookDelivery.created_at < limit,
        )
    )
    session.commit()
    return result.rowcount or 0


class WebhookSender(threading.Thread):
    def __init__(self, factory: sessionmaker[Session], interval: float) -> None:
        super().__init__(name="metaloop-webhooks", daemon=True)
        self.factory = factory
        self.interval = interval
        self._stop_event = threading.Event()
        self._next_prune = 0.0  # old deliveries are deleted once an hour

    def run(self) -> None:
        log.info("webhook sender started (every %.1f s)", self.interval)
        while not self._stop_event.is_set():
            _wake.wait(self.interval)
            _wake.clear()
            if self._stop_event.is_set():
                break
            try:
                while deliver_due(self.factory) == BATCH and not self._stop_event.is_set():
                    pass
                if time.monotonic() >= self._next_prune:
                    with self.factory() as session:
                        prune(session)
                    self._next_prune = time.monotonic() + 3600.0
            except Exception:  # keep sending: one bad pass (database restarting) is not fatal
                log.exception("webhook delivery pass failed")

    def stop(self) -> None:
        self._stop_event.set()
        _wake.set()
        self.join(timeout=10)
