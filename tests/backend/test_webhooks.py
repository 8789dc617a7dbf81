"""Webhooks through the real API: a local HTTP server receives signed deliveries when a job
finishes (driven by the worker stand-in) and a model is created, and a test delivery on request;
a target that answers 500 is retried; https targets are verified against WEBHOOKS_CA_BUNDLE
(local HTTPS servers with trustme certificates); private and loopback targets are refused unless
the server allows them."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import ssl
import threading
import time
import uuid
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import trustme
from support.factories import (
    add_images,
    annotate,
    create_project,
    create_user,
    image_bytes,
    setup_admin,
)
from support.worker_standin import WorkerStandIn, adapt_result

from backend.services.errors import Invalid
from backend.services.webhooks import resolve


class Receiver:
    """An HTTP server on 127.0.0.1 that records every POST; a path in `fail_first` answers 500
    to its first request. With `tls` (a server context), it speaks HTTPS."""

    def __init__(self, fail_first: tuple[str, ...] = (), tls: ssl.SSLContext | None = None) -> None:
        self.requests: list[dict] = []
        self.fail_first = set(fail_first)
        self.lock = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.lock:
                    failing = self.path in receiver.fail_first
                    receiver.fail_first.discard(self.path)
                    receiver.requests.append(
                        {"path": self.path, "headers": dict(self.headers), "body": body}
                    )
                    receiver.lock.notify_all()
                self.send_response(500 if failing else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        scheme = "https" if tls is not None else "http"
        self.url = f"{scheme}://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def wait_for(self, predicate, timeout: float = 30.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        with self.lock:
            while not predicate(self.requests):
                left = deadline - time.monotonic()
                assert left > 0, f"timed out; received {[r['path'] for r in self.requests]}"
                self.lock.wait(left)
            return list(self.requests)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver(fail_first=("/flaky",))
    yield server
    server.close()


@pytest.fixture
def server(start_api_server):
    return start_api_server(
        webhooks_allow_private="true",
        webhook_retry_seconds="0.3",
        webhook_interval_seconds="0.2",
    )


def events_at(requests: list[dict], path: str) -> list[str]:
    return [r["headers"]["X-MetaLoop-Event"] for r in requests if r["path"] == path]


def signed(secret: str, request: dict) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), request["body"], hashlib.sha256).hexdigest()
    return hmac.compare_digest(request["headers"]["X-MetaLoop-Signature"], expected)


def deliveries_when(client, pid: int, hook_id: int, done, timeout: float = 15.0) -> list[dict]:
    """The webhook's deliveries once `done(deliveries)` holds (polled)."""
    deadline = time.monotonic() + timeout
    while True:
        answer = client.get(f"/projects/{pid}/webhooks/{hook_id}/deliveries")
        assert answer.status_code == 200, answer.text
        deliveries = answer.json()
        if done(deliveries):
            return deliveries
        assert time.monotonic() < deadline, f"timed out; deliveries: {deliveries}"
        time.sleep(0.1)


def https_receiver(ca: trustme.CA) -> Receiver:
    """An HTTPS receiver on 127.0.0.1 whose certificate `ca` issued (for 127.0.0.1, localhost)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return Receiver(tls=context)


def test_a_test_delivery_is_queued_signed_sent_and_shown(server, receiver) -> None:
    owner = setup_admin(server)
    client = owner.client
    pid = create_project(client)["id"]
    # a hook that subscribes to one event still gets the test (it is asked for by name)
    hook = client.post(
        f"/projects/{pid}/webhooks",
        json={"url": f"{receiver.url}/test", "events": ["import.finished"]},
    ).json()
    answer = client.post(f"/projects/{pid}/webhooks/{hook['id']}/test")
    assert answer.status_code == 202, answer.text
    queued = answer.json()
    assert queued["event"] == "webhook.test" and queued["webhook_id"] == hook["id"]
    assert queued["state"] in ("pending", "sending", "delivered") and queued["id"] > 0

    request = receiver.wait_for(lambda rs: len(events_at(rs, "/test")) >= 1)[0]
    assert signed(hook["secret"], request)
    assert request["headers"]["X-MetaLoop-Event"] == "webhook.test"
    assert request["headers"]["X-MetaLoop-Delivery"] == str(queued["id"])
    assert request["headers"]["X-MetaLoop-Attempt"] == "1"
    payload = json.loads(request["body"])
    assert payload["event"] == "webhook.test" and payload["project_id"] == pid
    assert payload["data"]["webhook_id"] == hook["id"]
    assert payload["data"]["url"] == f"{receiver.url}/test" and payload["delivered_at"]
    deliveries = deliveries_when(
        client, pid, hook["id"], lambda ds: ds and ds[0]["state"] == "delivered"
    )
    assert [(d["id"], d["event"], d["attempt"], d["status_code"]) for d in deliveries] == [
        (queued["id"], "webhook.test", 1, 200)
    ]
    # a failing target: the test delivery is retried like any event
    flaky = client.post(f"/projects/{pid}/webhooks", json={"url": f"{receiver.url}/flaky"}).json()
    second = client.post(f"/projects/{pid}/webhooks/{flaky['id']}/test").json()
    requests = receiver.wait_for(lambda rs: len(events_at(rs, "/flaky")) >= 2)
    attempts = [r for r in requests if r["path"] == "/flaky"]
    assert [r["headers"]["X-MetaLoop-Attempt"] for r in attempts] == ["1", "2"]
    assert {r["headers"]["X-MetaLoop-Delivery"] for r in attempts} == {str(second["id"])}
    assert all(signed(flaky["secret"], r) for r in attempts)
    shown = deliveries_when(
        client, pid, flaky["id"], lambda ds: ds and ds[0]["state"] == "delivered"
    )
    assert shown[0]["attempt"] == 2 and shown[0]["status_code"] == 200

    # errors: an inactive hook (409), an unknown hook (404), a viewer or stranger (403/404)
    client.patch(f"/projects/{pid}/webhooks/{hook['id']}", json={"active": False})
    inactive = client.post(f"/projects/{pid}/webhooks/{hook['id']}/test")
    assert inactive.status_code == 409 and "inactive" in inactive.json()["detail"]
    assert client.post(f"/projects/{pid}/webhooks/999999/test").status_code == 404
    other = create_user(server, owner)
    assert other.client.post(f"/projects/{pid}/webhooks/{flaky['id']}/test").status_code in (
        403, 404,
    )  # fmt: skip
    time.sleep(0.3)
    assert len(events_at(receiver.requests, "/test")) == 1


def test_https_targets_are_verified_against_the_configured_ca_bundle(
    start_api_server, tmp_path
) -> None:
    """A target whose certificate comes from the CA in WEBHOOKS_CA_BUNDLE is delivered to; one
    whose certificate comes from another (self-signed) CA fails with a clear error."""
    trusted_ca, other_ca = trustme.CA(), trustme.CA()
    bundle = tmp_path / "webhook-cas.pem"
    trusted_ca.cert_pem.write_to_path(str(bundle))
    server = start_api_server(
        webhooks_allow_private="true",
        webhooks_ca_bundle=str(bundle),
        webhook_interval_seconds="0.2",
        webhook_max_attempts="1",
    )
    trusted, untrusted = https_receiver(trusted_ca), https_receiver(other_ca)
    try:
        client = setup_admin(server).client
        pid = create_project(client)["id"]
        good = client.post(f"/projects/{pid}/webhooks", json={"url": f"{trusted.url}/ok"}).json()
        bad = client.post(f"/projects/{pid}/webhooks", json={"url": f"{untrusted.url}/no"}).json()
        assert good["url"].startswith("https://")
        for hook in (good, bad):
            answer = client.post(f"/projects/{pid}/webhooks/{hook['id']}/test")
            assert answer.status_code == 202, answer.text

        request = trusted.wait_for(lambda rs: len(rs) >= 1)[0]
        assert request["path"] == "/ok" and signed(good["secret"], request)
        assert json.loads(request["body"])["event"] == "webhook.test"
        delivered = deliveries_when(
            client, pid, good["id"], lambda ds: ds and ds[0]["state"] == "delivered"
        )
        assert delivered[0]["status_code"] == 200 and delivered[0]["error"] is None

        failed = deliveries_when(
            client, pid, bad["id"], lambda ds: ds and ds[0]["state"] == "failed"
        )
        error = failed[0]["error"]
        assert failed[0]["status_code"] is None
        assert error.startswith("TLS certificate not trusted"), error
        assert "unable to get local issuer certificate" in error and "WEBHOOKS_CA_BUNDLE" in error
        assert untrusted.requests == []  # the handshake failed: nothing was posted
        shown = client.get(f"/projects/{pid}/webhooks/{bad['id']}").json()
        assert shown["last_error"] == error
    finally:
        trusted.close()
        untrusted.close()


def test_signed_deliveries_arrive_when_a_job_finishes_and_a_failing_target_is_retried(
    server, receiver
):
    owner = setup_admin(server)
    client = owner.client
    project = create_project(client)
    pid = project["id"]
    image = add_images(client, pid, 1)[0]
    annotate(client, pid, image["id"], project["classes"][0]["id"])

    created = client.post(f"/projects/{pid}/webhooks", json={"url": f"{receiver.url}/all"})
    assert created.status_code == 201, created.text
    hook = created.json()
    assert hook["events"] == ["job.succeeded", "job.failed", "model.created", "import.finished"]
    secret = hook["secret"]
    assert secret and len(secret) >= 32
    flaky = client.post(
        f"/projects/{pid}/webhooks",
        json={"url": f"{receiver.url}/flaky", "events": ["job.succeeded"]},
    ).json()
    # the secret is shown once: listing and reading do not show it
    listed = client.get(f"/projects/{pid}/webhooks").json()
    assert [h["id"] for h in listed] == [hook["id"], flaky["id"]]
    assert all(h["secret"] is None for h in listed)

    standin = WorkerStandIn(server, name=f"standin-{uuid.uuid4().hex[:6]}")
    standin.register()
    job = client.post(f"/projects/{pid}/jobs", json={"kind": "adapt"}).json()
    task_id = job["tasks"][0]["id"]
    spec = standin.start_ok(task_id)
    answer = standin.result(task_id, spec["attempt_token"], adapt_result(standin))
    assert answer.status_code == 200, answer.text

    requests = receiver.wait_for(
        lambda rs: len(events_at(rs, "/all")) >= 2 and len(events_at(rs, "/flaky")) >= 2
    )
    assert sorted(events_at(requests, "/all")) == ["job.succeeded", "model.created"]
    for request in requests:
        headers, body = request["headers"], request["body"]
        expected = (
            "sha256="
            + hmac.new(
                (secret if request["path"] == "/all" else flaky["secret"]).encode(),
                body,
                hashlib.sha256,
            ).hexdigest()
        )
        assert hmac.compare_digest(headers["X-MetaLoop-Signature"], expected)
        assert headers["Content-Type"] == "application/json"
        assert headers["X-MetaLoop-Delivery"].isdigit()
        payload = json.loads(body)
        assert payload["event"] == headers["X-MetaLoop-Event"]
        assert payload["project_id"] == pid and payload["delivered_at"]
    done = next(
        json.loads(r["body"])
        for r in requests
        if r["path"] == "/all" and r["headers"]["X-MetaLoop-Event"] == "job.succeeded"
    )
    model = next(
        json.loads(r["body"])
        for r in requests
        if r["headers"]["X-MetaLoop-Event"] == "model.created"
    )
    assert done["data"]["job_id"] == job["id"] and done["data"]["state"] == "succeeded"
    assert done["data"]["result_model_id"] == model["data"]["model_id"]
    assert model["data"]["source_job_id"] == job["id"]

    # the flaky target answered 500 once: the same delivery was retried and then delivered
    flaky_requests = [r for r in requests if r["path"] == "/flaky"]
    assert len({r["headers"]["X-MetaLoop-Delivery"] for r in flaky_requests}) == 1
    assert [r["headers"]["X-MetaLoop-Attempt"] for r in flaky_requests] == ["1", "2"]
    deadline = time.monotonic() + 10
    while True:
        deliveries = client.get(f"/projects/{pid}/webhooks/{flaky['id']}/deliveries").json()
        if deliveries and deliveries[0]["state"] == "delivered" or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert len(deliveries) == 1
    assert deliveries[0]["state"] == "delivered" and deliveries[0]["attempt"] == 2
    assert deliveries[0]["status_code"] == 200 and deliveries[0]["delivered_at"]
    shown = client.get(f"/projects/{pid}/webhooks/{flaky['id']}").json()
    assert shown["last_status"] == 200 and shown["last_error"] is None

    # a failed job: job.failed to the hook that asked for all events, nothing to the other
    failing = client.post(f"/projects/{pid}/jobs", json={"kind": "adapt"}).json()
    task_id = failing["tasks"][0]["id"]
    spec = standin.start_ok(task_id)
    assert standin.fail(task_id, spec["attempt_token"], "out of memory").status_code == 200
    requests = receiver.wait_for(lambda rs: len(events_at(rs, "/all")) >= 3)
    failed = json.loads(requests[-1]["body"])
    assert failed["event"] == "job.failed" and failed["data"]["job_id"] == failing["id"]
    assert "out of memory" in failed["data"]["error"]
    time.sleep(0.5)
    assert len(events_at(receiver.requests, "/flaky")) == 2

    # rotation shows a new secret once; deletion stops deliveries
    rotated = client.patch(
        f"/projects/{pid}/webhooks/{hook['id']}", json={"rotate_secret": True, "active": False}
    ).json()
    assert rotated["secret"] and rotated["secret"] != secret and rotated["active"] is False
    assert client.delete(f"/projects/{pid}/webhooks/{hook['id']}").status_code == 204
    assert client.get(f"/projects/{pid}/webhooks/{hook['id']}").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://172.16.5.4/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://100.64.0.1/hook",
        "http://0.0.0.0/hook",
        "http://224.0.0.1/hook",
        "http://240.0.0.1/hook",
        "http://[fe80::1]/hook",
        "http://[fc00::1]/hook",
    ],
)
def test_private_loopback_link_local_multicast_and_reserved_targets_are_refused(url):
    with pytest.raises(Invalid):
        resolve(url, allow_private=False)
    resolve(url, allow_private=True)  # an admin may allow them


@pytest.mark.parametrize("url", ["ftp://example.com/x", "file:///etc/passwd", "http:///x", "x"])
def test_only_http_and_https_urls_with_a_host_are_accepted(url):
    with pytest.raises(Invalid):
        resolve(url, allow_private=True)


def test_a_public_address_is_accepted():
    host, port, addresses = resolve("https://93.184.215.14/hook", allow_private=False)
    assert (host, port, [str(a) for a in addresses]) == ("93.184.215.14", 443, ["93.184.215.14"])


def test_the_api_refuses_a_loopback_target_when_private_targets_are_not_allowed(
    client, project, make_user
):
    pid = project["id"]
    refused = client.post(f"/projects/{pid}/webhooks", json={"url": "http://127.0.0.1:9/hook"})
    assert refused.status_code == 422
    assert "loopback" in refused.json()["detail"]
    unknown = client.post(
        f"/projects/{pid}/webhooks", json={"url": "https://93.184.215.14/", "events": ["nope"]}
    )
    assert unknown.status_code == 422
    assert client.get(f"/projects/{pid}/webhooks").json() == []
    # owners only
    stranger = make_user()
    answer = stranger.client.get(f"/projects/{pid}/webhooks")
    assert answer.status_code in (403, 404)


def test_a_finished_import_is_delivered(server, receiver):
    client = setup_admin(server).client
    project = create_project(client)
    pid = project["id"]
    hook = client.post(
        f"/projects/{pid}/webhooks",
        json={"url": f"{receiver.url}/imports", "events": ["import.finished"]},
    ).json()
    coco = {
        "images": [{"id": 1, "file_name": "one.png", "width": 64, "height": 48}],
        "categories": [{"id": 1, "name": project["classes"][0]["name"]}],
        "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [2, 2, 10, 10]}],
    }
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("annotations.json", json.dumps(coco))
        zf.writestr("one.png", image_bytes(64, 48, color=(1, 2, 3)))
    answer = client.post(
        f"/projects/{pid}/imports",
        files={"file": ("data.zip", archive.getvalue(), "application/zip")},
        data={"format": "coco"},
    )
    assert answer.status_code == 202, answer.text
    requests = receiver.wait_for(lambda rs: len(events_at(rs, "/imports")) >= 1)
    delivery = next(r for r in requests if r["path"] == "/imports")
    expected = hmac.new(hook["secret"].encode(), delivery["body"], hashlib.sha256).hexdigest()
    assert delivery["headers"]["X-MetaLoop-Signature"] == f"sha256={expected}"
    payload = json.loads(delivery["body"])
    assert payload["event"] == "import.finished"
    data = payload["data"]
    assert data["images_added"] == 1 and data["annotations"] == 1
    assert data["state"] == "succeeded" and data["job_id"] == answer.json()["id"]
    assert data["format"] == "coco" and data["file_name"] == "data.zip"
    assert data["error"] is None and data["problem_count"] == 0 and data["problems"] == []


def test_a_refused_or_cancelled_import_is_delivered_as_finished(server, receiver):
    """A hook on import.finished alone hears of every import's end: refused (with its problems)
    and cancelled; job.failed still goes out for the refused one, nothing else for the cancel."""
    from test_import_jobs import many_images_zip, post_import, wait_until_running

    client = setup_admin(server).client
    project = create_project(client, classes=[{"name": "cat", "color": "#ff0000"}])
    pid = project["id"]
    for path, event in (("/imports", "import.finished"), ("/jobs", "job.failed")):
        hook = client.post(
            f"/projects/{pid}/webhooks", json={"url": f"{receiver.url}{path}", "events": [event]}
        )
        assert hook.status_code == 201, hook.text
    coco = {
        "images": [{"id": 1, "file_name": "one.png"}, {"id": 2, "file_name": "two.png"}],
        "categories": [{"id": 1, "name": "cat"}],
        "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [2, 2, 10, 10]}],
    }
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("annotations.json", json.dumps(coco))  # neither image is in it
    refused = post_import(client, pid, archive.getvalue())
    requests = receiver.wait_for(lambda rs: len(events_at(rs, "/imports")) >= 1)
    data = json.loads(next(r for r in requests if r["path"] == "/imports")["body"])["data"]
    assert data["job_id"] == refused["id"] and data["state"] == "failed", data
    assert data["problem_count"] == 2 and len(data["problems"]) == 2, data
    assert data["problems"][0]["item"] == "annotations.json: image id 1"
    assert "'one.png' is neither in the upload nor in the project" in data["error"]
    assert data["images_added"] == data["annotations"] == 0
    requests = receiver.wait_for(lambda rs: len(events_at(rs, "/jobs")) >= 1)
    failed = json.loads(next(r for r in requests if r["path"] == "/jobs")["body"])
    assert failed["data"]["job_id"] == refused["id"] and failed["data"]["kind"] == "import"

    job = post_import(client, pid, many_images_zip(300, size=72))
    wait_until_running(client, pid, job["id"])
    cancelled = client.post(f"/projects/{pid}/jobs/{job['id']}/cancel")
    assert cancelled.status_code == 200, cancelled.text
    requests = receiver.wait_for(lambda rs: len(events_at(rs, "/imports")) >= 2)
    data = json.loads([r for r in requests if r["path"] == "/imports"][1]["body"])["data"]
    assert data["job_id"] == job["id"] and data["state"] == "cancelled", data
    assert data["images_added"] == 0 and data["problem_count"] == 0 and data["error"] is None
    time.sleep(1.0)  # the import process stops at its next report; nothing more is sent
    assert len(events_at(receiver.requests, "/imports")) == 2
    assert len(events_at(receiver.requests, "/jobs")) == 1


def test_old_finished_deliveries_are_pruned(database_url, monkeypatch) -> None:
    """Finished deliveries older than WEBHOOK_DELIVERY_RETENTION_DAYS go; pending ones and
    recent ones stay (a real database, migrated)."""
    from datetime import timedelta

    from sqlalchemy import select

    from backend.db import Project, Webhook, WebhookDelivery, utcnow
    from backend.db.session import session_factory
    from backend.services import webhooks as service
    from backend.settings import get_settings

    monkeypatch.setenv("WEBHOOK_DELIVERY_RETENTION_DAYS", "30")
    get_settings.cache_clear()
    try:
        with session_factory(database_url)() as session:
            project = Project(name="p")
            session.add(project)
            session.flush()
            hook = Webhook(project_id=project.id, url="https://example.org/h", secret="s")
            session.add(hook)
            session.flush()
            old, new = utcnow() - timedelta(days=31), utcnow() - timedelta(days=29)
            for state, created in [("delivered", old), ("failed", old), ("pending", old),
                                   ("delivered", new)]:  # fmt: skip
                session.add(
                    WebhookDelivery(
                        webhook_id=hook.id, event="job.succeeded", state=state, created_at=created
                    )  # fmt: skip
                )
            session.commit()
            assert service.prune(session) == 2
            left = session.scalars(select(WebhookDelivery.state)).all()
            assert sorted(left) == ["delivered", "pending"]
    finally:
        get_settings.cache_clear()
