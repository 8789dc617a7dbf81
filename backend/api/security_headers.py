"""Security headers on every answer (docs/architecture.md, "Security").

* ``Content-Security-Policy``: the built web client loads only its own scripts, styles and
  fonts (Vite emits no inline script or style: ``frontend/dist/index.html`` has a module script
  and a stylesheet link, both files), images from itself, ``data:`` (the favicon) and ``blob:``
  (downloads), and talks only to its own origin. It cannot be framed (``frame-ancestors
  'none'``), has no ``<base>``, no plugins, and forms post only to itself. ``/docs`` (Swagger
  UI) loads its script and style from the CDN FastAPI names and starts with an inline script,
  so it has its own policy that allows them and nothing else.
* ``X-Frame-Options: DENY`` for browsers without ``frame-ancestors``.
* ``Referrer-Policy: no-referrer``: image and stream URLs carry tickets (``?ticket=``); no
  Referer header hands them to another site.
* ``X-Content-Type-Options: nosniff`` on everything, downloads included: a PNG with HTML
  appended is an image to the browser, never a page. Every download names its own type.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

APP_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# FastAPI's Swagger UI page: its bundle and stylesheet from the CDN, one inline script that
# starts it, the FastAPI favicon
DOCS_CDN = "https://cdn.jsdelivr.net"
DOCS_POLICY = "; ".join(
    [
        "default-src 'self'",
        f"script-src 'self' 'unsafe-inline' {DOCS_CDN}",
        f"style-src 'self' {DOCS_CDN}",
        "img-src 'self' data: https://fastapi.tiangolo.com",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)
COMMON = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


def headers_for(path: str) -> list[tuple[bytes, bytes]]:
    policy = DOCS_POLICY if path == "/docs" or path.startswith("/docs/") else APP_POLICY
    return [
        (name.encode(), value.encode())
        for name, value in {**COMMON, "content-security-policy": policy}.items()
    ]


class SecurityHeadersMiddleware:
    """Adds the headers above to every HTTP answer that does not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = headers_for(scope.get("path", ""))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend((name, value) for name, value in extra if name not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
