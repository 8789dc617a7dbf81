"""The FastAPI application: `uvicorn backend.main:app`.

Start-up registers the shipped models and starts the sweeper and the webhook sender; it does not
create tables (run `python -m backend.migrate` first — the launcher does).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.routing import APIRoute
from sqlalchemy.exc import DataError

from backend import __version__
from backend.api import api_router
from backend.api.admission import AdmissionMiddleware
from backend.api.json_body import FiniteJSONMiddleware
from backend.api.responses import add_error_schemas, validation_error_handler
from backend.api.security_headers import SecurityHeadersMiddleware
from backend.db.session import new_session, session_factory
from backend.services.blobs import blob_store
from backend.services.errors import ServiceError, TooManyRequests, Unauthorized
from backend.services.models import register_shipped_models
from backend.services.sweeper import Sweeper
from backend.services.webhooks import WebhookSender
from backend.settings import get_settings

log = logging.getLogger("backend")


class _QuietHeartbeats(logging.Filter):
    """Workers send a heartbeat every few seconds: keep them out of the access log, which would
    otherwise be mostly heartbeats."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "/heartbeat" not in record.getMessage()


logging.getLogger("uvicorn.access").addFilter(_QuietHeartbeats())

PLACEHOLDER_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>MetaLoop</title></head>
<body>
<h1>MetaLoop</h1>
<p>The API is running, but the web client is not built: run <code>make frontend</code>
(or <code>cd frontend &amp;&amp; npm ci &amp;&amp; npm run build</code>) and reload.</p>
<p>API documentation: <a href="/docs">/docs</a> · \
schema: <a href="/api/openapi.json">/api/openapi.json</a></p>
</body></html>
"""


def operation_id(route: APIRoute) -> str:
    """Stable operation ids "{tag}-{name}", e.g. `projects-list`, for generated clients."""
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with new_session() as session:
        register_shipped_models(session, blob_store(), settings.models_dir)
    sweeper = None
    if settings.sweeper_enabled:
        sweeper = Sweeper(session_factory(), settings.sweep_interval_seconds)
        sweeper.start()
    sender = WebhookSender(session_factory(), settings.webhook_interval_seconds)
    sender.start()
    log.info(
        "MetaLoop API %s ready (database %s)",
        __version__,
        settings.resolved_database_url.split("@")[-1],
    )
    try:
        yield
    finally:
        if sweeper is not None:
            sweeper.stop()
        sender.stop()


async def service_error_handler(request: Request, error: Exception) -> Response:
    assert isinstance(error, ServiceError)
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(error, Unauthorized) else None
    if isinstance(error, TooManyRequests) and error.retry_after is not None:
        headers = {"Retry-After": str(error.retry_after)}
    return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=headers)


async def out_of_range_handler(request: Request, error: Exception) -> Response:
    """A value of the request the database cannot hold (DataError: an integer beyond its range,
    a NUL character in text) or a number too large to compute with (OverflowError: an id beyond
    SQLite's 64 bits, a date that many days away): the request is refused (422) and its
    transaction rolled back, where it would otherwise end in a 500."""
    if isinstance(error, DataError):
        reason = str(error.orig).splitlines()[0]
        detail = f"a value in the request does not fit the database: {reason}"
    else:
        detail = f"a number in the request is out of range: {error}"
    log.warning("%s %s refused: %s", request.method, request.url.path, detail)
    return JSONResponse({"detail": detail}, status_code=422)


def _frontend_routes(app: FastAPI) -> None:
    @app.get("/{path:path}", include_in_schema=False)
    def frontend(path: str) -> Response:
        if path == "api" or path.startswith("api/"):
            return JSONResponse({"detail": f"no API route /{path}"}, status_code=404)
        if path == "docs" and not get_settings().api_docs:  # not the web client's page either
            return JSONResponse({"detail": "the API docs are off (API_DOCS)"}, status_code=404)
        dist = Path(get_settings().frontend_dist).resolve()
        index = dist / "index.html"
        if not index.is_file():
            return HTMLResponse(PLACEHOLDER_PAGE)
        candidate = (dist / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(dist):
            return FileResponse(candidate)
        if path.startswith("assets/") or "." in path.rsplit("/", 1)[-1]:  # a file, not a page
            return JSONResponse({"detail": f"no file /{path}"}, status_code=404)
        return FileResponse(index, headers={"Cache-Control": "no-cache"})


def create_app() -> FastAPI:
    settings = get_settings()
    app = FastAPI(
        title="MetaLoop",
        version=__version__,
        description="The user-model feedback loop for vision: annotate, adapt, review, repeat.",
        openapi_url="/api/openapi.json",
        docs_url="/docs" if settings.api_docs else None,  # API_DOCS; off in production
        redoc_url=None,
        generate_unique_id_function=operation_id,
        lifespan=lifespan,
    )
    app.add_exception_handler(ServiceError, service_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_exception_handler(DataError, out_of_range_handler)
    app.add_exception_handler(OverflowError, out_of_range_handler)
    # innermost: a request waits for a place only once the cheap checks let it through
    app.add_middleware(AdmissionMiddleware, limit=settings.api_admission_limit)
    app.add_middleware(FiniteJSONMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)  # outermost: on every answer, errors too
    app.include_router(api_router, prefix="/api")
    _frontend_routes(app)
    generate_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = add_error_schemas(generate_openapi())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
app = create_app()
