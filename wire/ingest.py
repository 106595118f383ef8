"""Fetch the active sources' feeds and file their new items in the wire inbox.

A run fetches its feeds concurrently, at most `NEWSROOM_INGEST_CONCURRENCY` at a
time, each within its own deadline (`wire.fetch`), and files each feed as soon as
its fetch is done: a slow, silent or huge feed holds up no other. Filing happens
on the thread that called `ingest` (the one whose database connection is in use),
one feed at a time, while the other fetches go on.

Each feed is read (`wire.parse`) and filed on its own: a failure is one line
recorded on that feed and reported, and the other feeds go on. At most
`NEWSROOM_INGEST_MAX_ITEMS` of a feed's newest items are taken per run and at most
`NEWSROOM_INGEST_MAX_NEW_TOPICS` new topics proposed; what the caps left out is
said in the feed's last-run report (`SourceFeed.last_report`). A feed's new items
are filed in one transaction (all or nothing), set-based: one query finds what is
already filed, one INSERT files the rest, a few more link their topics.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import nh3
from asgiref.sync import async_to_sync, sync_to_async
from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from articles.sanitize import sanitize_body
from sources.models import SourceFeed
from topics.models import NAME_MAX_LENGTH, Topic, tidy_name
from wire.fetch import Fetched, FetchError, fetch
from wire.models import WireItem
from wire.parse import Entry, FeedError, parse

SUMMARY_LENGTH = 600

logger = logging.getLogger(__name__)


@dataclass
class FeedRun:
    """What one run did with one feed."""

    not_modified: bool = False
    items: int = 0  # Stories in the feed.
    taken: int = 0  # The newest of them, up to the cap.
    filed: int = 0
    already_filed: int = 0  # Taken, but filed before (or twice in the feed).
    proposed: int = 0  # New topics proposed to the moderators.
    not_proposed: int = 0  # Further new names, left over the cap.

    @property
    def over_cap(self) -> int:
        return self.items - self.taken

    def __str__(self) -> str:
        if self.not_modified:
            return "not modified"
        taken = f"{self.items:,} items"
        if self.over_cap:
            taken += f", {self.taken:,} taken, {self.over_cap:,} skipped over the cap"
        topics = f"{self.proposed:,} new topics proposed"
        if self.not_proposed:
            topics += f", {self.not_proposed:,} not (over the cap)"
        return f"{taken}: {self.filed:,} filed, {self.already_filed:,} already filed; {topics}"


@dataclass
class Report:
    fetched: int = 0
    not_modified: int = 0
    filed: int = 0
    skipped: int = 0
    over_cap: int = 0
    proposed: int = 0
    not_proposed: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, run: FeedRun) -> None:
        self.fetched += 1
        self.not_modified += run.not_modified
        self.filed += run.filed
        self.skipped += run.already_filed
        self.over_cap += run.over_cap
        self.proposed += run.proposed
        self.not_proposed += run.not_proposed

    def __str__(self) -> str:
        line = (
            f"{self.fetched} feeds fetched ({self.not_modified} not modified), "
            f"{self.filed:,} items filed, {self.skipped:,} skipped as already filed, "
            f"{self.proposed:,} new topics proposed, {self.failed} feeds failed"
        )
        if self.over_cap or self.not_proposed:
            line += (
                f"; over the caps: {self.over_cap:,} items skipped, "
                f"{self.not_proposed:,} new topics not proposed"
            )
        return line


def active_feeds() -> QuerySet[SourceFeed]:
    return SourceFeed.objects.filter(is_active=True, source__is_active=True).select_related(
        "source"
    )


def ingest(feeds: QuerySet[SourceFeed], log: Callable[[str], None] = lambda line: None) -> Report:
    """Fetch and file every feed in `feeds`; return what happened."""
    report = Report()
    feeds = list(feeds)
    if feeds:
        async_to_sync(_ingest_concurrently)(feeds, report, log)
    return report


async def _ingest_concurrently(
    feeds: list[SourceFeed], report: Report, log: Callable[[str], None]
) -> None:
    slots = asyncio.Semaphore(settings.NEWSROOM_INGEST_CONCURRENCY)
    # Back on the calling thread: its database connection (and transaction) files.
    record = sync_to_async(_record, thread_sensitive=True)

    async def one(feed: SourceFeed) -> None:
        async with slots:
            try:
                outcome = await fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
            except FetchError as error:
                outcome = error
            except Exception as error:  # One feed's surprise must not stop the others.
                logger.exception("Fetching %s failed", feed.url)
                outcome = FetchError(f"fetch failed: {type(error).__name__} (details in the log)")
        await record(feed, outcome, report, log)

    await asyncio.gather(*(one(feed) for feed in feeds))


def _record(
    feed: SourceFeed,
    outcome: Fetched | FetchError,
    report: Report,
    log: Callable[[str], None],
) -> None:
    """File one fetched feed, or record why it failed, on the feed and in the report."""
    where = f"{feed.source.slug} {feed.url}"
    error: Exception | None = outcome if isinstance(outcome, FetchError) else None
    if error is None:
        try:
            run = file_fetched(feed, outcome)
        except (FeedError, DatabaseError) as failure:
            error = failure
        except Exception as failure:  # Logged in full; the feed gets one line.
            logger.exception("Filing %s failed", feed.url)
            error = FeedError(f"filing failed: {type(failure).__name__} (details in the log)")
        else:
            report.add(run)
            log(f"{where}: {run}")
            return
    message = " ".join(str(error).split())[:400] or type(error).__name__
    now = timezone.now()
    SourceFeed.objects.filter(pk=feed.pk).update(
        last_fetched_at=now,
        last_error=message,
        last_error_at=now,
        last_report=f"failed: {message}"[:500],
    )
    report.failed += 1
    report.errors.append(f"{where}: {message}")
    log(f"FAILED {where}: {message}")


def ingest_feed(feed: SourceFeed) -> FeedRun:
    """Fetch one feed and file its new items; return what was done."""
    fetched = async_to_sync(fetch)(feed.url, etag=feed.etag, last_modified=feed.last_modified)
    return file_fetched(feed, fetched)


def file_fetched(feed: SourceFeed, fetched: Fetched) -> FeedRun:
    """File the newest items of a fetched feed, within the caps; return what was done."""
    now = timezone.now()
    if fetched.content is None:
        run = FeedRun(not_modified=True)
        SourceFeed.objects.filter(pk=feed.pk).update(
            last_fetched_at=now, last_success_at=now, last_error="", last_report=str(run)
        )
        return run
    parsed = parse(fetched.content, limit=settings.NEWSROOM_INGEST_MAX_ITEMS)
    run = FeedRun(items=parsed.total, taken=len(parsed.entries))
    with transaction.atomic():
        # One filing per feed at a time: a concurrent run waits, then skips what this filed.
        SourceFeed.objects.select_for_update().filter(pk=feed.pk).first()
        items = file_entries(feed, parsed.entries)
        run.filed, run.already_filed = len(items), run.taken - len(items)
        run.proposed, run.not_proposed = link_topics(
            items, max_new=settings.NEWSROOM_INGEST_MAX_NEW_TOPICS
        )
        SourceFeed.objects.filter(pk=feed.pk).update(
            etag=fetched.etag,
            last_modified=fetched.last_modified,
            last_fetched_at=now,
            last_success_at=now,
            last_error="",
            last_report=str(run)[:500],
        )
    return run


def plain_text(html: str) -> str:
    return " ".join(nh3.clean(html, tags=set()).split())


def file_entries(feed: SourceFeed, entries: list[Entry]) -> list[WireItem]:
    """File the entries not filed before; return the items filed, in the entries' order."""
    unique = {}
    for entry in entries:
        unique.setdefault(entry.guid[:500], entry)
    known = set(
        WireItem.objects.filter(source=feed.source_id, guid__in=list(unique)).values_list(
            "guid", flat=True
        )
    )
    new = {guid: entry for guid, entry in unique.items() if guid not in known}
    return WireItem.objects.bulk_create(
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


def link_topics(items: list[WireItem], max_new: int | None = None) -> tuple[int, int]:
    """Attach the topics that the items' feed categories name, resolving aliases.

    A category no topic answers to becomes a pending proposal for the topic
    moderators, never an approved topic: at most `max_new` of them, the names the
    most items carry first (then the first met), so a flood of names cannot flood
    the moderators. Return (proposed, left over the cap). A few queries per feed,
    not per item.
    """
    names = {name: tidy_name(name) for item in items for name in item.categories}
    wanted = {tidy for tidy in names.values() if tidy}
    if not wanted:
        return 0, 0
    found = Topic.objects.resolve(wanted)
    uses = Counter(
        tidy
        for item in items
        for tidy in dict.fromkeys(names[name] for name in item.categories)
        if tidy and tidy not in found
    )
    unknown = [name for name, _ in uses.most_common()]
    proposing = unknown if max_new is None else unknown[:max_new]
    for name in proposing:
        found[name] = Topic.objects.propose(name[:NAME_MAX_LENGTH])
    pairs = {
        (item.pk, found[names[name]].pk)
        for item in items
        for name in item.categories
        if names[name] in found
    }
    Link = WireItem.topics.through
    Link.objects.bulk_create(Link(wireitem_id=item, topic_id=topic) for item, topic in pairs)
    return len(proposing), len(unknown) - len(proposing)
