"""Photos in an S3-compatible bucket: a real S3 API server (moto's), spoken to over HTTP.

The same behaviour as on local files: the original and its copies are stored, pages
link the copies at MEDIA_URL without asking storage anything, readers fetch copies
without camera data, and deleting a photo empties the bucket of it after the commit.
"""

import io
import json
import os
import re
import subprocess
import sys

import httpx
import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage
from storages.backends.s3 import S3Storage

from deploy.objectstore import S3Server, missing
from deploy.varnish import free_port
from images.models import Image
from images.renditions import rendition_folder
from newsroom.settings import s3_media_storage
from tests.factories import ArticleFactory
from tests.images.test_metadata import assert_no_camera_data, camera_jpeg, uploaded
from tests.images.uploading import made, picture, replace_file, upload

pytestmark = pytest.mark.django_db


class RecordingS3Storage(S3Storage):
    """The S3 storage, noting every request it sends to the S3 API (`requests`)."""

    requests: list[str] = []  # Every instance's, emptied for each test.

    def _create_session(self):
        session = super()._create_session()
        session.events.register("before-send.s3", self._record)
        return session

    @classmethod
    def _record(cls, request, **kwargs) -> None:
        cls.requests.append(f"{request.method} {request.url}")


@pytest.fixture(scope="module")
def s3_server():
    reason = missing()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the object-storage tests need moto's S3 server: {reason}")
        pytest.skip(reason)
    with S3Server(free_port()) as server:
        yield server


@pytest.fixture
def bucket(s3_server, settings, monkeypatch):
    """Keep photos in the server's bucket, configured as its environment would configure it."""
    env = s3_server.env()
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, env[name])  # Where boto3 finds them in production too.
    storage, settings.MEDIA_URL = s3_media_storage(env)
    # Django's setting_changed receiver drops the storages made so far, so the
    # next use of default_storage (and of Image.file.storage) builds this one.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**storage, "BACKEND": f"{__name__}.RecordingS3Storage"},
    }
    RecordingS3Storage.requests = []
    yield s3_server
    client = s3_server.client()
    for key in s3_server.object_names():
        client.delete_object(Bucket=s3_server.bucket, Key=key)


def storage_options(settings, **options) -> None:
    """Change options of the photos' storage, as another environment would set them."""
    default = settings.STORAGES["default"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**default, "OPTIONS": {**default["OPTIONS"], **options}},
    }


def fetch(url: str) -> httpx.Response:
    """Fetch a copy as a reader would: a plain GET, no credentials."""
    response = httpx.get(url, timeout=5)
    assert response.status_code == 200, url
    return response


def copies_of(image: Image) -> list[str]:
    """Return the names of the copies of `image` in the bucket."""
    folder = rendition_folder(image.file.name)
    return [f"{folder}/{r.name}.jpg" for r in [*image.renditions, *image.crops]]


def test_the_environment_puts_photos_in_the_bucket_and_no_credentials_in_settings(
    s3_server,
):
    code = (
        "import json, django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.core.files.storage import storages\n"
        "s = storages['default']\n"
        "print(json.dumps([type(s).__name__, "
        "settings.MEDIA_URL, s.bucket_name, s.endpoint_url, s.region_name, s.querystring_auth, "
        "s.default_acl, s.file_overwrite, s.client_config.connect_timeout, "
        "s.client_config.read_timeout, s.url('CACHE/renditions/a/800w.jpg'), "
        "settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'], "
        "repr({k: getattr(settings, k) for k in dir(settings) if k.isupper()})]))\n"
    )
    env = {**os.environ, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    env.update(s3_server.env())
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    *options, every_setting = json.loads(result.stdout)
    media_url = f"{s3_server.url}/{s3_server.bucket}/"
    assert options == [
        "S3Storage",
        media_url,
        s3_server.bucket,
        s3_server.url,
        "us-east-1",
        False,
        None,
        True,
        3,
        10,
        f"{media_url}CACHE/renditions/a/800w.jpg",
        # Browsers may load the copies from the bucket's host, and images from no other.
        ["'self'", s3_server.url],
    ]
    assert s3_server.env()["AWS_SECRET_ACCESS_KEY"] not in every_setting
    assert s3_server.env()["AWS_ACCESS_KEY_ID"] not in every_setting


def test_media_url_is_derived_from_the_endpoint_and_bucket_when_unset():
    env = {"MEDIA_BUCKET": "photos", "MEDIA_S3_ENDPOINT_URL": "https://s3.example.net/"}
    storage, media_url = s3_media_storage(env)
    assert media_url == "https://s3.example.net/photos/"
    assert storage["OPTIONS"]["custom_domain"] == "s3.example.net/photos"
    assert s3_media_storage({"MEDIA_BUCKET": "photos", "MEDIA_S3_REGION": "eu-central-1"})[1] == (
        "https://photos.s3.eu-central-1.amazonaws.com/"
    )


def test_an_upload_stores_only_the_original_in_the_bucket(client, superuser, bucket):
    assert isinstance(storages["default"], S3Storage)
    response = upload(client, superuser, "ship.jpg", picture(), "image/jpeg")
    assert response.status_code == 302
    image = Image.objects.get()
    assert image.file.name.startswith("images/originals/")
    assert bucket.object_names() == [image.file.name]


def test_the_task_stores_the_copies_in_the_bucket_at_their_sizes(client, superuser, bucket):
    upload(client, superuser, "ship.jpg", picture(size=(1000, 600)), "image/jpeg")
    image = made(Image.objects.get())
    assert image.renditions_ready, image.renditions_error
    assert bucket.object_names() == sorted([image.file.name, *copies_of(image)])
    s3 = bucket.client()
    for rendition in [*image.renditions, *image.crops]:
        key = f"{rendition_folder(image.file.name)}/{rendition.name}.jpg"
        stored = s3.get_object(Bucket=bucket.bucket, Key=key)
        data = stored["Body"].read()
        assert stored["ContentType"] == "image/jpeg"
        assert stored["CacheControl"] == "public, max-age=31536000, immutable"
        assert len(data) == rendition.size_in_bytes
        with PILImage.open(io.BytesIO(data)) as copy:
            assert copy.size == (rendition.width, rendition.height)
        # Private, as every object: readers reach the copies through the bucket's policy.
        grants = s3.get_object_acl(Bucket=bucket.bucket, Key=key)["Grants"]
        assert not [g for g in grants if "URI" in g["Grantee"]]


def test_pages_feeds_and_the_api_link_copies_at_media_url_without_camera_data(
    client, reporter, bucket
):
    image = made(uploaded(client, reporter, "ship.jpg", camera_jpeg(), "image/jpeg"))
    article = ArticleFactory(published=True, lead_image=image)
    client.logout()
    answers = [
        client.get(article.get_absolute_url()),
        client.get(reverse("articles:feed")),
        client.get(f"/api/v1/articles/{article.pk}"),
    ]
    linked = set()
    pattern = re.escape(settings.MEDIA_URL) + r"[^\s\"'<>,]+"
    for response in answers:
        assert response.status_code == 200
        content = response.content.decode()
        assert image.file.name not in content  # Never the original.
        assert "/media/" not in content
        found = set(re.findall(pattern, content))
        assert found, response.request["PATH_INFO"]
        linked |= found
    assert {r.url for r in image.renditions} <= linked
    # The bucket's policy: copies for everyone, the original for no one.
    assert httpx.get(settings.MEDIA_URL + image.file.name, timeout=5).status_code == 403
    for url in linked:
        data = fetch(url).content
        with PILImage.open(io.BytesIO(data)) as copy:
            assert copy.format == "JPEG"
        assert_no_camera_data(data)


def test_a_story_page_and_feed_send_no_request_to_storage(client, superuser, bucket):
    upload(client, superuser, "ship.jpg", picture(), "image/jpeg")
    image = made(Image.objects.get())
    article = ArticleFactory(published=True, lead_image=image)
    assert RecordingS3Storage.requests, "storing the photo and its copies went to the bucket"
    client.logout()
    RecordingS3Storage.requests = []
    page = client.get(article.get_absolute_url())
    feed = client.get(reverse("articles:feed"))
    home = client.get("/")
    api = client.get(f"/api/v1/articles/{article.pk}")
    assert image.default_rendition.url in page.content.decode()
    assert image.share_rendition.url in feed.content.decode()
    assert image.renditions[0].url in home.content.decode() + api.content.decode()
    assert RecordingS3Storage.requests == []


def test_deleting_a_photo_empties_the_bucket_of_it_after_the_commit(
    client, superuser, bucket, django_capture_on_commit_callbacks
):
    upload(client, superuser, "ship.jpg", picture(), "image/jpeg")
    image = made(Image.objects.get())
    urls = [r.url for r in image.renditions]
    with django_capture_on_commit_callbacks() as callbacks:
        image.delete()
    assert len(bucket.object_names()) == 7, "nothing goes before the commit"
    for callback in callbacks:
        callback()
    assert bucket.object_names() == []
    assert httpx.get(urls[0], timeout=5).status_code == 404


def test_deleting_a_story_keeps_its_photo_and_deleting_the_photo_then_removes_it(
    client, superuser, bucket, django_capture_on_commit_callbacks
):
    upload(client, superuser, "ship.jpg", picture(), "image/jpeg")
    image = made(Image.objects.get())
    article = ArticleFactory(published=True, lead_image=image)
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    assert len(bucket.object_names()) == 7
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:images_image_delete", args=[image.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert bucket.object_names() == []


def test_replacing_a_photos_file_removes_the_old_original_and_its_copies(
    client, superuser, bucket, django_capture_on_commit_callbacks
):
    upload(client, superuser, "ship.jpg", picture(), "image/jpeg")
    image = made(Image.objects.get())
    replaced = [image.file.name, *copies_of(image)]
    response = replace_file(client, image, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.file.name not in replaced
    assert bucket.object_names() == [image.file.name]


def test_healthz_asks_the_bucket_and_names_it_unavailable_when_it_is_missing(
    client, bucket, settings
):
    assert client.get("/healthz?part=storage").json() == {"status": "ok", "storage": "ok"}

    storage_options(settings, bucket_name="gone")
    response = client.get("/healthz?part=storage")

    # Pages render without the storage (copies are named, never fetched): degraded, not down.
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "storage": "unavailable", "down": ["storage"]}


def test_an_upload_while_the_bucket_cannot_be_reached_is_a_503_and_saves_nothing(
    client, superuser, bucket, settings
):
    # Nothing listens there: the storage's connections are refused.
    storage_options(settings, endpoint_url=f"http://127.0.0.1:{free_port()}")
    client.raise_request_exception = False
    response = upload(client, superuser, "ship.jpg", picture(), "image/jpeg")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "briefly unavailable" in response.content.decode()
    assert not Image.objects.exists()


def test_copies_are_tried_again_later_while_the_bucket_cannot_be_reached(
    client, superuser, bucket, settings
):
    from django_tasks_db.models import DBTaskResult

    from images.tasks import prepare_renditions

    upload(client, superuser, "ship.jpg", picture(), "image/jpeg")
    image = Image.objects.get()
    # Nothing listens there: the storage's connections are refused.
    storage_options(settings, endpoint_url=f"http://127.0.0.1:{free_port()}")
    DBTaskResult.objects.all().delete()

    outcome = prepare_renditions.call(image.pk, image.file.name)

    assert outcome.startswith("the storage could not be reached")
    image.refresh_from_db()
    assert image.renditions_status == Image.RenditionStatus.PENDING
    again = DBTaskResult.objects.get(task_path=prepare_renditions.module_path)
    assert again.args_kwargs["args"] == [image.pk, image.file.name, 2]
    assert again.run_after > timezone.now()
