"""Task-worker jobs of the front cache (`manage.py db_worker` runs them).

- `retry_purge`: a purge the cache did not confirm, tried again with growing waits.
- `purge_due`: stories whose scheduled time has come, and pins that have ended,
  become visible (or not) without anyone saving; every `DUE_INTERVAL` seconds
  their pages are purged, so a scheduled story is on them within a minute.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import task

from frontcache.purge import purge
from newsroom.tasks import enqueue_unless_waiting

RETRY_WAITS = (5, 15, 60, 300, 900)
DUE_INTERVAL = 20


@task()
def retry_purge(keys: list[str], attempt: int) -> str:
    """Purge `keys` again; on failure, wait longer and try again, up to `RETRY_WAITS`."""
    from frontcache.backends import PurgeError, get_backend

    try:
        get_backend().purge(keys)
    except PurgeError as error:
        if attempt >= len(RETRY_WAITS):
            return f"gave up after {attempt} attempts: {error}"
        wait = timedelta(seconds=RETRY_WAITS[attempt])
        retry_purge.using(run_after=timezone.now() + wait).enqueue(keys, attempt + 1)
        return f"attempt {attempt} failed ({error}); trying again in {wait}"
    return f"purged {len(keys)} keys"


@task()
def purge_due(since: str) -> str:
    """Purge the pages of what became public, or stopped being pinned, after `since`."""
    from articles.websub import publish_due
    from frontcache.receivers import due_keys

    now = timezone.now()
    try:
        keys = due_keys(datetime.fromisoformat(since), now)
        purge(keys)
        # The WebSub hub hears of the feeds those stories joined (never raises).
        publish_due(datetime.fromisoformat(since), now)
        return f"{len(keys)} keys"
    finally:
        schedule_purges(since=now, after=timedelta(seconds=DUE_INTERVAL))


def schedule_purges(since: datetime | None = None, after: timedelta = timedelta()) -> bool:
    """Queue the next `purge_due` unless one is waiting; return whether one was queued."""
    since = since or timezone.now() - timedelta(seconds=DUE_INTERVAL)
    return enqueue_unless_waiting(purge_due, timezone.now() + after, since.isoformat())
