"""List endpoints page by cursor in a stable order (ties broken by id), refuse a bad cursor with
422, count up to a cap unless asked for the exact count; image files carry a strong ETag and
answer If-None-Match with 304."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, insert
from support.factories import add_images, annotate, create_project, setup_admin
from support.worker_standin import detect_result

from backend.db import Image
from backend.services.paging import COUNT_CAP


def walk(client: httpx.Client, url: str, params: dict[str, Any], key: str = "id") -> list[Any]:
    """Every item of a Page list, following next_cursor from the first page."""
    seen: list[Any] = []
    cursor = None
    for _ in range(1000):
        page = client.get(url, params={**params, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        body = page.json()
        assert len(body["items"]) <= params["limit"]
        seen += [item[key] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return seen
    raise AssertionError("the cursor never reached the end")


def walk_headers(client: httpx.Client, url: str, params: dict[str, Any]) -> list[int]:
    """Every item of a bare-array list, following its X-Next-Cursor header (and checking Link)."""
    seen: list[int] = []
    cursor = None
    for _ in range(1000):
        page = client.get(url, params={**params, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        seen += [item["id"] for item in page.json()]
        cursor = page.headers.get("x-next-cursor")
        if cursor is None:
            assert "link" not in page.headers
            return seen
        assert page.headers["link"].endswith('>; rel="next"')
        assert f"cursor={cursor}" in page.headers["link"]
    raise AssertionError("the cursor never reached the end")


def cursor_of(payload: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.fixture
def detected(client, project, worker):
    """A detect job over 8 images with many equal scores (ties to break) and one image without
    detections."""
    images = add_images(client, project["id"], 8)
    job = client.post(f"/projects/{project['id']}/jobs", json={"kind": "detect"}).json()
    task_id = job["tasks"][0]["id"]
    spec = worker.start_ok(task_id)
    by_id = {i["id"]: i for i in spec["images"]}
    scores = [[0.5, 0.5, 0.8], [0.5, 0.9], [0.8, 0.8], [], [0.5], [0.3, 0.5, 0.5], [0.9], [0.8]]
    result = detect_result({**spec, "images": [by_id[i["id"]] for i in images]}, scores)
    answer = worker.result(task_id, spec["attempt_token"], result)
    assert answer.status_code == 200, answer.text
    return job, images


@pytest.mark.parametrize("sort", ["uncertainty", "confidence", "image"])
def test_prediction_cursor_pages_give_every_prediction_once_in_the_sort_order(
    client, project, detected, sort
):
    job, _ = detected
    url = f"/projects/{project['id']}/predictions"
    whole = client.get(url, params={"sort": sort, "limit": 1000}).json()
    assert (whole["total"], whole["total_exact"], whole["next_cursor"]) == (13, True, None)
    rows = whole["items"]
    key = {
        "uncertainty": lambda p: (-p["uncertainty"], -p["score"], p["id"]),
        "confidence": lambda p: (-p["score"], p["id"]),
        "image": lambda p: (p["image_id"], -p["score"], p["id"]),
    }[sort]
    assert rows == sorted(rows, key=key)  # a total order: equal scores go by id
    for limit in (1, 3, 5):
        assert walk(client, url, {"sort": sort, "limit": limit}) == [p["id"] for p in rows]
    one_job = walk(client, url, {"sort": sort, "limit": 4, "job_id": job["id"], "min_score": 0.5})
    assert one_job == [p["id"] for p in rows if p["score"] >= 0.5]
    # an offset page also hands out the cursor of the rows after it
    third = client.get(url, params={"sort": sort, "limit": 3, "offset": 3}).json()
    assert [p["id"] for p in third["items"]] == [p["id"] for p in rows[3:6]]
    after = client.get(url, params={"sort": sort, "limit": 3, "cursor": third["next_cursor"]})
    assert [p["id"] for p in after.json()["items"]] == [p["id"] for p in rows[6:9]]


@pytest.mark.parametrize("sort", ["uncertainty", "confidence", "image"])
def test_review_image_cursor_pages_give_every_image_once(client, project, detected, sort):
    url = f"/projects/{project['id']}/predictions/images"
    whole = client.get(url, params={"sort": sort}).json()
    ids = [i["image_id"] for i in whole["items"]]
    assert len(ids) == len(set(ids)) == 8 and whole["total"] == 8
    assert walk(client, url, {"sort": sort, "limit": 3}, key="image_id") == ids
    if sort == "confidence":  # highest score first; the image without detections last
        assert whole["items"][-1]["max_score"] is None
        scores = [i["max_score"] for i in whole["items"][:-1]]
        assert scores == sorted(scores, reverse=True)


def test_image_cursor_pages_follow_the_filters(client, project):
    adapt = add_images(client, project["id"], 5)
    holdout = add_images(client, project["id"], 4, pool="holdout")
    annotate(client, project["id"], adapt[1]["id"], project["classes"][0]["id"])
    url = f"/projects/{project['id']}/images"
    every = sorted(i["id"] for i in adapt + holdout)
    assert walk(client, url, {"limit": 2}) == every
    assert walk(client, url, {"limit": 3, "pool": "holdout"}) == [i["id"] for i in holdout]
    assert walk(client, url, {"limit": 1, "pool": "adapt", "state": "complete"}) == [adapt[1]["id"]]
    assert walk(client, url, {"limit": 2, "annotated": False}) == [
        i for i in every if i != adapt[1]["id"]
    ]
    page = client.get(url, params={"limit": 2, "count": "exact"}).json()
    assert (page["total"], page["total_exact"]) == (9, True)


def test_jobs_and_activity_page_by_cursor_in_headers(client, project):
    images = add_images(client, project["id"], 3)
    url = f"/projects/{project['id']}/jobs"
    created = [client.post(url, json={"kind": "detect"}).json()["id"] for _ in range(5)]
    newest_first = sorted(created, reverse=True)
    assert [j["id"] for j in client.get(url).json()] == newest_first
    assert walk_headers(client, url, {"limit": 2}) == newest_first
    assert walk_headers(client, url, {"limit": 2, "kind": "detect"}) == newest_first
    last = client.get(url, params={"limit": 5})
    assert "x-next-cursor" not in last.headers
    for image in images:
        annotate(client, project["id"], image["id"], project["classes"][0]["id"])
    activity = f"/projects/{project['id']}/annotations/activity"
    everything = [a["id"] for a in client.get(activity).json()]
    assert len(everything) == 3
    assert walk_headers(client, activity, {"limit": 1}) == everything


@pytest.mark.parametrize(
    "cursor",
    [
        "not a cursor!",
        "%%%",
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
        cursor_of([1]),
        cursor_of({"l": "images", "k": [1]}),  # another list's cursor
        cursor_of({"l": "predictions:confidence", "k": [0.5, 3]}),  # another sort's
        cursor_of({"l": "predictions:uncertainty", "k": [0.5, 0.5]}),
        cursor_of({"l": "predictions:uncertainty", "k": [0.5, 0.5, "3"]}),
        cursor_of({"l": "predictions:uncertainty", "k": [0.5, 0.5, 3.5]}),
        cursor_of({"l": "predictions:uncertainty", "k": [0.5, True, 3]}),
        cursor_of({"l": "predictions:uncertainty", "k": [0.5, 0.5, 2**63]}),
        cursor_of({"l": "predictions:uncertainty", "k": [0.5, 0.5, 3], "x": 1}),
        base64.urlsafe_b64encode(b'{"l":"predictions:uncertainty","k":[NaN,0.5,3]}').decode(),
        "A" * 5000,
    ],
)
def test_a_malformed_or_foreign_cursor_is_refused_with_422(client, project, cursor):
    answer = client.get(f"/projects/{project['id']}/predictions", params={"cursor": cursor})
    assert answer.status_code == 422, answer.text
    assert "cursor" in answer.text


def test_a_bad_cursor_is_refused_by_every_paged_list(client, project):
    base = f"/projects/{project['id']}"
    for path in ("/images", "/predictions/images", "/jobs"):
        answer = client.get(base + path, params={"cursor": cursor_of({"l": "x", "k": []})})
        assert answer.status_code in (200, 422), answer.text  # 200: an empty review has no query
        if path != "/predictions/images":
            assert answer.status_code == 422 and "invalid cursor" in answer.json()["detail"]
    activity = client.get(base + "/annotations/activity", params={"cursor": "abc", "limit": 5})
    assert activity.status_code == 422
    valid = client.get(base + "/images", params={"limit": 1}).json()
    both = client.get(base + "/images", params={"cursor": cursor_of({"l": "images", "k": [1]}),
                                                "offset": 2})  # fmt: skip
    assert both.status_code == 422 and "not both" in both.json()["detail"]
    assert valid["next_cursor"] is None


def test_counts_stop_at_the_cap_unless_the_exact_count_is_asked_for(start_api_server):
    server = start_api_server(with_model=False)
    admin = setup_admin(server)
    project = create_project(admin.client)
    engine = create_engine(server.env["DATABASE_URL"])
    rows = [
        {"project_id": project["id"], "sha256": f"{n:064x}", "rendition_sha256": f"{n:064x}",
         "thumbnail_sha256": f"{n:064x}", "file_name": f"{n}.png", "format": "PNG",
         "size_bytes": 1, "width": 8, "height": 8, "pool": "adapt" if n % 2 else "holdout"}
        for n in range(COUNT_CAP + 1)
    ]  # fmt: skip
    with engine.begin() as db:
        db.execute(insert(Image), rows)
    engine.dispose()
    url = f"/projects/{project['id']}/images"
    bounded = admin.client.get(url, params={"limit": 3}).json()
    assert (bounded["total"], bounded["total_exact"]) == (COUNT_CAP, False)
    exact = admin.client.get(url, params={"limit": 3, "count": "exact"}).json()
    assert (exact["total"], exact["total_exact"]) == (COUNT_CAP + 1, True)
    holdout = admin.client.get(url, params={"limit": 3, "pool": "holdout"}).json()
    assert (holdout["total"], holdout["total_exact"]) == (COUNT_CAP // 2 + 1, True)
    # a deep page by cursor is the same as by offset
    deep = admin.client.get(url, params={"limit": 5, "offset": 9000}).json()
    by_cursor = admin.client.get(url, params={"limit": 5, "cursor": deep["next_cursor"]}).json()
    by_offset = admin.client.get(url, params={"limit": 5, "offset": 9005}).json()
    assert by_cursor["items"] == by_offset["items"] and len(by_cursor["items"]) == 5
    assert admin.client.get(url, params={"count": "roughly"}).status_code == 422


@pytest.mark.parametrize(
    ("endpoint", "field"),
    [("file", "rendition_sha256"), ("original", "sha256"), ("thumbnail", "thumbnail_sha256")],
)
def test_image_files_are_cached_by_a_strong_etag_and_revalidate_with_304(
    client, project, endpoint, field, api_server
):
    image = add_images(client, project["id"], 1)[0]
    url = f"/projects/{project['id']}/images/{image['id']}/{endpoint}"
    first = client.get(url)
    assert first.status_code == 200 and first.content
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "private, max-age=31536000, immutable"
    if field == "sha256":
        assert etag == f'"{image["sha256"]}"'
    else:  # the rendition and thumbnail sha256 are not in the API's answer: their bytes' hash
        import hashlib

        assert etag == f'"{hashlib.sha256(first.content).hexdigest()}"'
    for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        again = client.get(url, headers={"If-None-Match": header})
        assert again.status_code == 304, header
        assert again.content == b"" and again.headers["etag"] == etag
        assert again.headers["cache-control"] == first.headers["cache-control"]
    changed = client.get(url, headers={"If-None-Match": '"0000"'})
    assert changed.status_code == 200 and changed.content == first.content
    # no 304 to someone who may not see the image
    stranger = api_server.client()
    assert stranger.get(url, headers={"If-None-Match": etag}).status_code == 401
