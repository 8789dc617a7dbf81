"""Checking uploaded images before anything is kept (docs/architecture.md, "Storage and uploads").

A file is accepted only if Pillow can decode it (its first frame, all of it) in an allowed
format, it is within the byte and pixel limits, and it has a usable name. The file is kept as it
came; its rendition (`backend/services/renditions.py`: 8-bit sRGB, EXIF-oriented, a JPEG or a
PNG) is what the web client shows, what the model reads and what the thumbnail is made from, and
its width and height are the image's.

File names are labels, never paths: a name is cut after its last '/' or '\\' (a client that
sends a path, as some do, means the file's base name); what remains must not be empty, '.' or
'..', is at most 255 characters, and the name as sent must have no control characters and no
bidirectional controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C). Anything
else is kept as given ('IMG_1234..final.png' included).
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
import warnings
from dataclasses import dataclass

from PIL import Image as PILImage
from PIL import UnidentifiedImageError

from backend.schemas.common import bidi_controls_in
from backend.services.errors import Invalid, TooLarge
from backend.services.renditions import render
from backend.services.sizes import human_size

ALLOWED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "BMP", "TIFF", "GIF"}
MAX_NAME_LENGTH = 255
_CONTROL_CATEGORIES = {"Cc", "Zl", "Zp"}  # control characters, line and paragraph separators


@dataclass(frozen=True)
class CheckedImage:
    file_name: str
    data: bytes  # the file as uploaded
    format: str  # the file's format (Pillow's name: JPEG, MPO, PNG, TIFF, ...)
    width: int  # of the rendition: the image as it is seen
    height: int
    thumbnail: bytes  # JPEG, made from the rendition
    rendition: bytes  # JPEG or PNG, 8-bit sRGB, upright (the file's own bytes when they are it)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def check_file_name(file_name: str | None) -> str:
    """The name to record for a file (see the module docstring), or Invalid."""
    sent = file_name or ""
    if any(unicodedata.category(c) in _CONTROL_CATEGORIES for c in sent):
        raise Invalid(f"file name {sent!r} is refused: it has control characters")
    if bidi := bidi_controls_in(sent):
        raise Invalid(
            f"file name {sent!r} is refused: it has bidirectional control characters "
            f"({', '.join(bidi)}), which can make a name read as another"
        )
    name = sent.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not sent.strip():
        raise Invalid("a file has no name")
    if name in ("", ".", ".."):
        raise Invalid(f"file name {sent!r} is refused: it names no file")
    if len(name) > MAX_NAME_LENGTH:
        raise Invalid(
            f"file name {name[:40]!r}... is refused: {len(name)} characters, over {MAX_NAME_LENGTH}"
        )
    return name


def check_image(
    file_name: str | None, data: bytes, max_bytes: int, max_pixels: int, thumbnail_size: int = 256
) -> CheckedImage:
    name = check_file_name(file_name)
    if len(data) > max_bytes:
        # data holds at most max_bytes + 1 bytes (read_limited): the file's own size is unknown
        raise TooLarge(f"file {name!r} is over the limit of {human_size(max_bytes)}")
    if not data:
        raise Invalid(f"file {name!r} is empty")
    image = _decode(name, data, max_pixels)
    try:
        rendition = render(image, data)
    except (OSError, ValueError) as error:
        raise Invalid(
            f"file {name!r} cannot be converted to an 8-bit sRGB image: {error}"
        ) from None
    thumb = rendition.image.convert("RGB")
    thumb.thumbnail((thumbnail_size, thumbnail_size))
    out = io.BytesIO()
    thumb.save(out, format="JPEG", quality=85)
    return CheckedImage(
        name,
        data,
        image.format or "PNG",
        rendition.width,
        rendition.height,
        out.getvalue(),
        rendition.data,
    )


def declared_size(name: str | None, data: bytes) -> tuple[int, int] | None:
    """The width and height an image file's header declares, read without decoding any pixel
    (Pillow's ``open`` is lazy); None when no header can be read (the full check says why)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            with PILImage.open(io.BytesIO(data)) as probe:
                return probe.width, probe.height
    except PILImage.DecompressionBombError as error:
        # over twice Pillow's own limit: its message names the size; any limit refuses it
        raise Invalid(f"file {name!r} is refused as a decompression bomb: {error}") from None
    except (OSError, SyntaxError, ValueError, EOFError):
        return None


def check_request_pixels(
    files: list[tuple[str | None, bytes]], max_pixels: int, total: int
) -> None:
    """Refuse a request by its images' headers before any is decoded: one image over
    ``max_pixels`` (422), or all of them together over ``total`` (413)."""
    pixels = 0
    for file_name, data in files:
        size = declared_size(file_name, data)
        if size is None:
            continue
        width, height = size
        if width * height > max_pixels:
            raise Invalid(
                f"file {file_name!r} is {width}x{height} = {width * height} pixels, over the "
                f"limit of {max_pixels} (decompression bomb?)"
            )
        pixels += width * height
    if pixels > total:
        raise TooLarge(
            f"the images of this request have {pixels} pixels together, over the limit of "
            f"{total} per request (MAX_REQUEST_PIXELS): upload them in smaller batches"
        )


def _decode(name: str, data: bytes, max_pixels: int) -> PILImage.Image:
    """The file's first frame, decoded in full."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                pixels = probe.width * probe.height
                if pixels > max_pixels:
                    raise Invalid(
                        f"file {name!r} is {probe.width}x{probe.height} = {pixels} pixels, "
                        f"over the limit of {max_pixels} (decompression bomb?)"
                    )
                probe.verify()
            if fmt not in ALLOWED_FORMATS:
                raise Invalid(f"file {name!r} is {fmt}, not one of {sorted(ALLOWED_FORMATS)}")
            image = PILImage.open(io.BytesIO(data))
            image.load()
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as error:
        raise Invalid(f"file {name!r} is refused as a decompression bomb: {error}") from None
    except UnidentifiedImageError:
        raise Invalid(f"file {name!r} is not an image that can be decoded") from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise Invalid(f"file {name!r} is a damaged or truncated image: {error}") from None
    return image
