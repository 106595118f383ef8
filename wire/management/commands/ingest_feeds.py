"""Fetch the active sources' feeds and file new items in the wire inbox."""

from django.core.management.base import BaseCommand, CommandError

from sources.models import Source
from wire.ingest import active_feeds, ingest


class Command(BaseCommand):
    help = (
        "Fetch the RSS and Atom feeds of active sources and file each new item in the wire "
        "inbox. Items already filed are skipped; a failing feed is reported and the others "
        "go on."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--source", help="Only the feeds of the source with this slug.")

    def handle(self, *args, source: str | None = None, **options) -> None:
        feeds = active_feeds()
        if source:
            if not Source.objects.filter(slug=source).exists():
                known = ", ".join(Source.objects.values_list("slug", flat=True)) or "none yet"
                raise CommandError(f"Unknown source “{source}”. Known sources: {known}.")
            feeds = feeds.filter(source__slug=source)
        report = ingest(feeds, log=lambda line: self.stdout.write(f"  {line}"))
        for error in report.errors:
            self.stderr.write(error)
        style = self.style.WARNING if report.failed else self.style.SUCCESS
        self.stdout.write(style(str(report)))
