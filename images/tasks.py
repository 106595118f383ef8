"""Task-worker jobs of the photo library (`manage.py db_worker` runs them).

- `prepare_renditions`: make a newly uploaded photo's resized copies, queued
  when the upload is committed, so the upload request never decodes a picture.
  While the photos' bucket cannot be reached it is tried again, after `RETRY_WAITS`.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks import task

from images.models import Image
from images.renditions import make_renditions
from newsroom.errors import STORAGE_UNREACHABLE

logger = logging.getLogger(__name__)

# Seconds before each new attempt while the bucket cannot be reached; then the photo stays
# "being prepared" until an editor chooses "Prepare the resized copies again".
RETRY_WAITS = (30, 120, 600, 1800, 7200)


@task()
def prepare_renditions(image_id: int, original: str, attempt: int = 1) -> str:
    """Make the copies of photo `image_id`, unless its file is no longer `original` or done."""
    image = Image.objects.filter(pk=image_id, file=original).first()
    if image is None:
        return "the photo was deleted or its file replaced; nothing to do"
    if image.renditions_ready:
        return "the copies were made already"
    try:
        return make_renditions(image)
    except STORAGE_UNREACHABLE as error:  # The bucket, out of reach for now.
        if attempt > len(RETRY_WAITS):
            logger.error("Photo %s: no copies after %s attempts: %s", image_id, attempt, error)
            return f"gave up after {attempt} attempts: {error}"
        wait = timedelta(seconds=RETRY_WAITS[attempt - 1])
        later = prepare_renditions.using(run_after=timezone.now() + wait)
        later.enqueue(image_id, original, attempt + 1)
        return f"the storage could not be reached ({error}); trying again in {wait}"


def queue_renditions(image: Image) -> None:
    """Queue the making of `image`'s copies once the current transaction commits."""
    image_id, original = image.pk, image.file.name

    def enqueue() -> None:
        try:
            prepare_renditions.enqueue(image_id, original)
        except Exception:  # The photo stays "being prepared"; the admin can queue it again.
            logger.exception("Could not queue the resized copies of photo %s", image_id)

    transaction.on_commit(enqueue)


def prepare_again(images: QuerySet[Image]) -> int:
    """Queue the copies of the photos in `images` that are not ready; return how many.

    For a failure that has been dealt with, or a task lost with its queue. Pages
    show the same placeholder meanwhile, so nothing is purged.
    """
    todo = list(images.exclude(renditions_status=Image.RenditionStatus.READY))
    Image.objects.filter(pk__in=[image.pk for image in todo]).update(
        renditions_status=Image.RenditionStatus.PENDING, renditions_error=""
    )
    for image in todo:
        queue_renditions(image)
    return len(todo)
