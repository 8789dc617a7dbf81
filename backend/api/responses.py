"""The error answers the routes document in OpenAPI.

A business error (a ``ServiceError`` raised by a service) answers ``{"detail": "<a sentence>"}``
(:class:`ErrorBody`) with its status; a request FastAPI cannot parse answers 422 with
``{"detail": [<one entry per problem>]}`` (``HTTPValidationError``). A 422 is either.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import (
    validation_error_definition,
    validation_error_response_definition,
)
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

REF = "#/components/schemas/"

DESCRIPTIONS = {
    400: "Malformed: a multipart body that cannot be parsed",
    401: "Not authenticated: no token, or one that is unknown, revoked or expired",
    403: "Not allowed for this user or role",
    404: "Not found (or not visible to this user)",
    409: "Conflicts with the current state",
    412: "Precondition failed: If-Match names a version that is no longer the current one",
    413: "Over the size limit",
    422: "Invalid: a rule of the request's content (detail: a sentence), or the request's shape "
    "(detail: one entry per problem)",
    429: "Too many: failed logins (Retry-After says when to try again), or jobs queued and "
    "running for this user",
}
RETRY_AFTER = {
    "Retry-After": {
        "description": "seconds until a new attempt can succeed",
        "schema": {"type": "integer"},
    }
}
VALIDATION_422 = {"anyOf": [{"$ref": REF + "ErrorBody"}, {"$ref": REF + "HTTPValidationError"}]}


class ErrorBody(BaseModel):
    """The answer of every business error."""

    detail: str = Field(description="what went wrong, as a sentence", examples=["job 5 not found"])


BINARY = {"type": "string", "format": "binary"}


def file_response(description: str, *media_types: str) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route whose 200 answer is a file: each media type's body is a
    binary string (``format: binary``), so that clients generated from the schema read it as a
    file; a media type with no schema leaves them nothing to parse (``None``)."""
    return {
        200: {
            "description": description,
            "content": {media_type: {"schema": dict(BINARY)} for media_type in media_types},
        }
    }


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for routes that can answer these errors."""
    responses: dict[int | str, dict[str, Any]] = {}
    for code in codes:
        if code == 422:
            responses[code] = {
                "description": DESCRIPTIONS[code],
                "content": {"application/json": {"schema": VALIDATION_422}},
            }
        elif code == 429:
            responses[code] = {
                "model": ErrorBody,
                "description": DESCRIPTIONS[code],
                "headers": RETRY_AFTER,
            }
        else:
            responses[code] = {"model": ErrorBody, "description": DESCRIPTIONS[code]}
    return responses


def add_error_schemas(schema: dict[str, Any]) -> dict[str, Any]:
    """The schemas the 422 answers refer to, in ``schema``'s components (FastAPI adds
    HTTPValidationError only for routes that do not document their own 422)."""
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("ErrorBody", ErrorBody.model_json_schema())
    schemas.setdefault("ValidationError", validation_error_definition)
    schemas.setdefault("HTTPValidationError", validation_error_response_definition)
    schema["components"]["schemas"] = dict(sorted(schemas.items()))
    _any_422(schema)
    return schema


def _any_422(schema: dict[str, Any]) -> None:
    """A route that documents a 422 of its own (an import's refusal) can still answer FastAPI's
    422 for a request of the wrong shape or a business 422: its 422 is any of the three."""
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            answer = operation.get("responses", {}).get("422")
            if answer is None:
                continue
            content = answer.setdefault("content", {}).setdefault("application/json", {})
            declared = content.get("schema")
            if declared is None or declared == VALIDATION_422:
                content["schema"] = VALIDATION_422
            elif "anyOf" not in declared:
                content["schema"] = {"anyOf": [declared, *VALIDATION_422["anyOf"]]}


def _printable(value: Any) -> Any:
    """``value`` with bytes and lone surrogates made into text UTF-8 can encode (an escape each),
    in nested lists and dicts too."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "backslashreplace")
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {_printable(k): _printable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_printable(v) for v in value]
    return value


_BYTES = {bytes: lambda data: data.decode("utf-8", "backslashreplace")}


async def validation_error_handler(request: Request, error: Exception) -> JSONResponse:
    """FastAPI's 422 answer to a request it cannot parse, ``{"detail": [<one entry per
    problem>]}``, except that an input it echoes is always encodable: FastAPI's own handler
    fails (500) on a body of bytes that are not UTF-8, or on a lone surrogate."""
    assert isinstance(error, RequestValidationError)
    errors = [
        _printable(jsonable_encoder(entry, custom_encoder=_BYTES)) for entry in error.errors()
    ]
    return JSONResponse({"detail": errors}, status_code=422)
