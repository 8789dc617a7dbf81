from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic import FiniteFloat as FiniteFloat

T = TypeVar("T")

MIN_BOX_SIDE = 1.0  # pixels: a box narrower or lower than this is a slip of the mouse


def _box_size(box: list[float]) -> list[float]:
    if box[2] < MIN_BOX_SIDE or box[3] < MIN_BOX_SIDE:
        raise ValueError(
            f"box {box}: width and height must be at least {MIN_BOX_SIDE:g} px (w={box[2]:g}, "
            f"h={box[3]:g})"
        )
    return box


Box = Annotated[
    list[FiniteFloat],
    Field(
        min_length=4,
        max_length=4,
        description=f"[x, y, w, h] in pixels: finite numbers, w and h at least {MIN_BOX_SIDE:g}",
    ),
    AfterValidator(_box_size),
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
