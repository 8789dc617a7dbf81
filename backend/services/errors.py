"""Errors a user can cause. Services raise them; the app turns them into `{"detail": ...}` 4xx."""

from __future__ import annotations


class ServiceError(Exception):
    status_code = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class Unauthorized(ServiceError):
    status_code = 401


class Forbidden(ServiceError):
    status_code = 403


class NotFound(ServiceError):
    status_code = 404


class Conflict(ServiceError):
    status_code = 409


class PreconditionFailed(ServiceError):
    """A write with ``If-Match`` on a version that is no longer the current one (HTTP 412)."""

    status_code = 412


class TooLarge(ServiceError):
    status_code = 413


class Invalid(ServiceError):
    status_code = 422


class TooManyRequests(ServiceError):
    """Too many failed logins (``retry_after``: seconds until one may succeed), or too much work
    queued for one user (HTTP 429)."""

    status_code = 429

    def __init__(self, detail: str, retry_after: int | None = None) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
