"""Originals are stored without location, camera or owner data; orientation and colour stay."""

import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image as PILImage
from PIL import ImageCms, ImageOps, PngImagePlugin

from images.models import Image
from tests.factories import ArticleFactory
from tests.images.uploading import made, upload

pytestmark = pytest.mark.django_db

MAKE, MODEL, SERIAL = "PlantedCamMaker", "PlantedModelX9", "SN-PLANTED-0042"
XMP_CREATOR, COMMENT, PNG_TEXT = "Olena-Planted-Creator", "shot-from-planted-home", "planted-gps"
PLANTED = [MAKE, MODEL, SERIAL, XMP_CREATOR, COMMENT, PNG_TEXT]
XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
    f"<dc:creator>{XMP_CREATOR}</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
).encode()
GPS_IFD, EXIF_IFD, ORIENTATION = 0x8825, 0x8769, 0x0112
ICC = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def camera_exif(orientation: int = 6) -> PILImage.Exif:
    """EXIF as a phone writes it: where, with what camera, which way up."""
    exif = PILImage.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F], exif[0x0110] = MAKE, MODEL
    exif.get_ifd(EXIF_IFD)[0xA431] = SERIAL  # BodySerialNumber
    exif.get_ifd(GPS_IFD).update(
        {1: "N", 2: (50.0, 27.0, 1.5), 3: "E", 4: (30.0, 31.0, 22.0)}  # Kyiv
    )
    return exif


def photo() -> PILImage.Image:
    """A picture whose pixels differ everywhere, so a re-encoded copy would show."""
    gradient = PILImage.linear_gradient("L").resize((640, 400))
    return PILImage.merge("RGB", (gradient, gradient.rotate(90), ImageOps.invert(gradient)))


def camera_jpeg() -> bytes:
    buffer = io.BytesIO()
    photo().save(
        buffer, "JPEG", quality=90, exif=camera_exif(), xmp=XMP, comment=COMMENT, icc_profile=ICC
    )
    return buffer.getvalue()


def uploaded(client, reporter, name: str, data: bytes, content_type: str) -> Image:
    for planted in (MAKE, MODEL, SERIAL):
        assert planted.encode() in data, "the test photo must carry what is to be removed"
    response = upload(client, reporter, name, data, content_type)
    assert response.status_code == 302
    return Image.objects.get()


def stored(image: Image) -> bytes:
    with image.file.storage.open(image.file.name, "rb") as file:
        return file.read()


def assert_no_camera_data(data: bytes) -> None:
    for planted in PLANTED:
        assert planted.encode() not in data
    assert b"http://ns.adobe.com/xap/1.0/" not in data
    with PILImage.open(io.BytesIO(data)) as picture:
        exif = picture.getexif()
        assert set(exif) <= {ORIENTATION}
        assert not exif.get_ifd(GPS_IFD)
        assert not exif.get_ifd(EXIF_IFD)
        assert not {"xmp", "comment", "XML:com.adobe.xmp"} & set(picture.info)


def test_a_jpeg_is_stored_without_location_camera_xmp_or_comment(client, reporter):
    image = uploaded(client, reporter, "ship.jpg", camera_jpeg(), "image/jpeg")
    assert_no_camera_data(stored(image))


def test_a_jpeg_stored_without_metadata_keeps_its_pixels(client, reporter):
    original = camera_jpeg()
    image = uploaded(client, reporter, "ship.jpg", original, "image/jpeg")
    with PILImage.open(io.BytesIO(original)) as before, PILImage.open(image.file) as after:
        assert after.format == "JPEG"
        assert after.tobytes() == before.tobytes()


def test_a_jpeg_stored_without_metadata_still_turns_the_right_way(client, reporter):
    original = camera_jpeg()
    image = uploaded(client, reporter, "ship.jpg", original, "image/jpeg")
    with PILImage.open(io.BytesIO(original)) as before:
        upright = ImageOps.exif_transpose(before)
    with PILImage.open(io.BytesIO(stored(image))) as after:
        assert after.getexif()[ORIENTATION] == 6
        turned = ImageOps.exif_transpose(after)
        assert turned.size == upright.size == (400, 640)
        assert turned.tobytes() == upright.tobytes()
    assert (image.width, image.height) == (400, 640)


def test_a_jpeg_stored_without_metadata_keeps_its_colour_profile(client, reporter):
    image = uploaded(client, reporter, "ship.jpg", camera_jpeg(), "image/jpeg")
    with PILImage.open(io.BytesIO(stored(image))) as after:
        assert after.info["icc_profile"] == ICC


def test_an_upright_jpeg_is_stored_with_no_exif_at_all(client, reporter):
    buffer = io.BytesIO()
    photo().save(buffer, "JPEG", exif=camera_exif(orientation=1))
    image = uploaded(client, reporter, "ship.jpg", buffer.getvalue(), "image/jpeg")
    data = stored(image)
    assert b"Exif\x00\x00" not in data
    assert_no_camera_data(data)


def test_a_phones_second_picture_is_not_stored(client, reporter):
    # A multi-picture JPEG (MPO) carries further pictures, each with its own EXIF, after the first.
    buffer = io.BytesIO()
    photo().save(
        buffer, "MPO", save_all=True, append_images=[photo().rotate(180)], exif=camera_exif()
    )
    image = uploaded(client, reporter, "ship.jpg", buffer.getvalue(), "image/jpeg")
    data = stored(image)
    assert_no_camera_data(data)
    assert data.count(b"\xff\xd8") == 1
    with PILImage.open(io.BytesIO(data)) as after:
        assert (after.format, getattr(after, "n_frames", 1)) == ("JPEG", 1)


def test_a_png_is_stored_without_its_text_chunks_or_exif(client, reporter):
    text = PngImagePlugin.PngInfo()
    text.add_text("GPSPosition", PNG_TEXT)
    text.add_itxt("Comment", COMMENT, zip=True)
    text.add_text("Author", XMP_CREATOR, zip=True)
    buffer = io.BytesIO()
    photo().save(buffer, "PNG", pnginfo=text, exif=camera_exif(), icc_profile=ICC)
    original = buffer.getvalue()
    assert PNG_TEXT.encode() in original
    image = uploaded(client, reporter, "ship.png", original, "image/png")
    data = stored(image)
    assert_no_camera_data(data)
    for chunk in (b"tEXt", b"zTXt", b"iTXt"):
        assert chunk not in data
    with PILImage.open(io.BytesIO(original)) as before, PILImage.open(io.BytesIO(data)) as after:
        assert after.text == {}
        assert after.info["icc_profile"] == ICC
        assert after.getexif()[ORIENTATION] == 6
        assert after.tobytes() == before.tobytes()
    assert (image.width, image.height) == (400, 640)


def test_a_webp_is_stored_without_exif_or_xmp(client, reporter):
    buffer = io.BytesIO()
    photo().save(buffer, "WEBP", lossless=True, exif=camera_exif(), xmp=XMP, icc_profile=ICC)
    original = buffer.getvalue()
    assert XMP_CREATOR.encode() in original
    image = uploaded(client, reporter, "ship.webp", original, "image/webp")
    data = stored(image)
    assert_no_camera_data(data)
    with PILImage.open(io.BytesIO(original)) as before, PILImage.open(io.BytesIO(data)) as after:
        assert after.info["icc_profile"] == ICC
        assert after.getexif()[ORIENTATION] == 6
        assert after.tobytes() == before.tobytes()


def test_no_page_feed_or_api_answer_serves_camera_data(client, reporter, media_root):
    image = made(uploaded(client, reporter, "ship.jpg", camera_jpeg(), "image/jpeg"))
    article = ArticleFactory(published=True, lead_image=image)
    client.logout()
    answers = [
        client.get(article.get_absolute_url()),
        client.get("/"),
        client.get(reverse("articles:feed")),
        client.get(reverse("articles:feed_atom")),
        client.get(f"/api/v1/articles/{article.pk}"),
    ]
    served = set()
    for response in answers:
        assert response.status_code == 200
        served |= set(re.findall(r"/media/([^\s\"'<>,]+)", response.content.decode()))
    assert served, "the story's page shows the photo"
    assert {r.url.removeprefix("/media/") for r in image.renditions} <= served
    assert image.file.name not in served  # Pages never show the original.
    for name in served:
        assert_no_camera_data((Path(media_root) / name).read_bytes())
