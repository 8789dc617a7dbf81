"""Keyset (cursor) paging and bounded counts for the list endpoints.

A list is ordered by a total order that always ends with a unique id, so "the rows after this
row" is a `WHERE` on the sort key (served by an index in that order) instead of an `OFFSET` that
reads and drops every row before it. The cursor is opaque to clients: base64url of a small JSON
object naming the list and sort it belongs to and the last row's sort key. A cursor that does not
decode, belongs to another list or sort, or holds values of the wrong type is refused (422).

Counting every match of a large project on every page is what made pages slow; a page counts at
most COUNT_CAP + 1 matches (a `LIMIT`ed subquery, an index range scan) unless the exact count is
asked for.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, Literal, TypeVar

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from backend.schemas.common import MAX_INT
from backend.services.errors import Invalid

COUNT_CAP = 10_000
CountMode = Literal["bounded", "exact"]
KeyType = Literal["int", "float", "datetime"]
MAX_CURSOR_LENGTH = 1024

R = TypeVar("R")


@dataclass(frozen=True)
class SortKey:
    """One column of a list's order: the expression, its direction and the type of its values."""

    column: Any
    descending: bool
    kind: KeyType


@dataclass
class PageResult(Generic[R]):
    rows: list[R]
    total: int
    total_exact: bool
    next_cursor: str | None


def encode_cursor(name: str, key: Sequence[Any]) -> str:
    values = [v.isoformat() if isinstance(v, datetime) else v for v in key]
    raw = json.dumps({"l": name, "k": values}, separators=(",", ":"), allow_nan=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def decode_cursor(cursor: str, name: str, order: Sequence[SortKey]) -> list[Any]:
    """The sort key in a cursor made by `encode_cursor(name, …)`; 422 for anything else."""
    bad = "invalid cursor: pass back next_cursor from a page of this same list and sort"
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise Invalid(f"{bad} (too long)")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw.decode(), parse_constant=_refuse_constant)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise Invalid(f"{bad} (it does not decode)") from None
    if not isinstance(payload, dict) or set(payload) != {"l", "k"}:
        raise Invalid(f"{bad} (not a cursor)")
    if payload["l"] != name:
        raise Invalid(f"{bad} (it is a cursor of another list or sort: {payload['l']!r})")
    values = payload["k"]
    if not isinstance(values, list) or len(values) != len(order):
        raise Invalid(f"{bad} (wrong number of key values)")
    return [_checked(value, key.kind, bad) for value, key in zip(values, order, strict=True)]


def _checked(value: Any, kind: KeyType, bad: str) -> Any:
    if kind == "int":
        if type(value) is not int or not -MAX_INT <= value <= MAX_INT:
            raise Invalid(f"{bad} (a key value is not an integer in range)")
        return value
    if kind == "float":
        if type(value) not in (int, float) or not math.isfinite(value):
            raise Invalid(f"{bad} (a key value is not a finite number)")
        return float(value)
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise Invalid(f"{bad} (a key value is not a timestamp)")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def after(order: Sequence[SortKey], key: Sequence[Any]) -> ColumnElement[bool]:
    """Rows strictly after `key` in `order`: (a < A) OR (a = A AND b < B) OR … (per direction),
    AND the leading column's bound on its own, which an index range scan can start from."""
    branches = []
    for i, sort in enumerate(order):
        equal = [order[j].column == key[j] for j in range(i)]
        beyond = sort.column < key[i] if sort.descending else sort.column > key[i]
        branches.append(and_(*equal, beyond))
    first = order[0]
    leading = first.column <= key[0] if first.descending else first.column >= key[0]
    return and_(leading, or_(*branches))


def ordered(order: Sequence[SortKey]) -> list[Any]:
    return [key.column.desc() if key.descending else key.column.asc() for key in order]


def count(
    session: Session, query: Select[Any], id_column: Any, mode: CountMode
) -> tuple[int, bool]:
    """(total, exact): the number of rows of `query`, exactly or counting at most COUNT_CAP + 1."""
    ids = query.with_only_columns(id_column).order_by(None)
    if mode == "exact":
        return session.scalar(select(func.count()).select_from(ids.subquery())) or 0, True
    found = session.scalar(select(func.count()).select_from(ids.limit(COUNT_CAP + 1).subquery()))
    found = found or 0
    return (found, True) if found <= COUNT_CAP else (COUNT_CAP, False)


def page_query(
    query: Select[Any],
    name: str,
    order: Sequence[SortKey],
    cursor: str | None,
    offset: int,
    limit: int,
) -> Select[Any]:
    """`query` ordered, after the cursor (or from the offset), one row more than `limit` (that
    row only tells whether there is a next page)."""
    if cursor is not None:
        if offset:
            raise Invalid("give a cursor or an offset, not both")
        query = query.where(after(order, decode_cursor(cursor, name, order)))
    return query.order_by(*ordered(order)).offset(offset or None).limit(limit + 1)


def paged(
    session: Session,
    query: Select[Any],
    *,
    name: str,
    order: Sequence[SortKey],
    id_column: Any,
    key_of: Callable[[Any], Sequence[Any]],
    cursor: str | None,
    offset: int,
    limit: int,
    count_mode: CountMode,
    scalars: bool = True,
) -> PageResult[Any]:
    """One page of `query` in `order`, its next cursor (None on the last page) and the count."""
    total, exact = count(session, query, id_column, count_mode)
    statement = page_query(query, name, order, cursor, offset, limit)
    rows = list(session.scalars(statement) if scalars else session.execute(statement).all())
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(name, key_of(rows[-1])) if more else None
    return PageResult(rows, total, exact, next_cursor)
