from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic import FiniteFloat as FiniteFloat

T = TypeVar("T")

# Every integer that reaches the database fits a signed 64-bit column (SQLite's INTEGER,
# PostgreSQL's BIGINT); ids start at 1. A larger one is refused (422) by the schema, before any
# query (issue 23: 2**63 as an id, offset or list item was a 500).
MAX_INT = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_INT)]
Count = Annotated[int, Field(ge=0, le=MAX_INT)]
# ids in one request body (a list of image, prediction or annotation ids)
MAX_IDS = 100_000
IdList = Annotated[list[Id], Field(max_length=MAX_IDS)]

# Bidirectional controls reorder the text around them: U+202E makes "gpj.exe" read
# "exe.jpg". Names (files, projects, classes, tokens) refuse them (issue 23).
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def bidi_controls_in(text: str) -> list[str]:
    """The bidirectional control characters in ``text``, as U+XXXX, in order of appearance."""
    return [f"U+{ord(c):04X}" for c in text if c in BIDI_CONTROLS]


def _no_bidi(value: str | None) -> str | None:
    if value is not None and (found := bidi_controls_in(value)):
        raise ValueError(
            f"bidirectional control characters are not allowed in names ({', '.join(found)})"
        )
    return value


NoBidi = AfterValidator(_no_bidi)


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
    """One page of a list in a stable order (ties broken by id). Page on with `cursor=` set to
    `next_cursor` (fast at any depth); `offset=` also works, for page numbers."""

    items: list[T]
    total: int = Field(
        description="the number of matching items. Counted up to 10,000 by default: when more "
        "match, this is 10,000 and `total_exact` is false (ask `count=exact` for the exact number, "
        "which costs a count of every match)"
    )
    total_exact: bool = Field(
        description="whether `total` is the exact count (false: at least `total` match)"
    )
    offset: int
    limit: int
    next_cursor: str | None = Field(
        description="an opaque cursor: pass it as `cursor=` for the next page in the same sort; "
        "null on the last page",
    )


class Ok(BaseModel):
    ok: bool = True
