"""A deleted or replaced photo leaves local storage with its copies, once the change commits."""

import pytest
from django.db.transaction import atomic as django_atomic
from django.urls import reverse

from images.models import Image
from images.renditions import rendition_folder
from tests.factories import ArticleFactory
from tests.images.uploading import made, picture, replace_file, stored_files, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(client, superuser, media_root) -> Image:
    upload(client, superuser, "ship.jpg", picture(), "image/jpeg")
    image = made(Image.objects.get())
    assert len(stored_files(media_root)) == 7  # The original and six copies.
    return image


def test_deleting_a_photo_removes_its_original_and_copies_after_the_commit(
    photo, media_root, django_capture_on_commit_callbacks
):
    folder = media_root / rendition_folder(photo.file.name)
    with django_capture_on_commit_callbacks() as callbacks:
        photo.delete()
    assert len(stored_files(media_root)) == 7, "nothing goes before the commit"
    for callback in callbacks:
        callback()
    assert stored_files(media_root) == []
    assert not folder.exists()  # Nor the copies' emptied folder.


def test_a_rolled_back_deletion_keeps_the_files(
    photo, media_root, django_capture_on_commit_callbacks
):
    pk = photo.pk
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        django_atomic(),
    ):
        photo.delete()
        raise RuntimeError("rolled back")
    assert Image.objects.filter(pk=pk).exists()
    assert len(stored_files(media_root)) == 7


def test_deleting_a_story_keeps_its_photo_and_deleting_the_photo_removes_it(
    client, photo, media_root, django_capture_on_commit_callbacks
):
    article = ArticleFactory(published=True, lead_image=photo)
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    assert len(stored_files(media_root)) == 7
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:images_image_delete", args=[photo.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert stored_files(media_root) == []


def test_the_admins_bulk_delete_removes_every_photos_files(
    client, superuser, photo, media_root, django_capture_on_commit_callbacks
):
    upload(client, superuser, "quay.jpg", picture(size=(700, 400)), "image/jpeg")
    made(Image.objects.exclude(pk=photo.pk).get())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:images_image_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": list(Image.objects.values_list("pk", flat=True)),
                "post": "yes",
            },
        )
    assert response.status_code == 302
    assert not Image.objects.exists()
    assert stored_files(media_root) == []


def test_replacing_a_photos_file_removes_the_old_original_and_its_copies(
    client, photo, media_root, django_capture_on_commit_callbacks
):
    old = photo.file.name
    response = replace_file(client, photo, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.file.name != old
    assert stored_files(media_root) == [photo.file.name]
