"""Sizes in refusals read as people say them (issue 24: "20971521 bytes" → MB): the helper, and
an upload over the size limit over HTTP."""

from __future__ import annotations

import pytest
from support.factories import create_project, image_bytes, setup_admin, upload_images
from support.server import start_api
from support.services import fresh_database_url

from backend.services.sizes import human_size, over_limit


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 bytes"),
        (1, "1 byte"),
        (1023, "1023 bytes"),
        (1024, "1 KB"),
        (1536, "1.5 KB"),
        (20 * 1024 * 1024, "20 MB"),
        (int(27.3 * 1024 * 1024), "27.3 MB"),
        (50 * 1024**3, "50 GB"),
        (3 * 1024**5, "3072 TB"),
    ],
)
def test_human_size(size: int, text: str) -> None:
    assert human_size(size) == text


def test_over_limit_is_in_bytes_only_where_units_would_read_the_same() -> None:
    assert over_limit(28 * 1024 * 1024, 20 * 1024 * 1024) == "28 MB, over the limit of 20 MB"
    assert over_limit(20 * 1024 * 1024 + 1, 20 * 1024 * 1024) == (
        "20,971,521 bytes, over the limit of 20,971,520 bytes (20 MB)"
    )


@pytest.fixture(scope="module")
def small_uploads(tmp_path_factory, redis_url):
    directory = tmp_path_factory.mktemp("small-uploads")
    with fresh_database_url(directory / "db") as url:
        server = start_api(url, redis_url, directory, max_upload_bytes=str(1536))
        yield server
        server.stop()


def test_a_file_over_the_upload_limit_is_refused_in_kb(small_uploads) -> None:
    owner = setup_admin(small_uploads)
    project = create_project(owner.client)
    data = image_bytes(64, 64, fmt="BMP")  # 12 KB and more, uncompressed
    answer = upload_images(owner.client, project["id"], [("wide.bmp", data)])
    assert answer.status_code == 413, answer.text
    assert answer.json()["detail"] == "file 'wide.bmp' is over the limit of 1.5 KB"
