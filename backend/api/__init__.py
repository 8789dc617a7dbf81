"""The REST API: one router module per resource, all under /api."""

from fastapi import APIRouter

from backend.api import (
    annotations,
    audit,
    auth,
    classes,
    events,
    exports,
    images,
    imports,
    jobs,
    members,
    metrics,
    models,
    predictions,
    projects,
    queue,
    review,
    system,
    tickets,
    tokens,
    users,
    webhooks,
    worker_api,
    workers,
)
from backend.api.responses import error_responses

# the business errors each resource's routes can answer (besides 422), documented in OpenAPI
ERRORS = {
    system: (),
    auth: (401, 403, 409, 429),
    users: (401, 403, 404, 409),
    tokens: (401, 404),
    tickets: (401, 403, 404),
    projects: (401, 403, 404, 409, 429),
    members: (401, 403, 404, 409),
    classes: (401, 403, 404, 409),
    images: (400, 401, 403, 404, 409, 412, 413),
    annotations: (401, 403, 404, 412),
    imports: (400, 401, 403, 404, 409, 413, 429),
    exports: (401, 403, 404),
    models: (401, 403, 404),
    jobs: (401, 403, 404, 409, 429),
    queue: (401, 403, 404),
    predictions: (401, 403, 404),
    review: (401, 403, 404, 409),
    metrics: (401, 403, 404),
    workers: (401, 403, 404, 409),
    events: (401,),
    webhooks: (401, 403, 404),
    worker_api: (401, 403, 404, 409),
    audit: (401, 403),
}

api_router = APIRouter()
for module, codes in ERRORS.items():
    api_router.include_router(
        module.router, responses=error_responses(*codes, 422) if codes else None
    )
