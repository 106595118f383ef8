"""Task-worker jobs of the photo library (`manage.py db_worker` runs them).

- `prepare_renditions`: make a newly uploaded photo's resized copies, queued
  when the upload is committed, so the upload request never decodes a picture.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import QuerySet
from django_tasks import task

from images.models import Image
from images.renditions import make_renditions

logger = logging.getLogger(__name__)


@task()
def prepare_renditions(image_id: int, original: str) -> str:
    """Make the copies of photo `image_id`, unless its file is no longer `original` or done."""
    image = Image.objects.filter(pk=image_id, file=original).first()
    if image is None:
        return "the photo was deleted or its file replaced; nothing to do"
    if image.renditions_ready:
        return "the copies were made already"
    return make_renditions(image)


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
