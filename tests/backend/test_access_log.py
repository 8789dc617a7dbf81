"""The API's access log leaves out worker heartbeats (one every few seconds per worker) and
keeps every other request."""

import logging

import backend.main  # noqa: F401  (installs the filter)


def _passes(message: str) -> bool:
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, message, None, None)
    return all(f.filter(record) for f in logging.getLogger("uvicorn.access").filters)


def test_heartbeats_stay_out_of_the_access_log_and_other_requests_stay_in():
    assert not _passes('127.0.0.1:5000 - "POST /api/worker/workers/vm-1/heartbeat HTTP/1.1" 200')
    assert _passes('127.0.0.1:5000 - "POST /api/worker/tasks/7/progress HTTP/1.1" 200')
    assert _passes('127.0.0.1:5000 - "GET /api/projects HTTP/1.1" 200')
