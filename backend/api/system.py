from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from backend import __version__

router = APIRouter(tags=["system"])


class Health(BaseModel):
    ok: bool = True
    version: str


@router.get("/health", name="health")
def health() -> Health:
    return Health(version=__version__)
