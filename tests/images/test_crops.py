"""A photo's centre-cropped copies (16:9, 4:3, 1:1) for search engines and partners."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image as PILImage

from images.models import Image
from tests.factories import ImageFactory
from tests.images.uploading import made, upload

pytestmark = pytest.mark.django_db


def banded(size=(4000, 2000), band=1000) -> bytes:
    """A blue photo with a red band `band` pixels wide on its left and right."""
    picture = PILImage.new("RGB", size, "blue")
    picture.paste("red", (0, 0, band, size[1]))
    picture.paste("red", (size[0] - band, 0, size[0], size[1]))
    exif = PILImage.Exif()
    exif[0x010F] = "Grain Cam"  # Make
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif.tobytes(), quality=95)
    return buffer.getvalue()


def stored(media_root, url: str) -> Path:
    return Path(media_root) / url.removeprefix("/media/")


@pytest.fixture
def wide_photo(client, reporter) -> Image:
    upload(client, reporter, "harbour.jpg", banded(), "image/jpeg")
    return made(Image.objects.get())


def test_a_large_photo_gets_three_crops_1200_pixels_wide(wide_photo, media_root):
    crops = {crop.crop: crop for crop in wide_photo.crops}
    assert {ratio: (c.width, c.height) for ratio, c in crops.items()} == {
        "16x9": (1200, 675),
        "4x3": (1200, 900),
        "1x1": (1200, 1200),
    }
    for crop in crops.values():
        with PILImage.open(stored(media_root, crop.url)) as copy:
            assert (copy.format, copy.size) == ("JPEG", (crop.width, crop.height))
            assert not copy.getexif()


def test_crops_are_named_like_the_other_copies(wide_photo):
    [plain_1200] = [r for r in wide_photo.renditions if r.width == 1200]
    folder = plain_1200.url.rsplit("/", 1)[0]
    assert [c.url for c in wide_photo.crops] == [
        f"{folder}/1200w-16x9.jpg",
        f"{folder}/1200w-4x3.jpg",
        f"{folder}/1200w-1x1.jpg",
    ]


def test_a_square_crop_is_cut_from_the_middle(wide_photo, media_root):
    # The middle 2000 x 2000 of the photo is blue: the red bands are cut away.
    [square] = [c for c in wide_photo.crops if c.crop == "1x1"]
    with PILImage.open(stored(media_root, square.url)) as copy:
        for x in (5, 600, 1194):
            red, _, blue = copy.convert("RGB").getpixel((x, 600))
            assert blue > 200 and red < 60


def test_the_byte_size_of_every_copy_is_recorded(wide_photo, media_root):
    copies = [*wide_photo.renditions, *wide_photo.crops]
    assert len(wide_photo.rendition_bytes) == len(copies) == 7
    for copy in copies:
        assert copy.size_in_bytes == stored(media_root, copy.url).stat().st_size


def test_a_small_photo_gets_smaller_crops_never_enlarged():
    image = ImageFactory(file__width=1000, file__height=600)
    assert [(c.crop, c.width, c.height) for c in image.crops] == [
        ("16x9", 1000, 562),
        ("4x3", 800, 600),
        ("1x1", 600, 600),
    ]


def test_a_tall_photo_loses_its_top_and_bottom():
    image = ImageFactory(file__width=1300, file__height=3000)
    assert [(c.crop, c.width, c.height) for c in image.crops] == [
        ("16x9", 1200, 675),
        ("4x3", 1200, 900),
        ("1x1", 1200, 1200),
    ]


def test_a_photo_not_ready_lists_no_crops():
    assert ImageFactory(renditions=False).crops == []


def test_the_command_gives_photos_made_before_crops_existed_their_crops(media_root):
    image = ImageFactory()
    for crop in image.crops:
        stored(media_root, crop.url).unlink()
    Image.objects.filter(pk=image.pk).update(rendition_bytes={})
    call_command("make_renditions", "--all", stdout=io.StringIO())
    image.refresh_from_db()
    assert all(stored(media_root, crop.url).exists() for crop in image.crops)
    assert all(crop.size_in_bytes for crop in image.crops)
