"""The scheduled wire ingest, run by the django-tasks database worker (`manage.py db_worker`)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from newsroom.tasks import enqueue_unless_waiting
from wire.ingest import active_feeds, ingest


@task()
def ingest_wire() -> str:
    """Fetch every active feed, then schedule the next run."""
    try:
        return str(ingest(active_feeds()))
    finally:
        schedule_ingest(after=timedelta(seconds=settings.NEWSROOM_INGEST_INTERVAL))


def schedule_ingest(after: timedelta = timedelta()) -> bool:
    """Queue the next ingest unless one is already waiting; return whether one was queued."""
    return enqueue_unless_waiting(ingest_wire, timezone.now() + after)
