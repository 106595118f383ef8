"""Uploading photos in tests: pictures made in memory, the admin's add form, the task."""

import io
import struct
import zlib
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from images.models import Image
from images.tasks import prepare_renditions

ADD = reverse("admin:images_image_add")


def picture(fmt: str = "JPEG", size=(1000, 600), exif_orientation: int | None = None) -> bytes:
    buffer = io.BytesIO()
    image = PILImage.new("RGB", size, "steelblue")
    kwargs = {}
    if exif_orientation:
        exif = PILImage.Exif()
        exif[0x0112] = exif_orientation
        kwargs["exif"] = exif.tobytes()
    image.save(buffer, fmt, **kwargs)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge picture: a decompression bomb's shape."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def upload(client, user, name: str, data: bytes, content_type: str, **fields):
    client.force_login(user)
    form = {
        "file": SimpleUploadedFile(name, data, content_type=content_type),
        "alt_text": "Grain ship at the quay",
        "caption": "",
        "credit": "Photo: Ukrinform",
        **fields,
    }
    return client.post(ADD, form)


def replace_file(client, image: Image, capture_on_commit):
    """Give `image` a new file through the admin's change form; run what waits for the commit."""
    with capture_on_commit(execute=True):
        return client.post(
            reverse("admin:images_image_change", args=[image.pk]),
            {
                "file": SimpleUploadedFile("quay.jpg", picture(size=(800, 450)), "image/jpeg"),
                "alt_text": image.alt_text,
                "caption": "",
                "credit": "",
            },
        )


def form_errors(response) -> str:
    return " ".join(str(e) for e in response.context["adminform"].form.errors.get("file", []))


def stored_files(media_root) -> list[str]:
    root = Path(media_root)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def made(image: Image) -> Image:
    """Run the task that makes `image`'s copies, as the worker would; return the photo."""
    prepare_renditions.call(image.pk, image.file.name)
    image.refresh_from_db()
    return image
