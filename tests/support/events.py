"""Server-sent events for tests: read the live event stream of a running API server."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import httpx

from support.server import ApiServer


def follow_events(
    server: ApiServer, token: str, until: Callable[[dict], bool], timeout: float = 600
) -> list[dict]:
    """Read /api/events (SSE) until `until(event)` is true; returns the events seen."""
    events: list[dict] = []
    deadline = time.monotonic() + timeout
    with httpx.stream(
        "GET",
        f"{server.url}/api/events",
        headers={"Authorization": f"Bearer {token}"},
        timeout=httpx.Timeout(timeout, read=30),
    ) as response:
        response.raise_for_status()
        for line in response.iter_lines():
            if time.monotonic() > deadline:
                raise TimeoutError("no final event in time")
            if not line.startswith("data:"):
                continue
            event = json.loads(line[5:].strip())
            events.append(event)
            if until(event):
                return events
    raise AssertionError("event stream ended early")
