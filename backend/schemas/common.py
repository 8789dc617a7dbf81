from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")

Box = Annotated[
    list[float], Field(min_length=4, max_length=4, description="[x, y, w, h] in pixels")
]
Color = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$", examples=["#e6194b"])]


class OrmModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    offset: int
    limit: int


class Ok(BaseModel):
    ok: bool = True
