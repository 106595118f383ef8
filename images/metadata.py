"""Removing what a photo's file says about its author: location, camera, names, thumbnails.

Cameras and phones write the GPS position, the camera's make, model and serial
number, the owner's name and a thumbnail (which keeps the uncropped picture)
into EXIF, XMP, IPTC and comments. An original is stored without them, and
without decoding it: the file's segments (JPEG) or chunks (PNG, WebP) are
copied except the metadata ones, so the pixels are exactly those uploaded.
What is needed to show it right stays: the colour profile, and the camera's
orientation as a minimal EXIF holding that one tag.
"""

from __future__ import annotations

import re
import struct
import tempfile
import zlib
from typing import IO

from django.conf import settings
from PIL import Image as PILImage

from images.uploads import EXIF_ORIENTATION, Header

# Above this the cleaned copy is spooled to a temporary file (Django's threshold for uploads).
SPOOL_BYTES = 2_621_440

# JPEG markers.
SOS, EOI, APP0, APP1, APP2, APP14, APP15, COM = 0xDA, 0xD9, 0xE0, 0xE1, 0xE2, 0xEE, 0xEF, 0xFE
STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM and RSTn carry no length.
# The next marker after entropy-coded data: 0xFF not followed by a stuffed 0x00 or an RSTn.
NEXT_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7]")

# PNG ancillary chunks needed to show the picture right (colour, transparency,
# pixel density, APNG frames); every other ancillary chunk is dropped.
PNG_KEPT = {
    b"iCCP", b"sRGB", b"gAMA", b"cHRM", b"cICP", b"mDCV", b"cLLI", b"sBIT",
    b"pHYs", b"tRNS", b"bKGD", b"acTL", b"fcTL", b"fdAT",
}  # fmt: skip
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# WebP chunks kept; EXIF is replaced, XMP and unknown chunks are dropped.
WEBP_KEPT = {b"VP8 ", b"VP8L", b"VP8X", b"ICCP", b"ANIM", b"ANMF", b"ALPH"}
WEBP_EXIF, WEBP_XMP = 0x08, 0x04  # Flags of the extended header (VP8X).


class DamagedPicture(ValueError):
    """The file's structure cannot be followed, so its metadata cannot be removed."""


def without_metadata(file: IO[bytes], header: Header) -> IO[bytes]:
    """Return a copy of the picture in `file` without its metadata, positioned at its start.

    `header` is what `images.uploads.read_header` read from it. Memory is
    bounded by the upload limit: the file is read once, whole, and the copy is
    spooled to disk above a few megabytes. Raises `DamagedPicture`.
    """
    file.seek(0)
    data = memoryview(file.read(settings.NEWSROOM_IMAGE_MAX_BYTES + 1))
    file.seek(0)
    if len(data) > settings.NEWSROOM_IMAGE_MAX_BYTES:
        raise DamagedPicture("The file is larger than photos may be.")
    exif = orientation_exif(header.orientation)
    writers = {"JPEG": jpeg_without_metadata, "PNG": png_without_metadata}
    writer = writers.get(header.format, webp_without_metadata)
    # Returned open: the caller stores it, and it is removed when closed.
    cleaned = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    writer(data, exif, cleaned)
    cleaned.seek(0)
    return cleaned


def orientation_exif(orientation: int) -> bytes:
    """Return a TIFF-structured EXIF block holding only `orientation`, or b"" when upright."""
    if orientation == 1:
        return b""
    exif = PILImage.Exif()
    exif[EXIF_ORIENTATION] = orientation
    return exif.tobytes()[6:]  # Without the "Exif\0\0" that only JPEG's APP1 wants.


def jpeg_without_metadata(data: memoryview, exif: bytes, out: IO[bytes]) -> None:
    """Copy the JPEG in `data` to `out` segment by segment, leaving the metadata out.

    Kept: the JFIF header (without its thumbnail), the ICC profile (APP2), Adobe's
    colour transform (APP14, which CMYK pictures need to decode right) and every
    segment that is not an application segment or a comment. Replaced: the
    first EXIF block, by `exif`. Dropped: the other APPn (XMP, IPTC, maker data,
    MPF's extra pictures), comments, and anything after the end of the picture.
    A picture cut short is copied as far as it goes.
    """
    if bytes(data[:2]) != b"\xff\xd8":
        raise DamagedPicture("The JPEG does not start with its start-of-image marker.")
    out.write(b"\xff\xd8")
    pos, size, exif_seen = 2, len(data), False
    while pos + 1 < size:
        if data[pos] != 0xFF:
            raise DamagedPicture(f"The JPEG has no segment marker at byte {pos}.")
        marker = data[pos + 1]
        if marker == 0xFF:  # Fill byte before a marker.
            pos += 1
            continue
        if marker == EOI:
            out.write(b"\xff\xd9")
            return
        if marker in STANDALONE:
            out.write(data[pos : pos + 2])
            pos += 2
            continue
        if pos + 4 > size:
            return  # Cut short inside a marker.
        (length,) = struct.unpack_from(">H", data, pos + 2)
        end = pos + 2 + length
        if length < 2 or end > size:
            raise DamagedPicture(f"The JPEG's segment at byte {pos} runs past the end.")
        payload = bytes(data[pos + 4 : end]) if APP0 <= marker <= APP15 else b""
        if marker == APP0 and payload.startswith(b"JFIF\x00") and len(payload) >= 14:
            out.write(b"\xff\xe0\x00\x10" + payload[:12] + b"\x00\x00")  # No thumbnail.
        elif marker == APP1 and payload.startswith(b"Exif\x00\x00"):
            if exif and not exif_seen:
                block = b"Exif\x00\x00" + exif
                out.write(b"\xff\xe1" + struct.pack(">H", len(block) + 2) + block)
            exif_seen = True
        elif (
            (marker == APP2 and payload.startswith(b"ICC_PROFILE\x00"))
            or (marker == APP14 and payload.startswith(b"Adobe"))
            or not (APP0 <= marker <= APP15 or marker == COM)
        ):
            out.write(data[pos:end])
        pos = end
        if marker == SOS:
            # Entropy-coded data runs to the next marker; it holds pixels only.
            found = NEXT_MARKER.search(data, pos)
            scan_end = found.start() if found else size
            out.write(data[pos:scan_end])
            pos = scan_end


def png_without_metadata(data: memoryview, exif: bytes, out: IO[bytes]) -> None:
    """Copy the PNG in `data` to `out` chunk by chunk, leaving the metadata out.

    Kept: the critical chunks and those in `PNG_KEPT`. Replaced: `eXIf`, by
    `exif`. Dropped: text (`tEXt`, `zTXt`, `iTXt`), `tIME`, private chunks, and
    anything after `IEND`.
    """
    if bytes(data[:8]) != PNG_SIGNATURE:
        raise DamagedPicture("The PNG does not start with its signature.")
    out.write(PNG_SIGNATURE)
    pos, size = 8, len(data)
    while pos + 8 <= size:
        (length,) = struct.unpack_from(">I", data, pos)
        kind = bytes(data[pos + 4 : pos + 8])
        end = pos + 12 + length
        if end > size:
            raise DamagedPicture(f"The PNG's {kind!r} chunk runs past the end.")
        if kind == b"eXIf":
            if exif:
                out.write(struct.pack(">I", len(exif)) + kind + exif)
                out.write(struct.pack(">I", zlib.crc32(kind + exif)))
        elif kind[:1].isupper() or kind in PNG_KEPT:
            out.write(data[pos:end])
        pos = end
        if kind == b"IEND":
            return
    raise DamagedPicture("The PNG ends before its IEND chunk.")


def webp_without_metadata(data: memoryview, exif: bytes, out: IO[bytes]) -> None:
    """Copy the WebP in `data` to `out` chunk by chunk, leaving the metadata out.

    Kept: the chunks in `WEBP_KEPT`. Replaced: `EXIF`, by `exif`. Dropped: `XMP `,
    unknown chunks and anything after the RIFF container. The extended header's
    flags are corrected to match, and the container's size.
    """
    if bytes(data[:4]) != b"RIFF" or bytes(data[8:12]) != b"WEBP":
        raise DamagedPicture("The file is not a WebP container.")
    (riff_size,) = struct.unpack_from("<I", data, 4)
    size = min(len(data), 8 + riff_size)
    chunks: list[bytes | memoryview] = []
    flags_at = None
    pos = 12
    while pos + 8 <= size:
        kind = bytes(data[pos : pos + 4])
        (length,) = struct.unpack_from("<I", data, pos + 4)
        end = pos + 8 + length + (length & 1)  # Chunks are padded to an even length.
        if pos + 8 + length > size:
            raise DamagedPicture(f"The WebP's {kind!r} chunk runs past the end.")
        if kind == b"EXIF":
            if exif and flags_at is not None:  # EXIF belongs in the extended format only.
                padding = b"\x00" * (len(exif) & 1)
                chunks.append(b"EXIF" + struct.pack("<I", len(exif)) + exif + padding)
        elif kind in WEBP_KEPT:
            if kind == b"VP8X":
                flags_at = len(chunks)
            chunks.append(data[pos:end])
        pos = end
    if flags_at is not None:
        header = bytearray(chunks[flags_at])
        header[8] &= ~(WEBP_EXIF | WEBP_XMP) & 0xFF
        if any(bytes(chunk[:4]) == b"EXIF" for chunk in chunks):
            header[8] |= WEBP_EXIF
        chunks[flags_at] = bytes(header)
    body = sum(len(chunk) for chunk in chunks)
    out.write(b"RIFF" + struct.pack("<I", 4 + body) + b"WEBP")
    for chunk in chunks:
        out.write(chunk)
