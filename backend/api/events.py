"""Server-sent events: job, task and worker changes from the Redis channel and the event log,
filtered per user (docs/architecture.md, "Events")."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any

import redis
import redis.asyncio as aioredis
from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials
from fastapi.sse import EventSourceResponse, ServerSentEvent
from sqlalchemy import select

from backend.api.deps import BearerDep, SettingsDep, request_token
from backend.db import ProjectMember, User
from backend.db.session import new_session, read_session_factory
from backend.services import accounts, events, tickets
from backend.services.errors import Invalid, Unauthorized
from contracts.events import ServerEvent

router = APIRouter(tags=["events"])
log = logging.getLogger(__name__)


@dataclass
class StreamUser:
    id: int
    token_id: int  # the login token the stream was opened with: its revocation ends the stream
    is_admin: bool


def _authenticate(bearer: str | None, ticket: str | None) -> StreamUser:
    # A short-lived session: the stream lives long and must not hold a transaction open.
    with new_session() as session:
        if bearer:
            row = accounts.token_row(session, bearer)
            user = session.get(User, row.user_id) if row is not None else None
            if row is None or user is None or not user.is_active:
                raise Unauthorized("the token is unknown, revoked or expired: log in again")
            return StreamUser(user.id, row.id, user.is_admin)
        if ticket:
            claims, user = tickets.check(session, ticket, "events")
            return StreamUser(user.id, claims.token_id, user.is_admin)
    raise Unauthorized(
        "not authenticated: send 'Authorization: Bearer <token>', or ?ticket= with an events "
        "ticket from POST /api/tickets"
    )


def _still_allowed(user: StreamUser) -> set[int] | None:
    """The user's projects now, or None once their login token is revoked or expired (logout)
    or the account is disabled."""
    with read_session_factory()() as session:
        claims = tickets.Ticket(user.id, user.token_id, "events", None)
        if tickets.live_user(session, claims) is None:
            return None
        return set(
            session.scalars(
                select(ProjectMember.project_id).where(ProjectMember.user_id == user.id)
            )
        )


def _replay(after: int, project_ids: set[int]) -> list[tuple[int, dict[str, Any]]]:
    with read_session_factory()() as session:
        return events.replay(session, after, project_ids, REPLAY_LIMIT)


def _last_id() -> int:
    with read_session_factory()() as session:
        return events.last_id(session)


async def stream_user(
    request: Request,
    credentials: BearerDep,
    ticket: Annotated[
        str | None,
        Query(
            max_length=1000,
            description="an events ticket (POST /api/tickets) for EventSource, which cannot send "
            "headers; never the bearer token",
        ),
    ] = None,
) -> StreamUser:
    bearer = request_token(  # the header's token, else the session cookie's
        request, credentials if isinstance(credentials, HTTPAuthorizationCredentials) else None
    )
    return await run_in_threadpool(_authenticate, bearer, ticket)


REPLAY_LIMIT = 10_000  # events sent from the log at one (re)connection
GAP_OVERLAP = 200  # ids re-read before the last one sent when filling a gap (late commits)


class _Stream:
    """One client's stream: what it may see, what it was sent."""

    def __init__(self, user: StreamUser, project_ids: set[int], recheck: float) -> None:
        self.user, self.project_ids = user, project_ids
        self.recheck = recheck  # seconds a project found not to be the user's stays so
        self.checked = time.monotonic()
        self.sent: deque[int] = deque(maxlen=REPLAY_LIMIT)
        self.sent_set: set[int] = set()
        self.last = 0  # the highest id sent or known at the start
        # the stream's start: its Last-Event-ID, or the newest logged id when it opened without
        # one; a gap filled after a broker restart never reaches back before it
        self.floor = 0
        # projects found not to be the user's, and when: another user's project is looked up
        # again only after ``recheck`` seconds, a project never seen before at once
        self.not_theirs: dict[int, float] = {}

    async def refresh(self) -> bool:
        """Look up the user's projects now; False once their access ended (token revoked or
        expired), so a removed member stops getting that project's events."""
        self.checked = time.monotonic()
        allowed = await run_in_threadpool(_still_allowed, self.user)
        if allowed is None:
            return False
        self.project_ids = allowed
        # one look answers for every project: those still not the user's stay so for a while
        # (at most one look per ``recheck`` seconds however many other projects are busy)
        self.not_theirs = {p: self.checked for p in self.not_theirs if p not in allowed}
        return True

    async def check(self, every: float) -> bool:
        """:meth:`refresh` if the last look was ``every`` seconds ago or more, else True."""
        if time.monotonic() - self.checked < every:
            return True
        return await self.refresh()

    async def _theirs(self, project_id: object) -> bool:
        """Whether ``project_id`` is one of the user's projects; a project created or joined
        since the last look (its first events) is looked up at once."""
        if project_id in self.project_ids:
            return True
        if not isinstance(project_id, int):
            return False
        seen = self.not_theirs.get(project_id)
        if seen is not None and time.monotonic() - seen < self.recheck:
            return False
        if not await self.refresh() or project_id not in self.project_ids:
            if len(self.not_theirs) > REPLAY_LIMIT:
                self.not_theirs.clear()
            self.not_theirs[project_id] = self.checked
            return False
        return True

    def _handled(self, seq: int) -> None:
        """Remember ``seq`` as dealt with (sent, or not for this user), so filling a gap from
        the log never sends it, late and out of order."""
        if len(self.sent) == self.sent.maxlen:
            self.sent_set.discard(self.sent[0])
        self.sent.append(seq)
        self.sent_set.add(seq)
        self.last = max(self.last, seq)

    async def frame(self, seq: int, event: dict[str, Any]) -> ServerSentEvent | None:
        """The SSE frame for a logged event, or None if not for this user or already sent."""
        if seq in self.sent_set:
            return None
        if event.get("type") == "worker":
            if not self.user.is_admin:  # host names and addresses are for admins
                event = {**event, "data": {**event.get("data", {}), "host": ""}}
        elif not await self._theirs(event.get("project_id")):
            self._handled(seq)
            return None
        self._handled(seq)
        data = json.dumps(event)
        return ServerSentEvent(event=str(event.get("type")), raw_data=data, id=str(seq))


def _parse_last_event_id(value: str | None) -> int | None:
    if value is None or not value.strip():
        return None
    try:
        parsed = int(value)
    except ValueError:
        raise Invalid(f"Last-Event-ID {value[:40]!r} is not an event id") from None
    if not 0 <= parsed < 2**63:
        raise Invalid(f"Last-Event-ID {parsed} is not an event id")
    return parsed


@router.get("/events", name="stream", response_class=EventSourceResponse)
async def stream_events(
    user: Annotated[StreamUser, Depends(stream_user)],
    settings: SettingsDep,
    last_event_id: Annotated[
        str | None,
        Header(
            description="the id of the last event received: the events after it are sent first "
            "(browsers send it when they reconnect)"
        ),
    ] = None,
    last_event_id_query: Annotated[
        str | None,
        Query(
            alias="last_event_id",
            description="as the Last-Event-ID header, for a client that opens a new stream "
            "(the header wins)",
        ),
    ] = None,
) -> AsyncIterator[ServerEvent]:
    """Job, task and worker events as SSE: `event: job|task|worker`, `id:` the event's id,
    `data:` the event as JSON (JobEvent, TaskEvent or WorkerEvent). Events of the user's
    projects and of all workers. With `Last-Event-ID`, the logged events after that id are sent
    first (kept for EVENT_RETENTION_SECONDS). The stream survives a restart of the event broker
    (it re-subscribes and sends what was logged meanwhile) and ends within
    SSE_ACCESS_CHECK_SECONDS once the user's token is revoked (logout); events of a project the
    user was removed from stop within that time."""
    after = _parse_last_event_id(last_event_id or last_event_id_query)
    stream = _Stream(
        user,
        await run_in_threadpool(_still_allowed, user) or set(),
        settings.sse_access_check_seconds,
    )
    if not settings.redis_url:
        yield ServerSentEvent(comment="no event broker configured")
        while await stream.check(settings.sse_access_check_seconds):
            await asyncio.sleep(min(settings.sse_keepalive_seconds, 1.0))
        return
    first, lost = True, False
    while True:
        client = aioredis.Redis.from_url(
            settings.redis_url, socket_connect_timeout=5, health_check_interval=10
        )
        pubsub = client.pubsub()
        try:
            await pubsub.subscribe(settings.events_channel)
            if first:
                yield ServerSentEvent(comment="connected", retry=3000)
            # subscribed: what was logged before now comes from the log, the rest live
            if first:
                stream.floor = after if after is not None else await run_in_threadpool(_last_id)
                stream.last = stream.floor
            if after is not None:
                for seq, event in await run_in_threadpool(_replay, after, stream.project_ids):
                    frame = await stream.frame(seq, event)
                    if frame is not None:
                        yield frame
            if lost:
                log.info("event stream re-subscribed to the broker")
            first, lost = False, False
            idle_since = time.monotonic()
            while True:
                if not await stream.check(settings.sse_access_check_seconds):
                    yield ServerSentEvent(comment="access ended: log in again")
                    return
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
                if message is None:
                    if time.monotonic() - idle_since >= settings.sse_keepalive_seconds:
                        idle_since = time.monotonic()
                        yield ServerSentEvent(comment="keep-alive")
                    continue
                body = json.loads(message["data"])
                frame = await stream.frame(int(body["seq"]), body["event"])
                if frame is not None:
                    idle_since = time.monotonic()
                    yield frame
        except (redis.RedisError, OSError) as error:
            # once per outage, not once per retry: a dead broker is tried again every second
            (log.debug if lost else log.warning)(
                "event stream lost the broker (%s); re-subscribing", error
            )
            lost = True
            # then fill the gap from the log, never with events from before the stream began
            after = max(stream.floor, stream.last - GAP_OVERLAP)
            yield ServerSentEvent(comment="broker lost: re-subscribing")
            await asyncio.sleep(1.0)
        finally:
            with contextlib.suppress(Exception):
                await pubsub.aclose()
            with contextlib.suppress(Exception):
                await client.aclose()
