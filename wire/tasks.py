"""The scheduled wire ingest, run by the django-tasks database worker (`manage.py db_worker`)."""

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

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
    with transaction.atomic(), connection.cursor() as cursor:
        # Two workers (or `manage.py schedule_ingest` beside one) looking at once would both
        # find none waiting: the second waits here for the first's commit, then sees it.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [ingest_wire.module_path])
        waiting = DBTaskResult.objects.filter(
            task_path=ingest_wire.module_path, status="READY"
        ).exists()
        if waiting:
            return False
        ingest_wire.using(run_after=timezone.now() + after).enqueue()
        return True
