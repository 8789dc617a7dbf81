"""Image intake ("Trustworthy data"): what is shown, what the model reads and what is kept.

Through the real API: high-bit-depth and float images are stretched to 8 bits, formats a
browser cannot show are served as PNG (the original stays downloadable), a camera MPO is its
first frame, an embedded ICC profile is converted to sRGB after the EXIF rotation, file names
are labels, and the same file is one image per project. The model's input is read as the worker
reads it: the blob a detect task's spec names, opened with Pillow and converted to RGB.
"""

from __future__ import annotations

import hashlib
import io
import struct
import threading
from pathlib import Path

import httpx
import numpy as np
import pytest
from PIL import Image, ImageCms
from support.factories import create_project, image_bytes, upload_images

# --- files -----------------------------------------------------------------------------------


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def ramp(high: float, dtype: type, low: float = 0.0) -> np.ndarray:
    """A 64 x 256 horizontal ramp from low to high."""
    return np.tile(np.linspace(low, high, 256), (64, 1)).astype(dtype)


HIGH_DEPTH = {
    "16-bit PNG ramp 0-65535": (
        "ramp16.png",
        encode(Image.fromarray(ramp(65535, np.uint16)), "PNG"),
    ),
    "12-bit values in a 16-bit PNG": (
        "sensor12.png",
        encode(Image.fromarray(ramp(4095, np.uint16)), "PNG"),
    ),
    "8-bit range in a 16-bit TIFF": (
        "dim.tif",
        encode(Image.fromarray(ramp(235, np.uint16)), "TIFF"),
    ),
    "float32 TIFF": (
        "depth.tif",
        encode(Image.fromarray(ramp(2e-3, np.float32, low=-1e-3)), "TIFF"),
    ),
}


def gradient_rgb(width: int = 60, height: int = 40) -> Image.Image:
    pixels = np.zeros((height, width, 3), np.uint8)
    pixels[..., 0] = np.linspace(0, 255, width)[None, :]
    pixels[..., 1] = np.linspace(255, 0, height)[:, None]
    pixels[..., 2] = 60
    return Image.fromarray(pixels)


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz(x: float, y: float, z: float) -> bytes:
    return b"XYZ " + bytes(4) + _s15(x) + _s15(y) + _s15(z)


def rgb_icc_profile(name: str, red, green, blue, gamma: float) -> bytes:
    """A matrix/TRC RGB display profile (ICC v2): D50-adapted primaries and one gamma."""
    text = name.encode() + b"\0"
    description = b"desc" + bytes(4) + struct.pack(">I", len(text)) + text + bytes(79)
    tags = [
        (b"desc", description),
        (b"cprt", b"text" + bytes(4) + b"test data\0"),
        (b"wtpt", _xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", _xyz(*red)),
        (b"gXYZ", _xyz(*green)),
        (b"bXYZ", _xyz(*blue)),
        *[(tag, b"curv" + bytes(4) + struct.pack(">IH", 1, round(gamma * 256)) + bytes(2))
          for tag in (b"rTRC", b"gTRC", b"bTRC")],
    ]  # fmt: skip
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for signature, data in tags:
        data += bytes(-len(data) % 4)
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    header = (
        struct.pack(">I", offset + len(body))
        + b"none"
        + bytes([2, 0x20, 0, 0])
        + b"mntrRGB XYZ "
        + bytes(12)
        + b"acsp"
        + bytes(28)
        + _s15(0.9642)
        + _s15(1.0)
        + _s15(0.8249)
        + bytes(48)
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + body


# Adobe RGB (1998)'s primaries (D50-adapted) and gamma 563/256: a wide-gamut camera profile
ADOBE_RGB_LIKE = rgb_icc_profile(
    "Adobe RGB (1998) compatible (test)",
    (0.6097, 0.3111, 0.0195),
    (0.2053, 0.6257, 0.0609),
    (0.1492, 0.0632, 0.7446),
    563 / 256,
)


def decoded(data: bytes) -> np.ndarray:
    """What the worker reads from a blob (worker/runner.py::_image): Pillow, then RGB."""
    with Image.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGB"))


# --- the API -----------------------------------------------------------------------------------


def upload_one(client: httpx.Client, pid: int, name: str, data: bytes, pool="adapt") -> dict:
    answer = upload_images(client, pid, [(name, data)], pool)
    assert answer.status_code == 201, answer.text
    (row,) = answer.json()
    return row


def served(client: httpx.Client, pid: int, image_id: int, what: str = "file") -> httpx.Response:
    answer = client.get(f"/projects/{pid}/images/{image_id}/{what}")
    assert answer.status_code == 200, answer.text
    return answer


def model_inputs(client: httpx.Client, worker, pid: int) -> dict[int, np.ndarray]:
    """Each image of a detect task on the project's adapt pool, as the worker decodes it."""
    job = client.post(f"/projects/{pid}/jobs", json={"kind": "detect"})
    assert job.status_code in (200, 201), job.text
    task_id = job.json()["tasks"][0]["id"]
    spec = worker.start_ok(task_id)
    inputs = {}
    for entry in spec["images"]:
        blob = worker.http.get(f"/blobs/{entry['sha256']}")
        assert blob.status_code == 200, blob.text
        inputs[entry["id"]] = decoded(blob.content)
    worker.fail(task_id, spec["attempt_token"], "test: only the spec was needed")
    return inputs


def blob_exists(api_server, data: bytes) -> bool:
    sha = hashlib.sha256(data).hexdigest()
    return (Path(api_server.env["DATA_DIR"]) / "blobs" / sha[:2] / sha[2:]).is_file()


# --- 1. high bit depth -------------------------------------------------------------------------


@pytest.mark.parametrize("case", list(HIGH_DEPTH))
def test_high_bit_depth_is_stretched_alike_for_display_thumbnail_and_model(
    client, project, worker, case
):
    name, data = HIGH_DEPTH[case]
    pid = project["id"]
    row = upload_one(client, pid, name, data)
    assert (row["width"], row["height"]) == (256, 64)
    file = served(client, pid, row["id"])
    assert file.headers["content-type"] == "image/png"
    shown = decoded(file.content)
    thumbnail = decoded(served(client, pid, row["id"], "thumbnail").content)
    model = model_inputs(client, worker, pid)[row["id"]]
    assert np.array_equal(shown, model), "the model must read the pixels the browser shows"

    for what, pixels in (("display", shown), ("thumbnail", thumbnail), ("model", model)):
        assert 96 <= pixels.mean() <= 160, f"{case}: {what} mean {pixels.mean():.1f}"
        assert pixels.std() > 60, f"{case}: {what} is nearly uniform (std {pixels.std():.1f})"
        assert pixels.min() <= 10 and pixels.max() >= 245, f"{case}: {what} is not stretched"
    # a ramp stays a ramp: dark on the left, bright on the right, in order
    columns = shown[..., 0].mean(axis=0)
    assert np.all(np.diff(columns) >= 0)
    # the original is kept as uploaded
    original = served(client, pid, row["id"], "original")
    assert original.content == data
    assert row["format"] == ("PNG" if name.endswith(".png") else "TIFF")


def test_percentile_stretch_rule():
    from backend.services.renditions import stretch_to_8bit

    values = np.array([[np.nan, -np.inf, np.inf, 0.0, 1.0, 2.0]], dtype=np.float32)
    out = stretch_to_8bit(values)
    assert out.dtype == np.uint8 and out[0, 0] == 0 and out[0, 1] == 0 and out[0, 2] == 255
    assert out[0, 3] < out[0, 4] < out[0, 5]
    assert np.all(stretch_to_8bit(np.full((4, 4), 1234, np.uint16)) == 128)  # constant: mid grey
    assert np.all(stretch_to_8bit(np.full((2, 2), np.nan, np.float32)) == 128)
    # a flat image with one outlier: the percentiles meet, min and max are used instead
    flat = np.zeros((100, 100), np.uint16)
    flat[0, 0] = 5000
    stretched = stretch_to_8bit(flat)
    assert stretched[0, 0] == 255 and stretched[1, 1] == 0
    # outliers beyond the 0.5th/99.5th percentiles are clipped, not allowed to squash the rest
    noisy = np.tile(np.arange(1000, dtype=np.uint16), (10, 1))
    noisy[0, :3] = 65535
    assert stretch_to_8bit(noisy)[5].std() > 70


def test_eight_bit_images_keep_their_values(client, project, worker):
    pid = project["id"]
    dim = Image.fromarray(ramp(40, np.uint8).repeat(3).reshape(64, 256, 3))  # 0..40: not stretched
    data = encode(dim, "PNG")
    row = upload_one(client, pid, "dim.png", data)
    file = served(client, pid, row["id"])
    assert file.content == data  # already browser-safe 8-bit sRGB: the file is its own rendition
    assert np.array_equal(decoded(file.content), np.asarray(dim))
    assert np.array_equal(model_inputs(client, worker, pid)[row["id"]], np.asarray(dim))


# --- 2. formats a browser cannot show ----------------------------------------------------------


def test_a_tiff_is_shown_as_png_and_kept_as_uploaded(client, project):
    pid = project["id"]
    picture = gradient_rgb()
    data = encode(picture, "TIFF")
    row = upload_one(client, pid, "scan 01.tif", data)
    assert row["format"] == "TIFF"
    assert row["sha256"] == hashlib.sha256(data).hexdigest()
    assert row["size_bytes"] == len(data)
    file = served(client, pid, row["id"])
    assert file.headers["content-type"] == "image/png"
    assert file.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert np.array_equal(decoded(file.content), np.asarray(picture))
    original = served(client, pid, row["id"], "original")
    assert original.content == data
    assert original.headers["content-type"] == "image/tiff"
    disposition = original.headers["content-disposition"]
    assert disposition.startswith("attachment;") and "scan%2001.tif" in disposition


def test_jpeg_and_png_are_served_as_they_are(client, project):
    pid = project["id"]
    jpeg = image_bytes(50, 30, fmt="JPEG", color=(10, 120, 200))
    png = image_bytes(50, 30, fmt="PNG", color=(10, 120, 201))
    for name, data, media_type in (("a.jpg", jpeg, "image/jpeg"), ("b.png", png, "image/png")):
        row = upload_one(client, pid, name, data)
        file = served(client, pid, row["id"])
        assert file.headers["content-type"] == media_type
        assert file.content == data
        original = served(client, pid, row["id"], "original")
        assert original.headers["content-type"] == media_type
        assert original.headers["content-disposition"] == f'attachment; filename="{name}"'


def test_original_needs_access(api_server, client, project, make_user):
    pid = project["id"]
    row = upload_one(client, pid, "x.png", image_bytes(color=(1, 2, 3)))
    base = f"/projects/{pid}/images/{row['id']}/original"
    assert api_server.client().get(base).status_code == 401
    stranger = make_user()
    assert stranger.client.get(base).status_code in (403, 404)
    ticket = client.post("/tickets", json={"purpose": "files", "project_id": pid}).json()["ticket"]
    assert api_server.client().get(base, params={"ticket": ticket}).status_code == 200


# --- 3. MPO ------------------------------------------------------------------------------------


def test_a_camera_mpo_is_its_first_frame(client, project, worker):
    pid = project["id"]
    first, second = (
        Image.new("RGB", (48, 32), (20, 160, 60)),
        Image.new("RGB", (48, 32), (250, 0, 0)),
    )
    data = encode(first, "MPO", save_all=True, append_images=[second])
    with Image.open(io.BytesIO(data)) as probe:
        assert probe.format == "MPO" and probe.n_frames == 2
    row = upload_one(client, pid, "DSCF0001.JPG", data)
    assert row["format"] == "MPO"
    assert (row["width"], row["height"]) == (48, 32)
    file = served(client, pid, row["id"])
    assert file.headers["content-type"] == "image/jpeg"
    shown = decoded(file.content)
    assert np.abs(shown.astype(int) - (20, 160, 60)).max() <= 4  # the first frame, not the red one
    assert np.array_equal(model_inputs(client, worker, pid)[row["id"]], shown)
    original = served(client, pid, row["id"], "original")
    assert original.content == data and original.headers["content-type"] == "image/jpeg"


# --- 4. colour profiles and EXIF orientation ---------------------------------------------------


def test_an_icc_profile_is_converted_to_srgb_after_the_exif_rotation(client, project, worker):
    pid = project["id"]
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    data = encode(gradient_rgb(60, 40), "JPEG", quality=95, exif=exif, icc_profile=ADOBE_RGB_LIKE)
    row = upload_one(client, pid, "wide-gamut.jpg", data)
    assert (row["width"], row["height"]) == (40, 60)

    with Image.open(io.BytesIO(data)) as source:
        as_stored = source.convert("RGB")
    profile = ImageCms.ImageCmsProfile(io.BytesIO(ADOBE_RGB_LIKE))
    converted = ImageCms.profileToProfile(
        as_stored, profile, ImageCms.createProfile("sRGB"), outputMode="RGB"
    )
    expected = np.asarray(converted.transpose(Image.Transpose.ROTATE_270)).astype(int)
    unconverted = np.asarray(as_stored.transpose(Image.Transpose.ROTATE_270)).astype(int)
    assert np.abs(unconverted - expected).mean() > 8  # the profile matters for this image

    file = served(client, pid, row["id"])
    assert file.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(file.content)) as shown_image:
        assert shown_image.size == (40, 60)
        assert shown_image.getexif().get(0x0112, 1) == 1
        assert not shown_image.info.get("icc_profile")  # untagged: sRGB
    shown = decoded(file.content)
    assert np.abs(shown.astype(int) - expected).mean() < 2.5  # JPEG re-encoding only
    assert np.array_equal(model_inputs(client, worker, pid)[row["id"]], shown)

    original = served(client, pid, row["id"], "original")
    assert original.content == data
    with Image.open(io.BytesIO(original.content)) as kept:
        assert kept.info["icc_profile"] == ADOBE_RGB_LIKE and kept.getexif()[0x0112] == 6


# --- 5. file names -----------------------------------------------------------------------------

KEPT_NAMES = {
    "IMG_1234..final.png": "IMG_1234..final.png",
    "..hidden.png": "..hidden.png",
    "résumé photo (1).png": "résumé photo (1).png",
    "dir/inner.png": "inner.png",
    "../../etc/passwd.png": "passwd.png",
    "C:\\Users\\me\\IMG_0001.png": "IMG_0001.png",
    "a" * 251 + ".png": "a" * 251 + ".png",
}
REFUSED_NAMES = {
    "..": "names no file",
    "dir/": "names no file",
    "a\tb.png": "control characters",
    "a\x7fb.png": "control characters",
    "a" * 252 + ".png": "over 255",
}


def raw_upload(client: httpx.Client, pid: int, file_name: str, data: bytes) -> httpx.Response:
    """A multipart request with the file name as given (httpx would escape some characters)."""
    boundary = "metaloop-test-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="pool"\r\n\r\nadapt\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
            f'filename="{file_name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return client.post(
        f"/projects/{pid}/images",
        content=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )


@pytest.mark.parametrize("sent", list(KEPT_NAMES))
def test_file_names_are_labels_kept_as_given(client, project, sent):
    data = image_bytes(color=(len(sent) % 256, 7, 7))
    answer = raw_upload(client, project["id"], sent, data)
    assert answer.status_code == 201, answer.text
    assert answer.json()[0]["file_name"] == KEPT_NAMES[sent]


@pytest.mark.parametrize("sent", list(REFUSED_NAMES))
def test_unusable_file_names_are_refused(client, project, sent):
    answer = raw_upload(client, project["id"], sent, image_bytes(color=(3, 4, 5)))
    assert answer.status_code == 422, answer.text
    assert REFUSED_NAMES[sent] in answer.json()["detail"]
    assert client.get(f"/projects/{project['id']}/images").json()["total"] == 0


# --- 6. duplicates -----------------------------------------------------------------------------


def test_the_same_file_in_the_other_pool_is_refused_and_nothing_is_stored(
    api_server, client, project
):
    pid = project["id"]
    data = image_bytes(40, 30, color=(91, 17, 203))
    first = upload_one(client, pid, "cat.png", data, pool="adapt")
    new = image_bytes(40, 30, color=(92, 17, 203))
    answer = upload_images(client, pid, [("new.png", new), ("cat again.png", data)], "holdout")
    assert answer.status_code == 409, answer.text
    detail = answer.json()["detail"]
    assert f"image {first['id']}" in detail and "'cat.png'" in detail and "adapt" in detail
    assert "'cat again.png'" in detail
    listing = client.get(f"/projects/{pid}/images").json()
    assert [(i["id"], i["pool"]) for i in listing["items"]] == [(first["id"], "adapt")]
    assert not blob_exists(api_server, new)  # all or nothing: the good file was not kept


def test_the_same_file_in_the_same_pool_is_the_same_image(client, project):
    pid = project["id"]
    data = image_bytes(40, 30, color=(5, 99, 5))
    first = upload_one(client, pid, "a.png", data, pool="holdout")
    other = image_bytes(40, 30, color=(6, 99, 5))
    answer = upload_images(client, pid, [("a-copy.png", data), ("b.png", other)], "holdout")
    assert answer.status_code == 201, answer.text
    rows = answer.json()
    assert rows[0] == first  # the existing image, as it is (its first name)
    assert rows[1]["file_name"] == "b.png" and rows[1]["id"] != first["id"]
    again = upload_images(client, pid, [("a.png", data)], "holdout")
    assert again.status_code == 201 and again.json() == [first]
    assert client.get(f"/projects/{pid}/images").json()["total"] == 2


def test_identical_files_in_one_request_are_one_image(client, project):
    pid = project["id"]
    data = image_bytes(30, 20, color=(200, 1, 2))
    answer = upload_images(client, pid, [("one.png", data), ("two.png", data)])
    assert answer.status_code == 201, answer.text
    assert [r["file_name"] for r in answer.json()] == ["one.png"]
    assert client.get(f"/projects/{pid}/images").json()["total"] == 1


def test_the_same_file_in_another_project_is_another_image(client):
    data = image_bytes(30, 20, color=(201, 1, 2))
    rows = [upload_one(client, create_project(client)["id"], "x.png", data) for _ in range(2)]
    assert rows[0]["id"] != rows[1]["id"] and rows[0]["sha256"] == rows[1]["sha256"]


def test_concurrent_uploads_of_one_file_make_one_image(client):
    """Uploads to one project are serialised: of two concurrent uploads of one file, to two
    pools, one is stored and one is refused; to one pool, both answer the same image."""
    for round_ in range(3):
        pid = create_project(client)["id"]
        data = image_bytes(32, 32, color=(round_, 250, 9))
        answers: dict[str, httpx.Response] = {}
        start = threading.Barrier(4)

        def send(key: str, pool: str, data=data, pid=pid, start=start, answers=answers) -> None:
            start.wait()
            answers[key] = upload_images(client, pid, [(f"{key}.png", data)], pool)

        threads = [
            threading.Thread(target=send, args=(key, pool))
            for key, pool in (
                ("a1", "adapt"),
                ("a2", "adapt"),
                ("h1", "holdout"),
                ("h2", "holdout"),
            )
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        statuses = {key: answer.status_code for key, answer in answers.items()}
        winner = "adapt" if statuses["a1"] == 201 else "holdout"
        loser = "holdout" if winner == "adapt" else "adapt"
        assert [statuses[k] for k in (winner[0] + "1", winner[0] + "2")] == [201, 201], statuses
        assert [statuses[k] for k in (loser[0] + "1", loser[0] + "2")] == [409, 409], statuses
        ids = {answers[winner[0] + n].json()[0]["id"] for n in "12"}
        assert len(ids) == 1
        listing = client.get(f"/projects/{pid}/images").json()
        assert listing["total"] == 1 and listing["items"][0]["pool"] == winner
