"""Bounded input through the real API (issue 23): integers beyond 64 bits, work limits (routine,
demo project, text), the per-user job quota, costly uploads refused by their headers, and
bidirectional control characters in names. Each refusal is a 4xx naming the problem, whose body
matches what the OpenAPI schema declares, and stores nothing."""

from __future__ import annotations

import struct
import time
import zlib

import httpx
import pytest
from support.factories import (
    add_images,
    create_project,
    create_user,
    image_bytes,
    setup_admin,
    upload_images,
)
from support.server import api_with_fresh_database

BIG = 2**63  # one past the largest 64-bit integer
LIMITS = {
    "max_active_jobs_per_user": "2",
    "max_routine_steps": "100",
    "max_batch_size": "16",
    "max_routine_checkpoints": "3",
    "max_demo_images": "40",
    "max_demo_image_size": "128",
    "max_description_length": "50",
    "max_request_pixels": "2000000",
    "max_storage_bytes_per_user": "300000",
}


@pytest.fixture(scope="module")
def limited(tmp_path_factory, redis_url):
    """An API with small limits (LIMITS), shared by this module's tests."""
    with api_with_fresh_database(tmp_path_factory.mktemp("limited"), redis_url, **LIMITS) as api:
        yield api


@pytest.fixture(scope="module")
def limited_admin(limited):
    return setup_admin(limited)


def assert_validation_422(answer: httpx.Response, loc: list) -> None:
    """FastAPI's 422: `detail` a list of entries, one naming `loc` (the OpenAPI schema's
    HTTPValidationError)."""
    assert answer.status_code == 422, answer.text
    detail = answer.json()["detail"]
    assert isinstance(detail, list) and detail, detail
    assert any(entry["loc"] == loc for entry in detail), detail
    assert all({"loc", "msg", "type"} <= set(entry) for entry in detail)


def assert_rule_422(answer: httpx.Response, *words: str) -> None:
    """A business 422: `detail` a sentence (ErrorBody) naming what was refused."""
    assert answer.status_code == 422, answer.text
    detail = answer.json()["detail"]
    assert isinstance(detail, str)
    for word in words:
        assert word in detail, detail


# --- integers beyond 64 bits ------------------------------------------------------------------


def test_ids_offsets_and_list_items_beyond_64_bits_are_422_not_500(client, project):
    pid = project["id"]
    [image] = add_images(client, pid, 1)
    for big in (BIG, -BIG - 1):
        assert_validation_422(client.get(f"/projects/{big}"), ["path", "project_id"])
    assert_validation_422(client.get(f"/projects/{pid}/images/{BIG}"), ["path", "image_id"])
    assert_validation_422(client.get(f"/projects/{pid}/jobs/{BIG}"), ["path", "job_id"])
    assert_validation_422(client.delete(f"/tokens/{BIG}"), ["path", "token_id"])
    assert_validation_422(
        client.get(f"/projects/{pid}/images", params={"offset": BIG}), ["query", "offset"]
    )
    assert_validation_422(
        client.get(f"/projects/{pid}/predictions", params={"job_id": BIG}), ["query", "job_id"]
    )
    assert_validation_422(
        client.post(
            f"/projects/{pid}/images/state", json={"image_ids": [BIG], "state": "complete"}
        ),
        ["body", "image_ids", 0],
    )
    assert_validation_422(
        client.post(
            f"/projects/{pid}/images/{image['id']}/annotations",
            json={"class_id": BIG, "box": [1, 1, 5, 5]},
        ),
        ["body", "class_id"],
    )
    assert_validation_422(
        client.post(f"/projects/{pid}/jobs", json={"kind": "detect", "params": {"model_id": BIG}}),
        ["body", "params", "model_id"],
    )
    assert client.get(f"/projects/{pid}/images/{image['id']}").json()["state"] == "unlabelled"
    # the schema says so: every integer path parameter is bounded
    schema = client.get("/openapi.json").json()
    unbounded = [
        (path, parameter["name"])
        for path, item in schema["paths"].items()
        for operation in item.values()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "path"
        and parameter["schema"].get("type") == "integer"
        and parameter["schema"].get("maximum") != BIG - 1
    ]
    assert unbounded == [], unbounded


def test_a_token_lifetime_beyond_100_years_is_422(client):
    for days in (1e12, 36_501, 0, -1):
        answer = client.post("/tokens", json={"name": "x", "expires_in_days": days})
        assert_validation_422(answer, ["body", "expires_in_days"])
    made = client.post("/tokens", json={"name": "x", "expires_in_days": 36_500})
    assert made.status_code == 201, made.text


def test_422_answers_match_the_schema_everywhere(client):
    """Every operation's 422 admits both shapes: FastAPI's list and a business sentence (an
    import's refusal too)."""
    schema = client.get("/openapi.json").json()
    both = [
        {"$ref": "#/components/schemas/ErrorBody"},
        {"$ref": "#/components/schemas/HTTPValidationError"},
    ]
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            answer = operation["responses"].get("422")
            if answer is None:
                continue
            declared = answer["content"]["application/json"]["schema"]
            assert all(ref in declared["anyOf"] for ref in both), (method, path, declared)


# --- limits on work ---------------------------------------------------------------------------


def test_routine_and_image_id_limits_are_422(limited, limited_admin):
    client = limited_admin.client
    pid = create_project(client)["id"]
    add_images(client, pid, 1)
    cases = [
        ({"routine": {"steps": 1_000_000_000}}, "steps"),
        ({"routine": {"steps": 101}}, "MAX_ROUTINE_STEPS"),
        ({"routine": {"batch_size": 1_000_000}}, "MAX_BATCH_SIZE"),
        ({"routine": {"checkpoints": [1, 2, 3, 4]}}, "MAX_ROUTINE_CHECKPOINTS"),
        ({"routine": {"checkpoints": [10**12]}}, "MAX_ROUTINE_STEPS"),
        ({"routine": {"seed": BIG}}, None),
    ]
    for params, words in cases:
        answer = client.post(f"/projects/{pid}/jobs", json={"kind": "iterate", "params": params})
        assert answer.status_code == 422, (params, answer.text)
        if words is not None:
            assert words in str(answer.json()["detail"]), answer.text
    assert client.get(f"/projects/{pid}/jobs").json() == []


def test_demo_project_limits_are_422(limited, limited_admin):
    client = limited_admin.client
    before = len(client.get("/projects").json())
    for body, words in [
        ({"adapt_unannotated": 1_000_000_000}, "MAX_DEMO_IMAGES"),
        ({"adapt_annotated": 20, "adapt_unannotated": 10, "holdout": 11}, "MAX_DEMO_IMAGES"),
        ({"adapt_unannotated": 0, "holdout": 0, "image_size": 129}, "MAX_DEMO_IMAGE_SIZE"),
    ]:
        assert_rule_422(client.post("/projects/demo", json=body), words)
    assert_validation_422(
        client.post("/projects/demo", json={"image_size": 4096}), ["body", "image_size"]
    )
    assert_validation_422(client.post("/projects/demo", json={"seed": -1}), ["body", "seed"])
    assert_validation_422(
        client.post("/projects/demo", json={"classes": ["x"] * 1001}), ["body", "classes"]
    )
    assert len(client.get("/projects").json()) == before


def test_text_limits_are_422(limited, limited_admin):
    client = limited_admin.client
    assert_rule_422(
        client.post("/projects", json={"name": "p", "description": "x" * 51}),
        "51 characters",
        "MAX_DESCRIPTION_LENGTH",
    )
    project = create_project(client)
    assert_rule_422(
        client.patch(f"/projects/{project['id']}", json={"description": "x" * 5_000_000}),
        "MAX_DESCRIPTION_LENGTH",
    )
    assert client.get(f"/projects/{project['id']}").json()["description"] == ""
    assert_validation_422(client.post("/projects", json={"name": "n" * 201}), ["body", "name"])
    assert_validation_422(
        client.post("/projects", json={"name": "p", "classes": [{"name": "c" * 101}]}),
        ["body", "classes", 0, "name"],
    )


def test_a_user_has_at_most_max_active_jobs_per_user_queued_or_running(limited, limited_admin):
    client = limited_admin.client
    pid = create_project(client)["id"]
    add_images(client, pid, 2)
    for _ in range(2):
        made = client.post(f"/projects/{pid}/jobs", json={"kind": "detect"})
        assert made.status_code == 201, made.text
    refused = client.post(f"/projects/{pid}/jobs", json={"kind": "detect"})
    assert refused.status_code == 429, refused.text
    assert "2 jobs queued or running" in refused.json()["detail"]
    assert "MAX_ACTIVE_JOBS_PER_USER" in refused.json()["detail"]
    demo = client.post(
        "/projects/demo", json={"adapt_unannotated": 0, "holdout": 0, "image_size": 64}
    )
    assert demo.status_code == 429
    assert len(client.get(f"/projects/{pid}/jobs").json()) == 2
    # another user is not held back by this one's jobs
    other = create_user(limited, limited_admin)
    other_pid = create_project(other.client)["id"]
    add_images(other.client, other_pid, 1)
    assert (
        other.client.post(f"/projects/{other_pid}/jobs", json={"kind": "detect"}).status_code == 201
    )
    # a finished (here cancelled) job no longer counts
    first = client.get(f"/projects/{pid}/jobs").json()[-1]
    client.post(f"/projects/{pid}/jobs/{first['id']}/cancel").raise_for_status()
    assert client.post(f"/projects/{pid}/jobs", json={"kind": "detect"}).status_code == 201


# --- costly uploads ---------------------------------------------------------------------------


def png_header(width: int, height: int, tag: int = 0) -> bytes:
    """A PNG that declares width x height RGB pixels and holds almost none of them."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(bytes(1000) + tag.to_bytes(4, "big"))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def test_many_large_image_headers_are_refused_before_any_is_decoded(client, project):
    """Forty 39.7-megapixel PNG headers (about 1.6 gigapixels, a few kB each) cost the API 8.5 s
    when each was decoded; they are refused by their headers (413) at once."""
    files = [(f"big-{i}.png", png_header(7000, 5670, i)) for i in range(40)]
    started = time.monotonic()
    answer = upload_images(client, project["id"], files)
    elapsed = time.monotonic() - started
    assert answer.status_code == 413, answer.text
    assert "MAX_REQUEST_PIXELS" in answer.json()["detail"]
    assert elapsed < 3.0, elapsed
    one_too_many = upload_images(client, project["id"], [("huge.png", png_header(9000, 9000))])
    assert_rule_422(one_too_many, "81000000 pixels", "over the limit")
    assert client.get(f"/projects/{project['id']}/images").json()["total"] == 0


def test_pixels_per_request_are_bounded_by_the_setting(limited, limited_admin):
    client = limited_admin.client
    pid = create_project(client)["id"]
    # 2 MP per request here: three 800x800 images (1.92 MP) pass, a fourth is one too many
    files = [(f"{i}.png", image_bytes(800, 800, color=(i, 0, 0))) for i in range(4)]
    assert upload_images(client, pid, files[:3]).status_code == 201
    refused = upload_images(client, pid, files)
    assert refused.status_code == 413, refused.text
    assert "2560000 pixels" in refused.json()["detail"]


def test_stored_bytes_per_user_are_bounded_by_the_setting(limited, limited_admin):
    import io

    import numpy as np
    from PIL import Image
    from support.factories import create_user

    someone = create_user(limited, limited_admin)
    pid = create_project(someone.client)["id"]

    def noise(seed: int) -> bytes:  # ~120 kB: random pixels do not compress
        pixels = np.random.default_rng(seed).integers(0, 256, (200, 200, 3), dtype=np.uint8)
        out = io.BytesIO()
        Image.fromarray(pixels).save(out, format="PNG")
        return out.getvalue()

    first = [(f"n{i}.png", noise(i)) for i in range(2)]
    assert sum(len(d) for _, d in first) < 300_000
    assert upload_images(someone.client, pid, first).status_code == 201
    refused = upload_images(someone.client, pid, [("n2.png", noise(2))])
    assert refused.status_code == 413, refused.text
    assert "MAX_STORAGE_BYTES_PER_USER" in refused.json()["detail"]
    assert someone.client.get(f"/projects/{pid}/images").json()["total"] == 2
    imported = someone.client.post(
        f"/projects/{pid}/imports",
        files={"file": ("data.zip", noise(3), "application/zip")},
    )
    assert imported.status_code == 413, imported.text


@pytest.mark.parametrize("control", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200e", "\u200f"])
def test_bidi_controls_are_refused_in_file_names_and_other_names(client, project, control):
    pid = project["id"]
    name = f"invoice{control}gnp.exe"
    answer = upload_images(client, pid, [(name, image_bytes())])
    assert_rule_422(answer, "bidirectional", f"U+{ord(control):04X}")
    assert client.get(f"/projects/{pid}/images").json()["total"] == 0
    assert_validation_422(client.post("/projects", json={"name": name}), ["body", "name"])
    assert_validation_422(
        client.post(f"/projects/{pid}/classes", json={"name": f"cat{control}"}), ["body", "name"]
    )
    assert_validation_422(client.post("/tokens", json={"name": name}), ["body", "name"])
    assert_validation_422(client.patch(f"/projects/{pid}", json={"name": name}), ["body", "name"])
    assert client.get(f"/projects/{pid}").json()["name"] == project["name"]
