"""Two webhook senders at once (two API processes' sender loops, here two threads with their own
engines and connection pools) over many queued deliveries on PostgreSQL: the compare-and-set
claim lets exactly one of them post each delivery, so the receiver gets each exactly once."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from backend.db import Project, Webhook, WebhookDelivery
from backend.db.session import make_engine
from backend.services import webhooks as service
from backend.settings import get_settings

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="concurrent senders are checked on PostgreSQL (set TEST_DATABASE_URL)",
)

DELIVERIES = 300


class CountingReceiver:
    """Records the X-MetaLoop-Delivery of every POST whose signature is right (a few ms each, so
    the two senders' batches overlap); a wrong signature is recorded as such."""

    def __init__(self, secret: str) -> None:
        self.received: list[str] = []
        self.bad_signatures = 0
        lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
                good = hmac.compare_digest(self.headers["X-MetaLoop-Signature"], f"sha256={digest}")
                time.sleep(0.003)
                with lock:
                    if good and json.loads(body)["event"] == "job.succeeded":
                        receiver.received.append(self.headers["X-MetaLoop-Delivery"])
                    else:
                        receiver.bad_signatures += 1
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_two_senders_deliver_each_queued_delivery_exactly_once(database_url, monkeypatch):
    monkeypatch.setenv("WEBHOOKS_ALLOW_PRIVATE", "true")
    monkeypatch.setenv("WEBHOOK_TIMEOUT_SECONDS", "10")
    get_settings.cache_clear()
    engines = [make_engine(database_url) for _ in range(3)]
    try:
        setup = sessionmaker(engines[0], expire_on_commit=False)
        with setup() as session:
            project = Project(name="senders")
            session.add(project)
            session.flush()
            hook = Webhook(
                project_id=project.id, url="http://x", secret="s3cret", events=["job.succeeded"]
            )
            session.add(hook)
            session.commit()
            receiver = CountingReceiver(hook.secret)
            hook.url = receiver.url
            for n in range(DELIVERIES):
                assert service.enqueue_event(session, project.id, "job.succeeded", {"n": n}) == 1
            session.commit()
            ids = set(session.scalars(select(WebhookDelivery.id)))
        assert len(ids) == DELIVERIES

        start = threading.Barrier(2)
        made = [0, 0]
        failures: list[BaseException] = []

        def sender(index: int) -> None:
            factory = sessionmaker(engines[index + 1], expire_on_commit=False)
            deadline = time.monotonic() + 120
            try:
                start.wait()
                while time.monotonic() < deadline:
                    made[index] += service.deliver_due(factory)
                    with factory() as session:
                        left = session.scalar(
                            select(func.count()).where(WebhookDelivery.state != "delivered")
                        )
                    if left == 0:
                        return
                    time.sleep(0.01)
                raise AssertionError(f"sender {index}: {left} deliveries left after 120 s")
            except BaseException as error:  # reported by the test's thread
                failures.append(error)

        threads = [threading.Thread(target=sender, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=150)
        receiver.close()
        assert not failures, failures
        assert receiver.bad_signatures == 0
        counts = Counter(receiver.received)
        assert set(counts) == {str(i) for i in ids}  # every delivery arrived ...
        assert max(counts.values()) == 1  # ... once
        assert sum(made) == DELIVERIES and min(made) > 0, made  # both senders posted some
        with setup() as session:
            rows = session.execute(select(WebhookDelivery.state, WebhookDelivery.attempt)).all()
        assert Counter(rows) == {("delivered", 1): DELIVERIES}
    finally:
        for engine in engines:
            engine.dispose()
        get_settings.cache_clear()
