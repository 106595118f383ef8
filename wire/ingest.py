"""Fetch the active sources' feeds and file their new items in the wire inbox.

Each feed is fetched (`wire.fetch`), read (`wire.parse`) and filed on its own:
a failure is one line recorded on that feed and reported, and the other feeds go
on. A feed's new items are filed in one transaction (all or nothing), set-based:
one query finds what is already filed, one INSERT files the rest, one more links
their topics.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import nh3
from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from articles.sanitize import sanitize_body
from sources.models import SourceFeed
from topics.models import NAME_MAX_LENGTH, Topic, tidy_name
from wire.fetch import FetchError, fetch
from wire.models import WireItem
from wire.parse import Entry, FeedError, parse

SUMMARY_LENGTH = 600


@dataclass
class Report:
    fetched: int = 0
    not_modified: int = 0
    filed: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.fetched} feeds fetched ({self.not_modified} not modified), "
            f"{self.filed} items filed, {self.skipped} skipped as already filed, "
            f"{self.failed} feeds failed"
        )


def active_feeds() -> QuerySet[SourceFeed]:
    return SourceFeed.objects.filter(is_active=True, source__is_active=True).select_related(
        "source"
    )


def ingest(feeds: QuerySet[SourceFeed], log: Callable[[str], None] = lambda line: None) -> Report:
    """Fetch and file every feed in `feeds`; return what happened."""
    report = Report()
    for feed in feeds:
        try:
            filed, skipped = ingest_feed(feed)
        except (FetchError, FeedError, DatabaseError) as error:
            message = " ".join(str(error).split())[:400] or type(error).__name__
            SourceFeed.objects.filter(pk=feed.pk).update(
                last_fetched_at=timezone.now(), last_error=message, last_error_at=timezone.now()
            )
            report.failed += 1
            report.errors.append(f"{feed.source.slug} {feed.url}: {message}")
            log(f"FAILED {feed.source.slug} {feed.url}: {message}")
            continue
        report.fetched += 1
        if filed is None:
            report.not_modified += 1
            log(f"{feed.source.slug} {feed.url}: not modified")
        else:
            report.filed += filed
            report.skipped += skipped
            log(f"{feed.source.slug} {feed.url}: {filed} filed, {skipped} already filed")
    return report


def ingest_feed(feed: SourceFeed) -> tuple[int | None, int]:
    """Fetch one feed and file its new items: (filed, skipped), filed None if unchanged."""
    fetched = fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
    now = timezone.now()
    if fetched.content is None:
        SourceFeed.objects.filter(pk=feed.pk).update(
            last_fetched_at=now, last_success_at=now, last_error=""
        )
        return None, 0
    entries = parse(fetched.content)
    with transaction.atomic():
        # One filing per feed at a time: a concurrent run waits, then skips what this filed.
        SourceFeed.objects.select_for_update().filter(pk=feed.pk).first()
        filed, skipped = file_entries(feed, entries)
        SourceFeed.objects.filter(pk=feed.pk).update(
            etag=fetched.etag,
            last_modified=fetched.last_modified,
            last_fetched_at=now,
            last_success_at=now,
            last_error="",
        )
    return filed, skipped


def plain_text(html: str) -> str:
    return " ".join(nh3.clean(html, tags=set()).split())


def file_entries(feed: SourceFeed, entries: list[Entry]) -> tuple[int, int]:
    """File the entries not filed before; return (filed, skipped)."""
    unique = {}
    for entry in entries:
        unique.setdefault(entry.guid[:500], entry)
    known = set(
        WireItem.objects.filter(source=feed.source_id, guid__in=list(unique)).values_list(
            "guid", flat=True
        )
    )
    new = {guid: entry for guid, entry in unique.items() if guid not in known}
    items = WireItem.objects.bulk_create(
        [
            WireItem(
                source_id=feed.source_id,
                feed=feed,
                guid=guid,
                link=entry.link[:500],
                headline=plain_text(entry.title)[:255] or "(no headline)",
                summary=plain_text(entry.summary)[:SUMMARY_LENGTH],
                body=sanitize_body(entry.body),
                byline=plain_text(entry.author)[:200],
                published_at=entry.published,
                categories=[name[:100] for name in entry.categories],
            )
            for guid, entry in new.items()
        ]
    )
    link_topics(items)
    return len(items), len(entries) - len(items)


def link_topics(items: list[WireItem]) -> None:
    """Attach the topics that the items' feed categories name, resolving aliases.

    A category no topic answers to becomes a pending proposal for the topic
    moderators, never an approved topic; a few queries per feed, not per item.
    """
    names = {name: tidy_name(name) for item in items for name in item.categories}
    wanted = {tidy for tidy in names.values() if tidy}
    if not wanted:
        return
    found = Topic.objects.resolve(wanted)
    for name in sorted(wanted - found.keys()):
        found[name] = Topic.objects.propose(name[:NAME_MAX_LENGTH])
    pairs = {
        (item.pk, found[names[name]].pk)
        for item in items
        for name in item.categories
        if names[name] in found
    }
    Link = WireItem.topics.through
    Link.objects.bulk_create(Link(wireitem_id=item, topic_id=topic) for item, topic in pairs)
