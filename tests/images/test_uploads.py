"""Photo uploads: checked on their header before decoding; the original stored, nothing decoded."""

from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult

from images.models import Image
from images.renditions import RENDITION_WIDTHS
from images.tasks import prepare_renditions
from tests.images.uploading import (
    form_errors,
    made,
    picture,
    png_claiming,
    stored_files,
    upload,
)

pytestmark = pytest.mark.django_db


def test_a_reporter_uploads_a_photo(client, reporter):
    response = upload(client, reporter, "ship.jpg", picture(), "image/jpeg")
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height, image.uploaded_by) == (1000, 600, reporter)


def test_an_upload_stores_the_original_and_queues_its_copies(
    client, reporter, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, reporter, "ship.jpg", picture(size=(1300, 700)), "image/jpeg")
    image = Image.objects.get()
    assert image.renditions_status == Image.RenditionStatus.PENDING
    assert image.renditions == []
    assert stored_files(media_root) == [image.file.name]
    [queued] = DBTaskResult.objects.filter(task_path=prepare_renditions.module_path)
    assert queued.args_kwargs["args"] == [image.pk, image.file.name]


def test_the_task_gives_an_upload_its_resized_copies(client, reporter, media_root):
    upload(client, reporter, "ship.jpg", picture(size=(1300, 700)), "image/jpeg")
    image = made(Image.objects.get())
    assert [r.width for r in image.renditions] == [480, 800, 1200, 1300]
    for rendition in image.renditions:
        assert (Path(media_root) / rendition.url.removeprefix("/media/")).is_file()


def test_resized_copies_never_give_away_the_original_name(client, reporter):
    upload(client, reporter, "ship.jpg", picture(), "image/jpeg")
    image = made(Image.objects.get())
    assert Path(image.file.name).stem not in image.srcset()
    assert "ship" not in image.file.name


def test_a_photo_turned_by_its_camera_is_measured_upright(client, reporter):
    upload(
        client, reporter, "ship.jpg", picture(size=(1000, 600), exif_orientation=6), "image/jpeg"
    )
    image = Image.objects.get()
    assert (image.width, image.height) == (600, 1000)


def test_alt_text_is_required(client, reporter):
    response = upload(client, reporter, "ship.jpg", picture(), "image/jpeg", alt_text="")
    assert response.status_code == 200
    assert "alt_text" in response.context["adminform"].form.errors
    assert not Image.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("ship.gif", picture("GIF"), "image/gif"),
        (
            "ship.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "image/svg+xml",
        ),
        ("notes.jpg", b"Just some text pretending to be a photo.", "image/jpeg"),
        ("ship.jpg", picture(), "text/html"),
    ],
    ids=["gif", "svg", "text-named-jpg", "wrong-content-type"],
)
def test_a_file_that_is_not_an_accepted_photo_is_refused(
    client, reporter, name, data, content_type
):
    response = upload(client, reporter, name, data, content_type)
    assert response.status_code == 200
    assert "JPEG, PNG or WebP" in form_errors(response)
    assert not Image.objects.exists()


def test_a_photo_named_as_another_format_is_refused(client, reporter):
    response = upload(client, reporter, "ship.jpg", picture("PNG"), "image/jpeg")
    assert "is a PNG picture but its name ends in .jpg" in form_errors(response)
    assert not Image.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, reporter, settings):
    settings.NEWSROOM_IMAGE_MAX_BYTES = 10_000
    data = picture(size=(2000, 2000)) + b"\x00" * 10_000
    response = upload(client, reporter, "ship.jpg", data, "image/jpeg")
    assert "photos may be at most" in form_errors(response)
    assert not Image.objects.exists()


def test_a_photo_over_the_pixel_limit_is_refused(client, reporter, settings):
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 500_000
    response = upload(client, reporter, "ship.jpg", picture(size=(1000, 600)), "image/jpeg")
    assert "the limit is 0.5 megapixels" in form_errors(response)
    assert not Image.objects.exists()


def test_a_decompression_bomb_is_refused_unread(client, reporter):
    bomb = png_claiming(30_000, 30_000)
    assert len(bomb) < 200
    response = upload(client, reporter, "bomb.png", bomb, "image/png")
    assert response.status_code == 200
    assert "megapixels" in form_errors(response)
    assert not Image.objects.exists()


def test_a_bomb_just_under_pillows_own_limit_is_refused_by_ours(client, reporter):
    # Pillow's limit is ours (ImagesConfig.ready); it refuses only twice as many pixels.
    bomb = png_claiming(12_000, 6_000)  # 72 megapixels: Pillow would only warn.
    response = upload(client, reporter, "bomb.png", bomb, "image/png")
    assert "72.0 megapixels" in form_errors(response)


def test_a_topic_moderator_cannot_upload_photos(client, moderator):
    response = upload(client, moderator, "ship.jpg", picture(), "image/jpeg")
    assert response.status_code == 403
    assert not Image.objects.exists()


def test_every_rendition_width_is_offered_for_a_large_photo(client, reporter):
    upload(client, reporter, "ship.jpg", picture(size=(2000, 1000)), "image/jpeg")
    assert [r.width for r in made(Image.objects.get()).renditions] == list(RENDITION_WIDTHS)
