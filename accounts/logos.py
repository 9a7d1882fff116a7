"""The practice logo: what an upload must be, and what is stored.

An upload is decoded, never trusted: its format is what Pillow detects (not its name or the
browser's content type), its dimensions are bounded before any pixel is decoded, and decompression
bombs (Pillow's `MAX_IMAGE_PIXELS`) are refused. What is stored is a fresh encoding of the pixels
(no metadata, nothing that was hidden in the file), downscaled to at most `LOGO_MAX_SIDE` pixels on
its long side, under a generated name whose extension is that of the stored format
(`logos/<random>.png`). An animated GIF keeps its first frame and is stored as a PNG.
"""

from __future__ import annotations

import io
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_DIMENSION = 4096  # width and height of an upload, in pixels
LOGO_MAX_SIDE = 512  # the stored logo's long side: the top bar shows 32 px, PDFs and the portal more
ACCEPTED_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}
STORED_AS = {"PNG": ("PNG", "png"), "JPEG": ("JPEG", "jpg"), "GIF": ("PNG", "png"), "WEBP": ("WEBP", "webp")}
NOT_AN_IMAGE = "Upload a PNG, JPEG, GIF or WebP image."


def _error(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_logo")


def _check(upload) -> str:
    """The detected format, after checking the header: format and dimensions (nothing decoded yet),
    then the file's integrity."""
    with Image.open(upload) as probe:
        fmt, (width, height) = probe.format, probe.size
        if fmt not in ACCEPTED_FORMATS:
            raise _error(NOT_AN_IMAGE)
        if width > MAX_DIMENSION or height > MAX_DIMENSION:
            raise _error(f"The logo is {width}×{height} pixels: at most {MAX_DIMENSION}×{MAX_DIMENSION}.")
        probe.verify()  # a truncated or corrupt file fails here
    return fmt


def prepare_logo(upload) -> ContentFile:
    """The logo to store for `upload` (a file object), or a ValidationError saying why not."""
    if upload.size is not None and upload.size > settings.LOGO_MAX_BYTES:
        raise _error(f"The logo is too large: at most {settings.LOGO_MAX_BYTES // 1024} KB.")
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that: refuse those too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            fmt = _check(upload)
            upload.seek(0)
            with Image.open(upload) as source:
                source.seek(0)  # an animation's first frame
                img = ImageOps.exif_transpose(source)  # a photo's orientation; a decoded copy
        stored_format, extension = STORED_AS[fmt]
        if stored_format == "JPEG":
            img = img.convert("RGB")
        elif img.mode not in ("RGB", "RGBA", "L", "LA"):
            img = img.convert("RGBA")
        img.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        img.save(buffer, format=stored_format, **({"quality": 90} if stored_format != "PNG" else {}))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _error(f"The logo has too many pixels: at most {MAX_DIMENSION}×{MAX_DIMENSION}.") from None
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, TypeError):
        raise _error(NOT_AN_IMAGE) from None
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")
