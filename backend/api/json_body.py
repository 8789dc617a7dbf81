"""Only finite numbers and real text in JSON bodies, for every route at once.

Python's ``json`` reads the literals ``NaN``, ``Infinity`` and ``-Infinity`` (not JSON, but
accepted), and a number too large for a float (``1e400``) becomes infinity; pydantic then lets
them into any ``float`` field, and from there into the database (a NOT NULL column refuses NaN)
or into arithmetic. Likewise a string escape of half a surrogate pair (``"\ud800"``) becomes a
``str`` that no UTF-8 encoder accepts: not the database's, not even the one of the 422 answer
that echoes it. :class:`FiniteJSONMiddleware` reads each JSON request body before the app does
and answers 422 in FastAPI's validation shape (``{"detail": [{"type", "loc", "msg", "input"}]}``,
one entry per bad value) when it holds one, so no route ever sees it. It is an ASGI middleware
rather than a route class so that it covers every route, those of included routers and those
added later alike.

Float query and form parameters are not JSON: they declare ``allow_inf_nan=False`` themselves
(or use :data:`backend.schemas.common.FiniteFloat`).
"""

from __future__ import annotations

import email.message
import json
import math
import re
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

FINITE_MESSAGE = "Input should be a finite number (NaN and infinities are not allowed)"
_INT_MESSAGE = "Input should be an integer of at most 4300 digits"
_SURROGATE_MESSAGE = "Input should be valid Unicode text: half a surrogate pair is no character"
# the escape of a surrogate (a pair is one character once read; one alone stays a surrogate)
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


class _Refused:
    """Stands for a number the body may not hold while the body is parsed."""

    __slots__ = ("text", "kind")

    def __init__(self, text: str, kind: str) -> None:
        self.text = text
        self.kind = kind


def _is_json(content_type: str | None) -> bool:
    """Whether FastAPI parses a body of this content type as JSON (it does the same test)."""
    if not content_type:
        return False
    message = email.message.Message()
    message["content-type"] = content_type
    if message.get_content_maintype() != "application":
        return False
    subtype = message.get_content_subtype()
    return subtype == "json" or subtype.endswith("+json")


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _shown(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def json_body_errors(body: bytes) -> list[dict[str, Any]]:
    """Validation errors for each NaN, infinity, float overflow, over-long integer or lone
    surrogate in a JSON body; [] for a body without one, and for one that is not JSON (the app
    answers that)."""
    found = _SURROGATE_ESCAPE.search(body) is not None

    def constant(text: str) -> _Refused:  # NaN, Infinity, -Infinity
        nonlocal found
        found = True
        return _Refused(text, "finite_number")

    def number(text: str) -> float | _Refused:
        nonlocal found
        value = float(text)
        if math.isfinite(value):
            return value
        found = True
        return _Refused(text, "finite_number")

    def integer(text: str) -> int | _Refused:
        nonlocal found
        try:
            return int(text)
        except ValueError:  # more digits than sys.get_int_max_str_digits()
            found = True
            return _Refused(text[:20] + "…", "int_parsing_size")

    try:
        value = json.loads(body, parse_constant=constant, parse_float=number, parse_int=integer)
    except json.JSONDecodeError:  # not JSON: the app answers it, with the position
        return []
    except (ValueError, RecursionError) as error:  # not text, or nested too deep
        reason = "nested too deeply" if isinstance(error, RecursionError) else str(error)
        return [
            {
                "type": "json_invalid",
                "loc": ["body"],
                "msg": "JSON decode error",
                "input": {},
                "ctx": {"error": reason},
            }
        ]
    if not found:
        return []
    errors: list[dict[str, Any]] = []
    stack: list[tuple[tuple[str | int, ...], Any]] = [(("body",), value)]
    while stack:
        loc, item = stack.pop()
        if isinstance(item, _Refused):
            message = FINITE_MESSAGE if item.kind == "finite_number" else _INT_MESSAGE
            errors.append({"type": item.kind, "loc": list(loc), "msg": message, "input": item.text})
        elif isinstance(item, str) and _has_surrogate(item):
            errors.append(_surrogate_error(loc, item))
        elif isinstance(item, dict):
            for key in item:
                if _has_surrogate(key):
                    errors.append(_surrogate_error((*loc, _shown(key)), key))
            stack.extend(((*loc, key), child) for key, child in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend(((*loc, index), child) for index, child in reversed(list(enumerate(item))))
    return errors


def _surrogate_error(loc: tuple[str | int, ...], text: str) -> dict[str, Any]:
    shown = [_shown(part) if isinstance(part, str) else part for part in loc]
    return {
        "type": "string_unicode",
        "loc": shown,
        "msg": _SURROGATE_MESSAGE,
        "input": _shown(text),
    }


class FiniteJSONMiddleware:
    """Refuse (422) a JSON request body holding a number that is not a finite float, or a
    string that is not Unicode text."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _is_json(_header(scope, b"content-type")):
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        body = bytearray()
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":  # the client went away: let the app see it
                break
            body.extend(message.get("body", b""))
            if not message.get("more_body", False):
                break
        errors = json_body_errors(bytes(body))
        if errors:
            await _send_json(send, 422, {"detail": errors})
            return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


async def _send_json(send: Send, status: int, content: Any) -> None:
    data = json.dumps(content, ensure_ascii=False, allow_nan=False).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(data)).encode("latin-1")),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})
