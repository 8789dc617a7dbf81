"""Query parameters shared by the paged list endpoints."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request, Response

from backend.services.paging import COUNT_CAP, MAX_CURSOR_LENGTH, CountMode

CursorParam = Annotated[
    str | None,
    Query(
        max_length=MAX_CURSOR_LENGTH,
        description="`next_cursor` of the previous page (same list, same sort): the page after "
        "it. Not with `offset`.",
    ),
]
CountParam = Annotated[
    CountMode,
    Query(
        description=f"`bounded` (default): count matches up to {COUNT_CAP:,}, `total_exact` says "
        "whether there are more; `exact`: count them all (slower on large projects)",
    ),
]


def set_next_cursor(request: Request, response: Response, next_cursor: str | None) -> None:
    """For lists answered as bare arrays: the next page's cursor in `X-Next-Cursor` and as an
    RFC 8288 `Link: <…>; rel="next"` (absent on the last page)."""
    if next_cursor is None:
        return
    url = request.url.remove_query_params("offset").include_query_params(cursor=next_cursor)
    response.headers["X-Next-Cursor"] = next_cursor
    response.headers["Link"] = f'<{url}>; rel="next"'


NEXT_PAGE_HEADERS: dict[int | str, dict[str, Any]] = {
    200: {
        "headers": {
            "X-Next-Cursor": {
                "description": "the `cursor` of the next page; absent on the last page",
                "schema": {"type": "string"},
            },
            "Link": {
                "description": 'the next page\'s URL, as `<…>; rel="next"` (RFC 8288); absent on '
                "the last page",
                "schema": {"type": "string"},
            },
        }
    }
}
