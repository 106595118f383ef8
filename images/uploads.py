"""Checks on an uploaded photo, made on its header before any pixel is decoded.

A decompression bomb (a small file that claims a huge picture) is refused by
its claimed size; a file that is not a JPEG, PNG or WebP picture, or whose
name says otherwise, is refused before Pillow decodes it.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image as PILImage
from PIL import UnidentifiedImageError

# Pillow format name -> the file name extensions and content types it may arrive with.
ACCEPTED_FORMATS = {
    "JPEG": ({".jpg", ".jpeg"}, {"image/jpeg", "image/pjpeg"}),
    "PNG": ({".png"}, {"image/png"}),
    "WEBP": ({".webp"}, {"image/webp"}),
}
ACCEPTED_EXTENSIONS = set().union(*(ext for ext, _ in ACCEPTED_FORMATS.values()))
ACCEPTED_TYPES = set().union(*(types for _, types in ACCEPTED_FORMATS.values()))
EXIF_ORIENTATION = 0x0112
# EXIF orientations that turn the picture a quarter: width and height swap.
QUARTER_TURNS = {5, 6, 7, 8}


@dataclass(frozen=True)
class Header:
    format: str
    width: int
    height: int
    orientation: int

    @property
    def upright_size(self) -> tuple[int, int]:
        if self.orientation in QUARTER_TURNS:
            return self.height, self.width
        return self.width, self.height


def read_header(file) -> Header:
    """Read a picture's format, size and EXIF orientation without decoding its pixels.

    Raises `UnidentifiedImageError` for anything that is not an accepted picture
    and Pillow's `DecompressionBombError` for an absurd size.
    """
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its own limit; ours is checked below.
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            with PILImage.open(file, formats=list(ACCEPTED_FORMATS)) as picture:
                # A phone's MPO is a JPEG with more pictures after it (stored without them).
                kind = "JPEG" if picture.format == "MPO" else picture.format
                return Header(kind, picture.width, picture.height, orientation(picture.info))
    finally:
        file.seek(0)


def orientation(info: dict) -> int:
    """Return the EXIF orientation found in the header, without touching the pixels.

    (`Image.getexif()` would decode a PNG to look for EXIF after its pixels.)
    """
    data = info.get("exif")
    if not data:
        return 1
    exif = PILImage.Exif()
    try:
        exif.load(data)
    except (SyntaxError, ValueError, OSError):  # Damaged EXIF: assume upright.
        return 1
    value = exif.get(EXIF_ORIENTATION, 1)
    return value if isinstance(value, int) else 1


def check_upload(upload) -> Header:
    """Check an uploaded photo's size, name, type and pixel count; return its header.

    Raises `ValidationError` with a message for the person uploading.
    """
    max_bytes = settings.NEWSROOM_IMAGE_MAX_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            "The file is %(size)s; photos may be at most %(limit)s.",
            code="file_too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
        )
    extension = PurePath(upload.name or "").suffix.lower()
    content_type = (getattr(upload, "content_type", None) or "").split(";")[0].strip().lower()
    if extension not in ACCEPTED_EXTENSIONS or (
        content_type and content_type not in ACCEPTED_TYPES
    ):
        raise ValidationError(
            "Upload a JPEG, PNG or WebP photo (a file ending in .jpg, .jpeg, .png or .webp).",
            code="wrong_type",
        )
    try:
        header = read_header(upload)
    except PILImage.DecompressionBombError:
        raise too_many_pixels() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            "This file is not a JPEG, PNG or WebP photo, or it is damaged.", code="not_an_image"
        ) from None
    extensions, _ = ACCEPTED_FORMATS[header.format]
    if extension not in extensions:
        raise ValidationError(
            "The file is a %(format)s picture but its name ends in %(extension)s; "
            "rename it and upload it again.",
            code="wrong_extension",
            params={"format": header.format, "extension": extension},
        )
    if header.width * header.height > settings.NEWSROOM_IMAGE_MAX_PIXELS:
        raise too_many_pixels(header)
    return header


def too_many_pixels(header: Header | None = None) -> ValidationError:
    limit = settings.NEWSROOM_IMAGE_MAX_PIXELS / 1_000_000
    if header is None:
        return ValidationError(
            "The picture claims far more pixels than a photo has; it was refused unread "
            "(the limit is %(limit)g megapixels).",
            code="too_many_pixels",
            params={"limit": limit},
        )
    return ValidationError(
        "The picture is %(width)s × %(height)s pixels (%(mp).1f megapixels); "
        "the limit is %(limit)g megapixels. Resize it and upload it again.",
        code="too_many_pixels",
        params={
            "width": header.width,
            "height": header.height,
            "mp": header.width * header.height / 1_000_000,
            "limit": limit,
        },
    )
