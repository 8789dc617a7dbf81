"""The REST API: one router module per resource, all under /api."""

from fastapi import APIRouter

from backend.api import (
    annotations,
    auth,
    classes,
    events,
    images,
    jobs,
    members,
    metrics,
    models,
    predictions,
    projects,
    system,
    tokens,
    users,
    worker_api,
    workers,
)

api_router = APIRouter()
for module in (
    system,
    auth,
    users,
    tokens,
    projects,
    members,
    classes,
    images,
    annotations,
    models,
    jobs,
    predictions,
    metrics,
    workers,
    events,
    worker_api,
):
    api_router.include_router(module.router)
