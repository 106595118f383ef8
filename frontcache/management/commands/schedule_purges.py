from django.core.management.base import BaseCommand

from frontcache.backends import DummyBackend, get_backend
from frontcache.tasks import schedule_purges


class Command(BaseCommand):
    """Queue the front cache's periodic purge of scheduled stories and ended pins."""

    help = (
        "Queue the task that purges the pages of scheduled stories as they go out "
        "(run by `manage.py db_worker`); does nothing if one is already queued."
    )

    def handle(self, *args, **options) -> None:
        if isinstance(get_backend(), DummyBackend):
            self.stdout.write("No front cache is configured (FRONT_CACHE_URLS): nothing to purge.")
        elif schedule_purges():
            self.stdout.write("Queued the purge of scheduled stories.")
        else:
            self.stdout.write("The purge of scheduled stories was already queued.")
