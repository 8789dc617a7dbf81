"""The worker's side of the worker API (docs/contracts.md §2), and its blob cache."""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path
from typing import Any

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    before_sleep_log,
    retry_if_exception_type,
    retry_if_result,
    stop_after_attempt,
    wait_exponential,
)

from .config import WorkerSettings

log = logging.getLogger(__name__)


class StaleAttempt(Exception):
    """The server refused a report: this attempt is no longer the task's current one."""


class TaskUnavailable(Exception):
    """The server will not start the task (finished, cancelled or running elsewhere)."""


class ServerRefused(httpx.HTTPStatusError):
    """The server answered a 4xx other than 409: it understood the request and refused it (a
    result that fails validation, an unknown task or blob), so sending it again cannot help.

    Attributes:
        status_code: the answer's status.
        detail: the server's reason (its ``detail``, validation errors joined with "; ").
    """

    def __init__(self, response: httpx.Response):
        self.status_code = response.status_code
        self.detail = _detail(response)
        request = response.request
        super().__init__(
            f"{request.method} {request.url.path} answered {response.status_code}: {self.detail}",
            request=request,
            response=response,
        )


class TokenRefused(ServerRefused):
    """The server answered 401: it does not accept this worker's token (revoked by an admin, or
    never issued). Nothing this worker sends will be accepted until it gets a new token."""


def _server_error(response: httpx.Response) -> bool:
    return response.status_code >= 500


def _last_outcome(state: RetryCallState) -> httpx.Response:
    """Out of tries: the last answer (a 5xx), or the last network error raised again."""
    assert state.outcome is not None
    return state.outcome.result()


class WorkerApi:
    """Calls to the server's worker API, authenticated with the worker token.

    Transient network errors and 5xx answers are retried with exponential back-off (0.5 s,
    doubling, at most 10 s; ``retries`` more tries, default WORKER_HTTP_RETRIES), then raised
    (``httpx.TransportError``, or ``httpx.HTTPStatusError`` for the last 5xx). 409 answers
    become :class:`StaleAttempt` (reports) or :class:`TaskUnavailable` (start); other 4xx
    answers are not retried and become :class:`ServerRefused`, with the server's reason.
    """

    def __init__(self, settings: WorkerSettings, retries: int | None = None):
        self.settings = settings
        self.retries = settings.http_retries if retries is None else retries
        self.http = httpx.Client(
            base_url=settings.server_url + "/api/worker",
            headers={"Authorization": f"Bearer {settings.worker_token}"},
            timeout=settings.http_timeout,
        )
        self._retrying = Retrying(
            retry=retry_if_exception_type(httpx.TransportError) | retry_if_result(_server_error),
            stop=stop_after_attempt(self.retries + 1),
            wait=wait_exponential(multiplier=0.5, max=10.0),
            before_sleep=before_sleep_log(log, logging.WARNING),
            retry_error_callback=_last_outcome,
        )

    def close(self) -> None:
        self.http.close()

    def _request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self._retrying(self.http.request, method, url, **kwargs)

    def _json(self, response: httpx.Response, stale: type[Exception] = StaleAttempt) -> dict:
        if response.status_code == 409:
            raise stale(_detail(response))
        return _checked(response).json()

    def register(self, info: dict) -> dict:
        return self._json(self._request("POST", "/workers", json=info))

    def heartbeat(self, name: str, info: dict) -> dict:
        return self._json(self._request("POST", f"/workers/{name}/heartbeat", json=info))

    def start(self, task_id: int, worker: str) -> dict:
        return self._json(
            self._request("POST", f"/tasks/{task_id}/start", json={"worker": worker}),
            stale=TaskUnavailable,
        )

    def progress(
        self,
        task_id: int,
        token: str,
        progress: float,
        stage: str = "",
        message: str = "",
        points: list[dict] | None = None,
        retry: bool = True,
    ) -> bool:
        """Report progress; returns True when the job was cancelled.

        ``retry=False`` makes one try (a periodic report: the next one is the retry, and a
        long back-off would let the lease run out after the server comes back)."""
        body = {
            "attempt_token": token,
            "progress": max(0.0, min(1.0, progress)),
            "stage": stage,
            "message": message,
            "points": points or [],
        }
        url = f"/tasks/{task_id}/progress"
        response = (
            self._request("POST", url, json=body) if retry else self.http.post(url, json=body)
        )
        return bool(self._json(response).get("cancelled"))

    def result(self, task_id: int, token: str, result: dict) -> dict:
        return self._json(
            self._request(
                "POST", f"/tasks/{task_id}/result", json={"attempt_token": token, "result": result}
            )
        )

    def fail(self, task_id: int, token: str, reason: str, retry: bool) -> dict:
        return self._json(
            self._request(
                "POST",
                f"/tasks/{task_id}/fail",
                json={"attempt_token": token, "reason": reason[:2000], "retry": retry},
            )
        )

    def put_blob(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        self._json(
            self._request(
                "PUT",
                f"/blobs/{sha}",
                content=data,
                headers={"Content-Type": "application/octet-stream"},
            )
        )
        return sha

    def get_blob(self, sha256: str) -> bytes:
        return _checked(self._request("GET", f"/blobs/{sha256}")).content


def _checked(response: httpx.Response) -> httpx.Response:
    """``response`` if it succeeded; :class:`TokenRefused` for a 401, :class:`ServerRefused`
    for another 4xx, ``HTTPStatusError`` for a 5xx."""
    if response.status_code == 401:
        raise TokenRefused(response)
    if 400 <= response.status_code < 500:
        raise ServerRefused(response)
    response.raise_for_status()
    return response


def _detail(response: httpx.Response) -> str:
    """The server's reason: FastAPI's ``detail`` (a string, or validation errors as
    ``loc: msg`` joined with "; "), else the body."""
    try:
        detail = response.json().get("detail", response.text)
    except (ValueError, AttributeError):
        return response.text
    if isinstance(detail, list):
        return "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', []))}: {e.get('msg', e)}"
            if isinstance(e, dict)
            else str(e)
            for e in detail
        )
    return str(detail)


class BlobCache:
    """Blobs fetched from the server, kept on disk by sha256 and checked against it."""

    def __init__(self, api: WorkerApi, directory: Path):
        self.api = api
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a sha256: {sha256!r}")
        target = self.directory / sha256[:2] / sha256
        if target.exists():
            return target
        data = self.api.get_blob(sha256)
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ValueError(f"blob {sha256} arrived corrupted")
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{sha256}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
        return target

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()
