"""A photo's files leave storage with the photo: its original and every resized copy.

Deleted after the commit, so a rolled-back deletion (or replacement) keeps them;
the same on local files and in a bucket.
"""

from __future__ import annotations

import logging

from django.core.files.storage import Storage
from django.db import transaction
from django.db.models.signals import post_delete

from images.models import Image
from images.renditions import delete_files

logger = logging.getLogger(__name__)


def delete_files_on_commit(storage: Storage, original: str) -> None:
    """Delete `original` and its copies from `storage` once the current transaction commits."""

    def delete() -> None:
        try:
            delete_files(storage, original)
        except Exception:  # The row is gone either way; what is left is logged to clean up.
            logger.exception("Could not delete the files of the photo stored as %s", original)

    transaction.on_commit(delete)


def photo_deleted(sender, instance: Image, **kwargs) -> None:
    if instance.file.name:
        delete_files_on_commit(instance.file.storage, instance.file.name)


def connect() -> None:
    # Also sent for each photo of a queryset's delete (the admin's "delete selected").
    post_delete.connect(photo_deleted, sender=Image, dispatch_uid="images.photo_deleted")
