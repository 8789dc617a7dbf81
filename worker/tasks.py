"""Celery tasks: thin wrappers that start an attempt, run the spec, and report the result.

The database lives behind the server; a task only knows its id. Whatever happens, the message
is acknowledged once the attempt is settled with the server: the server's attempt tokens, leases
and sweeper (not Celery retries) decide whether the task runs again.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import traceback

import httpx
from celery.exceptions import Reject

from . import runner
from .celery_app import app, settings, stop_worker
from .client import (
    BlobCache,
    ServerRefused,
    StaleAttempt,
    TaskUnavailable,
    TokenRefused,
    WorkerApi,
)
from .config import WorkerSettings
from .engine.routine import Cancelled

log = logging.getLogger(__name__)
_state: dict[str, object] = {}


def _api() -> WorkerApi:
    if "api" not in _state:
        _state["api"] = WorkerApi(settings)
    return _state["api"]  # type: ignore[return-value]


def _device() -> str:
    if "device" not in _state:
        _state["device"] = runner.pick_device(settings.device)
    return _state["device"]  # type: ignore[return-value]


class Attempt:
    """One attempt of a task: progress reports, and a keeper thread that renews the lease while
    the engine is busy between reports (so only a dead process lets the lease run out).

    Reports are tried once each (the keeper reports every third of a lease, so the next report
    is the retry): a server that comes back after an outage gets a renewal within a third of a
    lease, inside the lease it renews for running tasks when it starts."""

    def __init__(
        self,
        api: WorkerApi,
        task_id: int,
        token: str,
        lease_seconds: float,
        interval: float = 0.0,
    ):
        """``interval``: progress within one stage is sent at most this often (the keeper's
        renewals carry the latest); a new stage, loss points and the end are sent at once."""
        self.api, self.task_id, self.token = api, task_id, token
        self.progress, self.stage = 0.0, "starting"
        self.interval, self._sent_at = interval, float("-inf")
        self.cancelled = False
        self.stale: str | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._keeper = threading.Thread(
            target=self._keep, args=(max(1.0, lease_seconds / 3),), daemon=True
        )
        self._keeper.start()

    def _send(self, points: list[dict] | None = None) -> None:
        with self._lock:
            try:
                if self.api.progress(
                    self.task_id, self.token, self.progress, self.stage, points=points, retry=False
                ):
                    self.cancelled = True
            except StaleAttempt as exc:
                self.stale = str(exc)

    def _keep(self, interval: float) -> None:
        while not self._stop.wait(interval):
            try:
                self._send()
            except httpx.HTTPError as exc:  # the next report or the sweeper settles it
                log.warning("lease renewal of task %s failed: %s", self.task_id, exc)

    def __call__(self, progress: float, stage: str = "", points: list[dict] | None = None) -> None:
        """Report progress from the engine; raises StaleAttempt or Cancelled when the server
        says so. A server out of reach (after the client's retries) does not stop the work: the
        keeper keeps trying, and the server renews leases when it starts again."""
        new_stage = bool(stage) and stage != self.stage
        self.progress, self.stage = progress, stage or self.stage
        now = time.monotonic()
        if points or new_stage or progress >= 1.0 or now - self._sent_at >= self.interval:
            self._sent_at = now
            try:
                self._send(points)
            except httpx.HTTPError as exc:
                log.warning("progress report of task %s failed: %s", self.task_id, exc)
        if self.stale:
            raise StaleAttempt(self.stale)
        if self.cancelled:
            raise Cancelled(f"task {self.task_id} was cancelled")

    def close(self) -> None:
        self._stop.set()
        self._keeper.join(timeout=5)


def execute(
    kind: str, task_id: int, api: WorkerApi | None = None, config: WorkerSettings | None = None
) -> str:
    """Run task ``task_id``; returns how it ended (for logs and tests): ``succeeded``,
    ``failed``, ``cancelled``, ``stale`` or ``skipped``.

    Raises:
        celery.exceptions.Reject: the server refused this worker's token (401) at the start:
            the message goes back to the queue and the worker is stopped (:func:`stop_worker`).

    Failures are reported to the server: an engine error or a request the server refused (a
    4xx other than 409, e.g. a result it does not accept) with ``retry=False``, since running
    the task again would end the same way; a server out of reach with ``retry=True``.

    Arguments:
        api, config: the worker-API client and settings (default: this process's).
    """
    api = api or _api()
    config = config or settings
    try:
        spec = api.start(task_id, config.name)
    except TaskUnavailable as exc:
        log.info("task %s not started: %s", task_id, exc)
        return "skipped"
    except TokenRefused as exc:
        # this worker can do nothing more: instead of taking (and dropping) every message, it
        # puts this one back on the queue for another worker and stops
        stop_worker(f"the server refused this worker's token ({exc.detail}); issue it a new one")
        raise Reject(f"task {task_id}: worker token refused", requeue=True) from None
    except ServerRefused as exc:
        log.warning("task %s not started: %s", task_id, exc)
        return "skipped"
    token = spec["attempt_token"]
    attempt = Attempt(
        api, task_id, token, float(spec.get("lease_seconds", 60)), config.progress_interval
    )
    blobs = BlobCache(api, config.cache_dir)
    try:
        if kind == "adapt":
            result = runner.run_adapt(spec, blobs, attempt, api.put_blob, _device())
        elif kind == "detect":
            result = runner.run_detect(spec, blobs, attempt, _device(), config.detect_batch_size)
        elif kind == "evaluate":
            result = runner.run_evaluate(spec, blobs, attempt, _device(), config.detect_batch_size)
        elif kind == "generate":
            result = runner.run_generate(spec, attempt, api.put_blob)
        elif kind == "export_onnx":
            result = runner.run_export_onnx(spec, blobs, attempt, api.put_blob)
        else:
            raise ValueError(f"unknown task kind {kind!r}")
        attempt.close()
        posted = time.perf_counter()
        api.result(task_id, token, result)
        stages = {**result.get("stage_seconds", {}), "store": time.perf_counter() - posted}
        # one line per task, in a form benchmarks read (bench.loop)
        log.info(
            "task %s (%s) succeeded; stage seconds %s",
            task_id,
            kind,
            json.dumps({k: round(v, 4) for k, v in stages.items()}),
        )
        return "succeeded"
    except Cancelled:
        log.info("task %s cancelled", task_id)
        return "cancelled"
    except StaleAttempt as exc:
        log.warning("task %s: attempt superseded (%s); dropping its work", task_id, exc)
        return "stale"
    except ServerRefused as exc:
        log.error("task %s: the server refused the worker's request: %s", task_id, exc)
        _report_failure(
            api, task_id, token, f"the server refused the worker's request: {exc}", retry=False
        )
        return "failed"
    except httpx.HTTPError as exc:
        log.exception("task %s: server unreachable", task_id)
        _report_failure(
            api, task_id, token, f"worker could not reach the server: {exc}", retry=True
        )
        return "failed"
    except Exception as exc:  # noqa: BLE001 - any engine error fails the task with its reason
        log.exception("task %s failed", task_id)
        reason = f"{type(exc).__name__}: {exc}\n" + "".join(traceback.format_exc(limit=5))
        _report_failure(api, task_id, token, reason, retry=False)
        return "failed"
    finally:
        attempt.close()


def _report_failure(api: WorkerApi, task_id: int, token: str, reason: str, retry: bool) -> None:
    try:
        api.fail(task_id, token, reason, retry)
    except (StaleAttempt, httpx.HTTPError) as exc:  # lease expiry and the sweeper settle it
        log.warning("could not report failure of task %s: %s", task_id, exc)


@app.task(name="metaloop.adapt")
def adapt_task(task_id: int) -> str:
    return execute("adapt", task_id)


@app.task(name="metaloop.detect")
def detect_task(task_id: int) -> str:
    return execute("detect", task_id)


@app.task(name="metaloop.evaluate")
def evaluate_task(task_id: int) -> str:
    return execute("evaluate", task_id)


@app.task(name="metaloop.generate")
def generate_task(task_id: int) -> str:
    return execute("generate", task_id)


@app.task(name="metaloop.export_onnx")
def export_onnx_task(task_id: int) -> str:
    return execute("export_onnx", task_id)
