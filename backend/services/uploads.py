"""Checking uploaded images before anything is kept (docs/architecture.md, "Storage and uploads").

A file is accepted only if Pillow can decode all of it, it is within the byte and pixel limits,
and its name is a plain file name (names are recorded, never used as paths). EXIF orientation is
applied first, so the stored bytes, width and height are those of the image as it is seen.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

from backend.services.errors import Invalid, TooLarge

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "BMP", "TIFF", "GIF"}
_EXIF_ORIENTATION = 0x0112


@dataclass(frozen=True)
class CheckedImage:
    file_name: str
    data: bytes  # the bytes to store (re-encoded when an EXIF rotation was applied)
    format: str
    width: int
    height: int
    thumbnail: bytes  # JPEG


def check_file_name(file_name: str | None) -> str:
    name = (file_name or "").strip()
    if not name:
        raise Invalid("a file has no name")
    if "/" in name or "\\" in name or ".." in name:
        raise Invalid(
            f"file name {name!r} is refused: names must not contain path separators or '..'"
        )
    if "\x00" in name or len(name) > 255 or any(ord(c) < 32 for c in name):
        raise Invalid(f"file name {name!r} is refused: control characters or over 255 characters")
    return name


def check_image(
    file_name: str | None, data: bytes, max_bytes: int, max_pixels: int, thumbnail_size: int = 256
) -> CheckedImage:
    name = check_file_name(file_name)
    if len(data) > max_bytes:
        raise TooLarge(f"file {name!r} is {len(data)} bytes, over the limit of {max_bytes} bytes")
    if not data:
        raise Invalid(f"file {name!r} is empty")
    image = _decode(name, data, max_pixels)
    orientation = image.getexif().get(_EXIF_ORIENTATION, 1)
    if orientation not in (1, None):
        image = ImageOps.exif_transpose(image)
        data = _encode(image, image.format or _source_format(data))
    fmt = _source_format(data)
    thumb = image.convert("RGB")
    thumb.thumbnail((thumbnail_size, thumbnail_size))
    out = io.BytesIO()
    thumb.save(out, format="JPEG", quality=85)
    return CheckedImage(name, data, fmt, image.width, image.height, out.getvalue())


def _decode(name: str, data: bytes, max_pixels: int) -> PILImage.Image:
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


def _source_format(data: bytes) -> str:
    with PILImage.open(io.BytesIO(data)) as image:
        return image.format or "PNG"


def _encode(image: PILImage.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, format="JPEG", quality=95)
    else:
        fmt = fmt if fmt in ALLOWED_FORMATS else "PNG"
        image.save(out, format=fmt)
    return out.getvalue()
