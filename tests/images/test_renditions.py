"""A photo's resized copies: made by the task worker after the upload; a placeholder until then."""

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from PIL import Image as PILImage

from images import renditions
from images.models import Image
from images.tasks import prepare_renditions
from tests.databases import database_url
from tests.factories import ArticleFactory, ImageFactory, UserFactory
from tests.images.uploading import form_errors, made, picture, stored_files, upload

pytestmark = pytest.mark.django_db

BIG = (7000, 7000)
ALT = "A grain ship leaving the port of Odesa at dawn"
PLACEHOLDER = (
    '<svg class="photo-placeholder" viewBox="0 0 800 480" width="800" height="480" '
    f'role="img" aria-label="{ALT}"></svg>'
)


@pytest.fixture(scope="module")
def big_png() -> bytes:
    """A 49-megapixel PNG of one flat colour: about 150 KB to upload, 147 MB decoded."""
    buffer = io.BytesIO()
    PILImage.new("RGB", BIG, (70, 130, 180)).save(buffer, "PNG")
    return buffer.getvalue()


def noise(fmt: str, size=(600, 400)) -> bytes:
    """A picture of random pixels, which compresses badly: cutting it loses pixel data."""
    pixels = os.urandom(size[0] * size[1] * 3)
    buffer = io.BytesIO()
    PILImage.frombytes("RGB", size, pixels).save(buffer, fmt)
    return buffer.getvalue()


def copy_at(media_root, url: str) -> PILImage.Image:
    return PILImage.open(Path(media_root) / url.removeprefix("/media/"))


def test_a_49_megapixel_png_is_stored_at_once_and_decoded_later(
    client, reporter, media_root, big_png, django_capture_on_commit_callbacks
):
    started = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, reporter, "harbour.png", big_png, "image/png")
    elapsed = time.perf_counter() - started
    assert response.status_code == 302
    # Decoding and resizing it here took over six seconds; checking its header takes little.
    assert elapsed < 2.0
    image = Image.objects.get()
    assert (image.width, image.height, image.renditions_status) == (*BIG, "pending")
    assert stored_files(media_root) == [image.file.name]
    assert DBTaskResult.objects.filter(task_path=prepare_renditions.module_path).count() == 1


def test_the_49_megapixel_png_gets_its_copies_from_the_task(client, reporter, media_root, big_png):
    upload(client, reporter, "harbour.png", big_png, "image/png")
    image = made(Image.objects.get())
    assert image.renditions_ready
    assert [(r.width, r.height) for r in image.renditions] == [
        (480, 480),
        (800, 800),
        (1200, 1200),
        (1600, 1600),
    ]
    for rendition in image.renditions:
        copy = copy_at(media_root, rendition.url)
        assert (copy.format, copy.size) == ("JPEG", (rendition.width, rendition.height))


def test_a_story_shows_a_placeholder_of_the_photos_shape_until_its_copies_are_made(client):
    article = ArticleFactory(published=True, lead_image=ImageFactory(renditions=False))
    content = client.get(article.get_absolute_url()).content.decode()
    assert PLACEHOLDER in content
    # No copy, and never the original: no picture address at all; shared with the site's logo.
    assert "/media/" not in content
    assert '<meta property="og:image" content="http://127.0.0.1:8000/static/logo.png">' in content
    assert '"image":' not in content  # The JSON-LD names no photo of the story.
    assert '<meta name="twitter:card" content="summary">' in content


def test_the_home_pages_lead_card_shows_the_placeholder_too(client):
    ArticleFactory(published=True, lead_image=ImageFactory(renditions=False))
    content = client.get("/").content.decode()
    assert 'class="photo-placeholder" viewBox="0 0 800 480"' in content
    assert "/media/" not in content


def test_a_placeholder_costs_the_article_page_no_query(client, django_assert_num_queries):
    article = ArticleFactory(
        published=True,
        lead_image=ImageFactory(renditions=False),
        authors=UserFactory.create_batch(3),
        topics=[f"Topic {n}" for n in range(5)],
    )
    # As with a ready photo (tests/articles/test_lead_image.py): article with source,
    # section and photo, bylines, topics, related, navigation. No storage call either.
    with django_assert_num_queries(5):
        assert PLACEHOLDER in client.get(article.get_absolute_url()).content.decode()


def test_the_task_marks_the_photo_ready_and_purges_its_stories(
    front_cache, django_capture_on_commit_callbacks
):
    image = ImageFactory(renditions=False)
    article = ArticleFactory(published=True, lead_image=image)
    ArticleFactory(lead_image=image)  # A draft: readers never saw it.
    with django_capture_on_commit_callbacks(execute=True):
        outcome = prepare_renditions.call(image.pk, image.file.name)
    assert outcome.startswith("6 copies in ")  # 480, 800 and 1000 wide, and three crops
    image.refresh_from_db()
    assert image.renditions_ready and image.renditions_made_at is not None
    assert front_cache.purged == [{f"story-{article.pk}", "story-all"}]


def test_the_page_shows_the_copies_once_they_are_made(client):
    image = ImageFactory(renditions=False)
    article = ArticleFactory(published=True, lead_image=image)
    assert PLACEHOLDER in client.get(article.get_absolute_url()).content.decode()
    made(image)
    content = client.get(article.get_absolute_url()).content.decode()
    assert "photo-placeholder" not in content
    assert f'srcset="{image.srcset()}"' in content
    assert 'width="800" height="480"' in content  # The placeholder's size: nothing moves.
    assert image.file.name not in content


def test_copies_are_upright_and_carry_no_camera_data(client, reporter, media_root):
    exif = PILImage.Exif()
    exif[0x0112] = 6  # Turned a quarter by the camera.
    exif[0x010F] = "Grain Cam"  # Make
    exif[0x8825] = {1: "N", 2: (46.0, 29.0, 0.0)}  # GPS: where it was taken.
    buffer = io.BytesIO()
    PILImage.new("RGB", (1000, 600), "steelblue").save(
        buffer, "JPEG", exif=exif.tobytes(), comment=b"Taken at the secret berth"
    )
    upload(client, reporter, "ship.jpg", buffer.getvalue(), "image/jpeg")
    image = made(Image.objects.get())
    assert [(r.width, r.height) for r in image.renditions] == [(480, 800), (600, 1000)]
    for rendition in image.renditions:
        copy = copy_at(media_root, rendition.url)
        assert copy.size == (rendition.width, rendition.height)
        assert not copy.getexif()
        assert not {"exif", "comment", "xmp"} & set(copy.info)


def test_a_transparent_png_gets_a_white_background(client, reporter, media_root):
    buffer = io.BytesIO()
    PILImage.new("RGBA", (600, 400), (255, 0, 0, 0)).save(buffer, "PNG")
    upload(client, reporter, "cutout.png", buffer.getvalue(), "image/png")
    for rendition in made(Image.objects.get()).renditions:
        red, green, blue = copy_at(media_root, rendition.url).convert("RGB").getpixel((10, 10))
        assert min(red, green, blue) > 245


def test_shrinking_strip_by_strip_gives_what_shrinking_the_whole_picture_gives(monkeypatch):
    monkeypatch.setattr(renditions, "STRIP_PIXELS", 5_000)  # Strips of 12 rows, and a last of 11.
    picture = PILImage.frombytes("RGB", (401, 203), os.urandom(401 * 203 * 3))
    assert renditions.shrunk(picture, (100, 50)).tobytes() == picture.reduce(2).tobytes()


def test_a_damaged_png_is_refused_at_upload_and_nothing_is_stored(client, reporter, media_root):
    damaged = noise("PNG")
    response = upload(client, reporter, "ship.png", damaged[: len(damaged) // 2], "image/png")
    assert response.status_code == 200
    assert "corrupted image" in form_errors(response)
    assert not Image.objects.exists()
    assert stored_files(media_root) == []


def test_a_photo_over_the_pixel_limit_is_refused_and_nothing_is_stored(
    client, reporter, media_root, settings
):
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 1_000_000
    response = upload(client, reporter, "ship.png", picture("PNG", (2000, 1000)), "image/png")
    assert "2000 × 1000 pixels (2.0 megapixels); the limit is 1 megapixels" in form_errors(response)
    assert not Image.objects.exists()
    assert stored_files(media_root) == []


def test_a_picture_that_cannot_be_decoded_is_recorded_as_failed_with_its_reason(
    client, reporter, media_root, django_capture_on_commit_callbacks
):
    # A cut JPEG has a sound header: only decoding it, which the upload never does, tells.
    damaged = noise("JPEG")
    upload(client, reporter, "ship.jpg", damaged[: len(damaged) // 2], "image/jpeg")
    image = Image.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        outcome = prepare_renditions.call(image.pk, image.file.name)
    image.refresh_from_db()
    assert outcome.startswith("failed: The picture is damaged")
    assert image.renditions_status == Image.RenditionStatus.FAILED
    assert image.renditions_error.startswith("The picture is damaged (image file is truncated")
    assert image.renditions == []
    assert stored_files(media_root) == [image.file.name]


def test_the_admin_says_a_photo_is_being_prepared(client, reporter):
    upload(client, reporter, "ship.jpg", picture(), "image/jpeg")
    image = Image.objects.get()
    content = client.get(reverse("admin:images_image_change", args=[image.pk])).content.decode()
    assert "Being prepared" in content


def test_the_admin_shows_why_the_copies_failed(client, superuser):
    image = ImageFactory(renditions=False)
    Path(image.file.path).write_bytes(b"no longer a picture")
    made(image)
    client.force_login(superuser)
    listing = client.get(reverse("admin:images_image_changelist") + "?renditions_status=failed")
    content = listing.content.decode()
    assert "The resized copies could not be made:" in content
    assert "could not be read" in content


def test_a_failed_photo_is_prepared_again_from_the_admin(
    client, superuser, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 100_000
    image = made(ImageFactory(renditions=False))
    assert image.renditions_error == (
        "The picture is 1000 × 600 pixels, over the limit of 0.1 megapixels."
    )
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 50_000_000  # The operator raised the limit.
    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:images_image_changelist"),
            {"action": "prepare_copies_again", "_selected_action": [image.pk]},
            follow=True,
        )
    assert "being prepared again" in response.content.decode()
    image.refresh_from_db()
    assert (image.renditions_status, image.renditions_error) == ("pending", "")
    [queued] = DBTaskResult.objects.filter(task_path=prepare_renditions.module_path)
    prepare_renditions.call(*queued.args_kwargs["args"])
    image.refresh_from_db()
    assert image.renditions_ready


def test_a_task_for_a_replaced_file_leaves_the_photo_alone():
    image = ImageFactory(renditions=False)
    outcome = prepare_renditions.call(image.pk, "images/originals/2026/01/replaced.jpg")
    assert outcome == "the photo was deleted or its file replaced; nothing to do"
    image.refresh_from_db()
    assert image.renditions_status == Image.RenditionStatus.PENDING


def test_the_command_makes_the_copies_of_photos_still_waiting():
    waiting = ImageFactory(renditions=False)
    ready = ImageFactory()
    out = io.StringIO()
    call_command("make_renditions", stdout=out)
    waiting.refresh_from_db()
    assert waiting.renditions_ready
    assert out.getvalue().startswith(f"Photo {waiting.pk}: 6 copies in ")
    assert f"Photo {ready.pk}" not in out.getvalue()


def test_the_commands_dry_run_lists_the_photos_and_makes_nothing():
    waiting = ImageFactory(renditions=False)
    out = io.StringIO()
    call_command("make_renditions", "--dry-run", stdout=out)
    assert out.getvalue() == f"Would make the copies of photo {waiting.pk}: {waiting}\n"
    waiting.refresh_from_db()
    assert waiting.renditions_status == Image.RenditionStatus.PENDING


@pytest.mark.django_db(transaction=True)
def test_the_task_worker_makes_the_copies_and_purges_the_front_cache(
    client, superuser, media_root, big_png, purge_recorder
):
    client.force_login(superuser)
    response = upload(client, superuser, "harbour.png", big_png, "image/png")
    assert response.status_code == 302
    image = Image.objects.get()
    article = ArticleFactory(published=True, lead_image=image)
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(media_root),
        "FRONT_CACHE_URLS": purge_recorder.url,
    }
    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert worker.returncode == 0, worker.stderr
    result = DBTaskResult.objects.get(task_path=prepare_renditions.module_path)
    assert result.status == "SUCCESSFUL", worker.stderr
    image.refresh_from_db()
    assert image.renditions_ready
    assert {f"story-{article.pk}", "story-all"} in purge_recorder.purged
    content = client.get(article.get_absolute_url()).content.decode()
    assert f'srcset="{image.srcset()}"' in content
