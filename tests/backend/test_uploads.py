"""Uploads are checked before anything is kept (issue 2, item 4): each bad file gets a 4xx that
names it, and neither a row nor a blob is stored."""

from __future__ import annotations

import io
import random
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image
from support.factories import create_project, image_bytes, setup_admin, upload_images
from support.server import ApiServer, start_api
from support.services import fresh_database_url

MAX_BYTES = 60_000
MAX_PIXELS = 1_000_000


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height, with one tiny data chunk: a decompression bomb's
    shape without its size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


def zeros_png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("L", (width, height), 0).save(out, format="PNG", optimize=True)
    return out.getvalue()


def noise_png(size: int) -> bytes:
    out = io.BytesIO()
    Image.frombytes("RGB", (size, size), random.Random(0).randbytes(size * size * 3)).save(
        out, "PNG"
    )
    return out.getvalue()


@pytest.fixture(scope="module")
def limited_server(tmp_path_factory, redis_url):
    directory = tmp_path_factory.mktemp("limited")
    with fresh_database_url(directory / "db") as url:
        server = start_api(
            url,
            redis_url,
            directory,
            max_upload_bytes=str(MAX_BYTES),
            max_image_pixels=str(MAX_PIXELS),
        )
        yield server
        server.stop()


@pytest.fixture(scope="module")
def owner(limited_server):
    return setup_admin(limited_server)


def blob_files(server: ApiServer) -> list[Path]:
    root = Path(server.env["DATA_DIR"]) / "blobs"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def truncated_jpeg() -> bytes:
    data = image_bytes(200, 200, fmt="JPEG")
    return data[: len(data) // 2]


BAD_FILES = {
    "non-image bytes": ("notes.png", b"this is not an image at all", 422, "not an image"),
    "truncated image": ("half.jpg", truncated_jpeg(), 422, "truncated"),
    "decompression bomb (over MAX_IMAGE_PIXELS)": (
        "bomb.png",
        zeros_png(2000, 2000),
        422,
        "decompression bomb",
    ),
    "decompression bomb (over Pillow's own limit)": (
        "huge.png",
        png_header_only(30000, 30000),
        422,
        "decompression bomb",
    ),
    "file over the size limit": ("big.png", noise_png(200), 413, "over the limit"),
    # names are labels: a path is cut to its base name (tests/backend/test_image_intake.py), but
    # one that names no file is refused
    "name '..'": ("..", image_bytes(), 422, "names no file"),
    "name of a directory": ("dir/", image_bytes(), 422, "names no file"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_is_refused_with_a_clear_4xx_and_nothing_is_stored(limited_server, owner, case):
    name, data, status, words = BAD_FILES[case]
    project = create_project(owner.client)
    before = blob_files(limited_server)
    answer = upload_images(owner.client, project["id"], [("good.png", image_bytes()), (name, data)])
    assert answer.status_code == status, answer.text
    detail = answer.json()["detail"]
    assert words in detail
    assert repr(name)[1:-1].split("\\")[-1] in detail or name in detail
    assert owner.client.get(f"/projects/{project['id']}/images").json()["total"] == 0
    assert blob_files(limited_server) == before


def test_good_uploads_are_stored_once_by_content(limited_server, owner):
    project = create_project(owner.client)
    data = image_bytes(30, 20)
    answer = upload_images(
        owner.client, project["id"], [("a.png", data), ("b.png", data)], pool="holdout"
    )
    assert answer.status_code == 201, answer.text
    rows = answer.json()
    assert [r["file_name"] for r in rows] == ["a.png"]  # one file, one image (the first name)
    assert {r["pool"] for r in rows} == {"holdout"}
    assert (rows[0]["width"], rows[0]["height"]) == (30, 20)
    stored = [p for p in blob_files(limited_server) if p.name == rows[0]["sha256"][2:]]
    assert len(stored) == 1
    assert stored[0].read_bytes() == data
    other = create_project(owner.client)
    again = upload_images(owner.client, other["id"], [("c.png", data)]).json()[0]
    assert again["sha256"] == rows[0]["sha256"] and again["id"] != rows[0]["id"]
    assert [p for p in blob_files(limited_server) if p.name == rows[0]["sha256"][2:]] == stored


def test_exif_orientation_is_applied_before_the_size_is_recorded(limited_server, owner):
    project = create_project(owner.client)
    rotated = image_bytes(40, 20, fmt="JPEG", exif_orientation=6)  # "rotate 90° to display"
    row = upload_images(owner.client, project["id"], [("phone.jpg", rotated)]).json()[0]
    assert (row["width"], row["height"]) == (20, 40)
    served = owner.client.get(f"/projects/{project['id']}/images/{row['id']}/file")
    assert served.status_code == 200
    with Image.open(io.BytesIO(served.content)) as image:
        assert image.size == (20, 40)
        assert image.getexif().get(0x0112, 1) == 1


def test_upload_without_files_is_422(limited_server, owner):
    project = create_project(owner.client)
    answer = owner.client.post(f"/projects/{project['id']}/images", data={"pool": "adapt"})
    assert answer.status_code == 422


def test_bytes_and_thumbnail_are_served_also_with_a_files_ticket(limited_server, owner):
    project = create_project(owner.client)
    row = upload_images(owner.client, project["id"], [("p.png", image_bytes(600, 300))]).json()[0]
    anon = limited_server.client()
    base = f"/projects/{project['id']}/images/{row['id']}"
    assert anon.get(f"{base}/file").status_code == 401
    assert anon.get(f"{base}/file", params={"access_token": owner.token}).status_code == 401
    ticket = owner.client.post("/tickets", json={"purpose": "files", "project_id": project["id"]})
    assert ticket.status_code == 201, ticket.text
    file = anon.get(f"{base}/file", params={"ticket": ticket.json()["ticket"]})
    assert file.status_code == 200
    assert file.headers["content-type"] == "image/png"
    thumb = anon.get(f"{base}/thumbnail", params={"ticket": ticket.json()["ticket"]})
    assert thumb.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(thumb.content)) as image:
        assert max(image.size) == 256


def test_list_paginates_filters_and_changes_pools(limited_server, owner):
    project = create_project(owner.client)
    pid = project["id"]
    files = [(f"i{i}.png", image_bytes(20 + i, 20)) for i in range(5)]
    rows = upload_images(owner.client, pid, files).json()
    page = owner.client.get(f"/projects/{pid}/images", params={"offset": 1, "limit": 2}).json()
    assert page["total"] == 5
    assert [i["id"] for i in page["items"]] == [rows[1]["id"], rows[2]["id"]]
    moved = owner.client.post(
        f"/projects/{pid}/images/pool",
        json={"image_ids": [rows[0]["id"], rows[1]["id"]], "pool": "holdout"},
    )
    assert moved.status_code == 200
    one = owner.client.patch(f"/projects/{pid}/images/{rows[2]['id']}", json={"pool": "holdout"})
    assert one.json()["pool"] == "holdout"
    holdout = owner.client.get(f"/projects/{pid}/images", params={"pool": "holdout"}).json()
    assert holdout["total"] == 3
    owner.client.post(
        f"/projects/{pid}/images/{rows[3]['id']}/annotations",
        json={"class_id": project["classes"][0]["id"], "box": [0, 0, 5, 5]},
    )
    annotated = owner.client.get(f"/projects/{pid}/images", params={"annotated": True}).json()
    assert [i["id"] for i in annotated["items"]] == [rows[3]["id"]]
    assert annotated["items"][0]["annotation_count"] == 1
    assert (
        owner.client.get(f"/projects/{pid}/images", params={"annotated": False}).json()["total"]
        == 4
    )
    assert (
        owner.client.get(f"/projects/{pid}/images", params={"has_predictions": True}).json()[
            "total"
        ]
        == 0
    )
    missing = owner.client.post(
        f"/projects/{pid}/images/pool", json={"image_ids": [999999], "pool": "adapt"}
    )
    assert missing.status_code == 404
    assert owner.client.delete(f"/projects/{pid}/images/{rows[3]['id']}").status_code == 204
    assert owner.client.get(f"/projects/{pid}/images").json()["total"] == 4
