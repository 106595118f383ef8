"""Start the every-few-minutes wire ingest (the database worker then keeps it going)."""

from django.core.management.base import BaseCommand

from wire.tasks import schedule_ingest


class Command(BaseCommand):
    help = (
        "Queue the scheduled wire ingest for the django-tasks worker (`manage.py db_worker`). "
        "Each run queues the next; running this again queues nothing twice."
    )

    def handle(self, *args, **options) -> None:
        if schedule_ingest():
            self.stdout.write(self.style.SUCCESS("Wire ingest scheduled."))
        else:
            self.stdout.write("Wire ingest was already scheduled.")
