"""Small factories for rows made through the API, and image bytes."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from PIL import Image

from support.server import ApiServer

DEFAULT_CLASSES = [{"name": "cat", "color": "#ff0000"}, {"name": "dog", "color": "#00ff00"}]


@dataclass
class TestUser:
    __test__ = False  # not a test class, despite the name

    id: int
    username: str
    password: str
    token: str
    client: httpx.Client

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def unique_name(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _logged_in(server: ApiServer, answer: httpx.Response, username: str, password: str) -> TestUser:
    """The TestUser of a successful login or setup answer."""
    answer.raise_for_status()
    body = answer.json()
    return TestUser(
        body["user"]["id"],
        username,
        password,
        body["access_token"],
        server.client(body["access_token"]),
    )


def login(server: ApiServer, username: str, password: str) -> TestUser:
    answer = server.client().post("/auth/login", json={"username": username, "password": password})
    return _logged_in(server, answer, username, password)


def setup_admin(
    server: ApiServer, username: str = "admin", password: str = "admin-password"
) -> TestUser:
    """The first account; logs in instead when the server has it already."""
    answer = server.client().post("/auth/setup", json={"username": username, "password": password})
    if answer.status_code == 409:
        return login(server, username, password)
    return _logged_in(server, answer, username, password)


def create_user(
    server: ApiServer,
    admin: TestUser,
    username: str | None = None,
    password: str = "user-password",
    is_admin: bool = False,
) -> TestUser:
    username = username or unique_name()
    answer = admin.client.post(
        "/users", json={"username": username, "password": password, "is_admin": is_admin}
    )
    answer.raise_for_status()
    return login(server, username, password)


def create_project(
    client: httpx.Client, name: str | None = None, classes: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    answer = client.post(
        "/projects",
        json={
            "name": name or unique_name("project"),
            "classes": DEFAULT_CLASSES if classes is None else classes,
        },
    )
    answer.raise_for_status()
    return answer.json()


def image_bytes(
    width: int = 64,
    height: int = 48,
    fmt: str = "PNG",
    color: tuple[int, int, int] = (200, 30, 30),
    exif_orientation: int | None = None,
) -> bytes:
    image = Image.new("RGB", (width, height), color)
    out = io.BytesIO()
    if exif_orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        image.save(out, format=fmt, exif=exif)
    else:
        image.save(out, format=fmt)
    return out.getvalue()


def upload_images(
    client: httpx.Client, project_id: int, files: list[tuple[str, bytes]], pool: str = "adapt"
) -> httpx.Response:
    return client.post(
        f"/projects/{project_id}/images",
        data={"pool": pool},
        files=[("files", (name, data, "application/octet-stream")) for name, data in files],
    )


def add_images(
    client: httpx.Client,
    project_id: int,
    count: int,
    pool: str = "adapt",
    width: int = 64,
    height: int = 48,
) -> list[dict[str, Any]]:
    """Upload `count` distinct images (distinct bytes too: the same bytes twice in a project are
    one image); returns their rows."""
    files = []
    for _ in range(count):
        tag = uuid.uuid4().bytes
        files.append((f"img-{tag.hex()[:6]}.png", image_bytes(width, height, color=(*tag[:3],))))
    answer = upload_images(client, project_id, files, pool)
    answer.raise_for_status()
    return answer.json()


def annotate(
    client: httpx.Client,
    project_id: int,
    image_id: int,
    class_id: int,
    box: list[float] | None = None,
    complete: bool = True,
) -> dict[str, Any]:
    """Add a box; with ``complete`` (the default) then mark the image complete (every object
    boxed), as a person does when done with it."""
    answer = client.post(
        f"/projects/{project_id}/images/{image_id}/annotations",
        json={"class_id": class_id, "box": box or [2, 2, 10, 10]},
    )
    answer.raise_for_status()
    if complete:
        client.patch(
            f"/projects/{project_id}/images/{image_id}", json={"state": "complete"}
        ).raise_for_status()
    return answer.json()
