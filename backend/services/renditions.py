"""Renditions: the 8-bit sRGB image the web client shows and the model reads
(docs/architecture.md, "Storage and uploads").

An upload is kept as it came (`Image.sha256`); its rendition (`Image.rendition_sha256`) is made
from it once, here, by pure functions (a decoded Pillow image and the file's bytes in, the
rendition out), in this order:

1. **First frame.** Of a multi-frame file (MPO from a camera, animated GIF, WebP or PNG, a
   multi-page TIFF) only the first frame is kept, as browsers show an MPO.
2. **Bit depth.** 8-bit images keep their values. Images of more than 8 bits per value
   (Pillow modes `I;16*` and `I`: 12-, 16- or 32-bit integers) and floating-point images (mode
   `F`) are stretched per image: the 0.5th and the 99.5th percentiles of the finite values
   become 0 and 255, linearly, values beyond them are clipped; NaN and -inf become 0, +inf 255.
   Where the two percentiles are equal (a flat image with a few outliers) the minimum and the
   maximum of the finite values are used instead; a constant image (or one without a finite
   value) becomes uniform mid grey, 128. The ICC profile of such an image is not applied (a
   stretch does not keep colorimetry anyway). Pillow itself reads 16-bit RGB PNG and TIFF files
   as 8-bit RGB (the high byte of each value), which this rule then keeps.
3. **Colour.** An 8-bit image with an embedded ICC profile is converted to sRGB with
   `PIL.ImageCms` (default, perceptual intent); a profile that cannot be read, or that does not
   fit the image's colour space, is ignored, as browsers ignore it. CMYK without a profile is
   converted naively. Transparency is flattened onto white.
4. **Orientation.** The EXIF orientation is applied, so width, height and boxes refer to the
   image as it is seen; the rendition carries no EXIF (nor any other metadata).

The result is an 8-bit `L` (greyscale) or `RGB` image. When the file already is that image (a
JPEG or PNG in `L` or `RGB`, one frame, no ICC profile, no transparency, no PNG gamma, no EXIF
rotation), its own bytes are the rendition; otherwise the rendition is encoded as a JPEG
(quality 95) when the original is a JPEG or an MPO, and as a PNG otherwise. Either way it is a
JPEG or a PNG, which every browser shows, and `PIL.Image.open(...).convert("RGB")` (what the
worker does) gives exactly the pixels the browser shows, minus the decoders' own differences.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache

import numpy as np
from PIL import Image as PILImage
from PIL import ImageCms

LOW_PERCENTILE = 0.5
HIGH_PERCENTILE = 99.5
CONSTANT_GREY = 128
JPEG_QUALITY = 95
_CHUNK = 1 << 20

_EXIF_ORIENTATION = 0x0112
# EXIF orientation → the transpose that shows the image upright (as ImageOps.exif_transpose)
_TRANSPOSE = {
    2: PILImage.Transpose.FLIP_LEFT_RIGHT,
    3: PILImage.Transpose.ROTATE_180,
    4: PILImage.Transpose.FLIP_TOP_BOTTOM,
    5: PILImage.Transpose.TRANSPOSE,
    6: PILImage.Transpose.ROTATE_270,
    7: PILImage.Transpose.TRANSVERSE,
    8: PILImage.Transpose.ROTATE_90,
}
_HIGH_DEPTH_MODES = {"I", "F", "I;16", "I;16L", "I;16B", "I;16N", "I;16S"}
_REUSABLE_FORMATS = {"JPEG", "PNG"}

# media types of the files as uploaded (MPO is a JPEG with more frames after the first; every
# JPEG reader reads its first frame, and it has no registered type of its own)
MEDIA_TYPES = {
    "JPEG": "image/jpeg",
    "MPO": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "BMP": "image/bmp",
    "TIFF": "image/tiff",
    "GIF": "image/gif",
}
_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)


@dataclass(frozen=True)
class Rendition:
    data: bytes  # the encoded rendition (the original's own bytes when they already are it)
    format: str  # "JPEG" or "PNG"
    image: PILImage.Image  # its pixels: mode "L" or "RGB", 8 bits, upright

    @property
    def width(self) -> int:
        return self.image.width

    @property
    def height(self) -> int:
        return self.image.height


def render(image: PILImage.Image, data: bytes) -> Rendition:
    """The rendition of `image`, decoded (first frame) from the file `data` by Pillow."""
    pixels = rendition_pixels(image)
    if _reusable(image):
        return Rendition(data, image.format or "PNG", pixels)
    fmt = "JPEG" if image.format in ("JPEG", "MPO") else "PNG"
    return Rendition(encode(pixels, fmt), fmt, pixels)


def rendition_pixels(image: PILImage.Image) -> PILImage.Image:
    """First frame, 8 bits, sRGB, no transparency, upright: mode "L" or "RGB"."""
    if getattr(image, "n_frames", 1) > 1 and image.tell() != 0:
        image.seek(0)
    orientation = _orientation(image)
    if image.mode in _HIGH_DEPTH_MODES:
        pixels = PILImage.fromarray(stretch_to_8bit(np.asarray(image)), mode="L")
    else:
        pixels = _to_srgb(image)
    transpose = _TRANSPOSE.get(orientation)
    return pixels.transpose(transpose) if transpose is not None else pixels


def stretch_to_8bit(values: np.ndarray) -> np.ndarray:
    """The percentile stretch of the module docstring: any real array → uint8 of its shape."""
    values = np.asarray(values)
    finite = values[np.isfinite(values)] if values.dtype.kind == "f" else values.ravel()
    if finite.size == 0:
        return np.full(values.shape, CONSTANT_GREY, dtype=np.uint8)
    low, high = np.percentile(finite, [LOW_PERCENTILE, HIGH_PERCENTILE])
    if high <= low:
        low, high = finite.min(), finite.max()
    if high <= low:
        return np.full(values.shape, CONSTANT_GREY, dtype=np.uint8)
    low, gain = float(low), 255.0 / (float(high) - float(low))
    flat = values.reshape(-1)
    out = np.empty(flat.shape, dtype=np.uint8)
    for start in range(0, flat.size, _CHUNK):  # in float64, a chunk at a time
        scaled = (flat[start : start + _CHUNK].astype(np.float64) - low) * gain
        scaled = np.nan_to_num(scaled, nan=0.0, posinf=255.0, neginf=0.0)
        out[start : start + _CHUNK] = np.rint(np.clip(scaled, 0.0, 255.0))
    return out.reshape(values.shape)


def encode(pixels: PILImage.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        pixels.save(out, format="JPEG", quality=JPEG_QUALITY)
    else:
        pixels.save(out, format="PNG")
    return out.getvalue()


def media_type_of(head: bytes) -> str:
    """The media type of an image file from its first bytes (renditions are JPEG or PNG; images
    stored before renditions existed may be any allowed format)."""
    for signature, media_type in _SIGNATURES:
        if head.startswith(signature):
            return media_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return "application/octet-stream"


def _orientation(image: PILImage.Image) -> int:
    try:
        value = image.getexif().get(_EXIF_ORIENTATION, 1)
    except Exception:  # a damaged EXIF block: show the image as stored, as browsers do
        return 1
    return value if isinstance(value, int) else 1


def _reusable(image: PILImage.Image) -> bool:
    """Whether the file itself already is its rendition."""
    return (
        image.format in _REUSABLE_FORMATS
        and image.mode in ("L", "RGB")
        and getattr(image, "n_frames", 1) == 1
        and not image.info.get("icc_profile")
        and "transparency" not in image.info
        and "gamma" not in image.info
        and _orientation(image) == 1
    )


@cache
def _srgb() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _to_srgb(image: PILImage.Image) -> PILImage.Image:
    """An 8-bit image of any mode → "L" or "RGB" in sRGB, transparency flattened onto white."""
    icc = image.info.get("icc_profile")
    if image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif "transparency" in image.info:
        image = image.convert("RGBA")
    elif image.mode in ("LA", "La", "PA"):
        image = image.convert("LA")
    elif image.mode == "RGBa":
        image = image.convert("RGBA")
    alpha = image.getchannel("A") if image.mode in ("RGBA", "LA") else None
    if alpha is not None:
        image = image.convert("L" if image.mode == "LA" else "RGB")
    if image.mode not in ("L", "RGB", "CMYK"):
        image = image.convert("RGB")
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            image = ImageCms.profileToProfile(image, source, _srgb(), outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an unreadable profile, or one for another colour space: ignored
    if image.mode == "CMYK":
        image = image.convert("RGB")
    if alpha is not None:
        white = PILImage.new(image.mode, image.size, 255 if image.mode == "L" else (255,) * 3)
        white.paste(image, mask=alpha)
        image = white
    return image
