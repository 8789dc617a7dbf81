"""Server-sent events: job, task and worker changes from the Redis channel, filtered per user."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Annotated, Any

import redis.asyncio as aioredis
from fastapi import APIRouter, Depends, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials
from fastapi.sse import EventSourceResponse, ServerSentEvent
from sqlalchemy import select

from backend.api.deps import BearerDep, SettingsDep
from backend.db import ProjectMember
from backend.db.session import new_session
from backend.services import accounts
from backend.services.errors import Unauthorized
from contracts.events import ServerEvent

router = APIRouter(tags=["events"])
log = logging.getLogger(__name__)


def _authenticate(token: str | None) -> int:
    # A short-lived session: the stream lives long and must not hold a transaction open.
    if not token:
        raise Unauthorized("not authenticated: send a bearer token or ?access_token=")
    with new_session() as session:
        user = accounts.user_for_token(session, token)
        if user is None:
            raise Unauthorized("the token is unknown, revoked or expired: log in again")
        return user.id


def _project_ids(user_id: int) -> set[int]:
    with new_session() as session:
        return set(
            session.scalars(
                select(ProjectMember.project_id).where(ProjectMember.user_id == user_id)
            )
        )


async def stream_user(
    credentials: BearerDep,
    access_token: Annotated[str | None, Query(description="EventSource cannot set headers")] = None,
) -> int:
    token = (
        credentials.credentials
        if isinstance(credentials, HTTPAuthorizationCredentials)
        else access_token
    )
    return await run_in_threadpool(_authenticate, token)


class _Filter:
    """Which events a user may see: worker events, and those of projects they belong to."""

    def __init__(self, user_id: int, project_ids: set[int]) -> None:
        self.user_id, self.project_ids, self.refreshed = user_id, project_ids, time.monotonic()

    async def allows(self, event: dict[str, Any]) -> bool:
        if event.get("type") == "worker":
            return True
        project_id = event.get("project_id")
        if project_id not in self.project_ids and time.monotonic() - self.refreshed > 0.5:
            self.project_ids = await run_in_threadpool(_project_ids, self.user_id)
            self.refreshed = time.monotonic()
        return project_id in self.project_ids


@router.get("/events", name="stream", response_class=EventSourceResponse)
async def stream_events(
    user_id: Annotated[int, Depends(stream_user)], settings: SettingsDep
) -> AsyncIterator[ServerEvent]:
    """Job, task and worker events as SSE: `event: job|task|worker`, `data:` the event as JSON
    (JobEvent, TaskEvent or WorkerEvent). Events of the user's projects and of all workers."""
    allowed = _Filter(user_id, await run_in_threadpool(_project_ids, user_id))
    if not settings.redis_url:
        yield ServerSentEvent(comment="no event broker configured")
        while True:
            await asyncio.sleep(settings.sse_keepalive_seconds)
            yield ServerSentEvent(comment="keep-alive")
    client = aioredis.Redis.from_url(settings.redis_url)
    pubsub = client.pubsub()
    try:
        await pubsub.subscribe(settings.events_channel)
        yield ServerSentEvent(comment="connected", retry=3000)
        idle_since = time.monotonic()
        while True:
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
            if message is None:
                if time.monotonic() - idle_since >= settings.sse_keepalive_seconds:
                    idle_since = time.monotonic()
                    yield ServerSentEvent(comment="keep-alive")
                continue
            event = json.loads(message["data"])
            if await allowed.allows(event):
                idle_since = time.monotonic()
                yield ServerSentEvent(event=str(event.get("type")), raw_data=json.dumps(event))
    finally:
        await pubsub.aclose()
        await client.aclose()
