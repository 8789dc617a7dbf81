"""Admission control: at most as many API requests in flight as the database pool can serve.

FastAPI runs a request's sync dependencies and its route in separate thread-pool calls (anyio's
default limiter: 40 threads). A request takes a pooled connection in its first dependency (the
token check) and gives it back only when its session dependency exits, which needs a thread
again. With more requests in flight than connections plus threads, every thread can be waiting
for a connection held by requests that wait for a thread: nothing moves until the pool's
timeout (30 s) fails them. The read-load benchmark (``bench/read_load.py``) hit this at 50
clients with a pool of 20 per process.

The cure here: a request that may use the database waits its turn in the event loop (first
come, first served, costing no thread) until one of ``limit`` places is free, so a thread never
waits for a connection that only a thread-less request can give back. The event stream
(long-lived; it uses short sessions of its own) and the web client's static files pass
unlimited. ``limit`` is the pool's size and overflow less a few connections kept for the
sweeper, the webhook sender and the token last-use writer (``API_ADMISSION_RESERVE``).
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Receive, Scope, Send

UNLIMITED_PATHS = ("/api/events",)


class AdmissionMiddleware:
    """Pure ASGI middleware (streaming responses pass through unbuffered)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        if limit < 1:
            raise ValueError(f"admission limit must be at least 1, got {limit}")
        self.app = app
        self.limit = limit
        self._places: asyncio.Semaphore | None = None

    def _limited(self, scope: Scope) -> bool:
        if scope["type"] != "http":
            return False
        path: str = scope.get("path", "")
        return path.startswith("/api/") and not path.startswith(UNLIMITED_PATHS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._limited(scope):
            await self.app(scope, receive, send)
            return
        if self._places is None:  # created in the server's event loop
            self._places = asyncio.Semaphore(self.limit)
        async with self._places:
            await self.app(scope, receive, send)
