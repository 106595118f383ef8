"""WebSub (https://www.w3.org/TR/websub/): feeds name a hub, which hears of every feed that changes.

With `settings.NEWSROOM_WEBSUB_HUB` set, every public feed links the hub and
itself (`articles.feeds`), and a change readers see tells the hub which feeds
it updated, once the change is committed: the latest feed of the story's
edition and the feeds of its section, source, topics and authors, before and
after the change. The hub then fetches them and pushes them to its subscribers.
A scheduled story tells the hub when its time comes (`publish_due`, run by the
front cache's periodic `purge_due`). Nothing is sent when no hub is set.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from articles.edition_urls import edition_url
from articles.footprints import Footprint, public_footprint, public_footprints
from articles.models import Article, Section
from sources.models import Source
from topics.models import Topic

logger = logging.getLogger(__name__)

# The RSS and Atom feeds of each kind of list, by URL name.
LATEST_FEEDS = ("articles:feed", "articles:feed_atom")
SUBJECT_FEEDS = {
    "section": ("articles:section_feed", "articles:section_feed_atom"),
    "source": ("articles:source_feed", "articles:source_feed_atom"),
    "topic": ("articles:topic_feed", "articles:topic_feed_atom"),
    "author": ("articles:author_feed", "articles:author_feed_atom"),
}


def hub_url() -> str:
    """Return the configured hub's address, or "" when none is set."""
    return settings.NEWSROOM_WEBSUB_HUB


def feed_urls(language: str, footprints: Iterable[Footprint | None]) -> set[str]:
    """Return the absolute addresses of the feeds of `language`'s edition carrying the stories.

    Every footprint is a public story's (None: a story readers did not see, on no
    feed). Topics are addressed by their slug in that edition. Three queries at
    most, whatever the number of stories.
    """
    stories = [footprint for footprint in footprints if footprint is not None]
    if not stories:
        return set()
    section_ids = {story.section_id for story in stories if story.section_id}
    source_ids = {story.source_id for story in stories if story.source_id}
    topic_ids = set().union(*(story.topic_ids for story in stories))
    # A query for no ids is answered without the database.
    topics = Topic.objects.filter(pk__in=topic_ids).named_in(language)
    slugs = {
        "section": Section.objects.filter(pk__in=section_ids).values_list("slug", flat=True),
        "source": Source.objects.filter(pk__in=source_ids).values_list("slug", flat=True),
        "topic": [topic.slug_in(language) for topic in topics],
    }
    paths = {edition_url(name, language) for name in LATEST_FEEDS}
    for kind, kind_slugs in slugs.items():
        paths.update(
            edition_url(name, language, slug=slug)
            for slug in kind_slugs
            for name in SUBJECT_FEEDS[kind]
        )
    paths.update(
        edition_url(name, language, pk=pk)
        for pk in set().union(*(story.author_ids for story in stories))
        for name in SUBJECT_FEEDS["author"]
    )
    return {settings.SITE_URL + path for path in paths}


def changed_feeds(pk: int, before: Footprint | None, after: Footprint | None) -> set[str]:
    """Return the feeds a change of the story `pk` from `before` to `after` updated.

    Every feed it was or is on: its item there changed, appeared or went. None
    for a story readers saw neither before nor after (a draft saved, a story
    scheduled or released to partners under embargo).
    """
    if before is None and after is None:
        return set()
    language = Article.objects.filter(pk=pk).values_list("language", flat=True).first()
    if language is None:  # Deleted outright since.
        return set()
    return feed_urls(language, [before, after])


def tell_hub(urls: Iterable[str]) -> bool:
    """Queue the hub's notice that `urls` changed; return whether one was queued."""
    urls = sorted(set(urls))
    if not urls or not hub_url():
        return False
    try:
        publish.enqueue(urls, 1)
    except Exception:  # The change is committed; the feeds are still right for whoever polls.
        logger.exception("Could not queue the WebSub notice of %s", " ".join(urls))
        return False
    return True


def notify_hub(sender, article_id: int, before: Footprint | None, **kwargs) -> None:
    """Tell the hub, after the commit, of the feeds a change of a story updated."""
    if not hub_url():
        return
    transaction.on_commit(
        lambda: tell_hub(changed_feeds(article_id, before, public_footprint(article_id)))
    )


def publish_due(since: datetime, now: datetime) -> bool:
    """Tell the hub of the feeds of the stories whose scheduled time came in (since, now].

    One notice for them all; never raises (the periodic purge calls it).
    """
    if not hub_url():
        return False
    try:
        went_out = Article.objects.filter(publish_at__gt=since, publish_at__lte=now)
        footprints = public_footprints(went_out)
        languages = dict(Article.objects.filter(pk__in=footprints).values_list("pk", "language"))
        by_language: dict[str, list[Footprint]] = {}
        for pk, footprint in footprints.items():
            by_language.setdefault(languages[pk], []).append(footprint)
        urls = set()
        for language, stories in by_language.items():
            urls |= feed_urls(language, stories)
    except Exception:
        logger.exception("Could not work out the feeds of the stories due since %s", since)
        return False
    return tell_hub(urls)


@task()
def publish(urls: list[str], attempt: int) -> str:
    """Tell the hub that `urls` changed (`hub.mode=publish`); on failure, wait and try again.

    One form-encoded POST naming every feed (`hub.url` repeated), as the common
    hubs accept. Any 2xx answer is the hub's acknowledgement. A failure is tried
    again after each of `NEWSROOM_PUSH_RETRY_WAITS`, then given up (logged).
    """
    from newsroom.outbound import OutboundError, post

    hub = hub_url()
    if not hub:
        return "no hub configured"
    body = urlencode([("hub.mode", "publish"), *(("hub.url", url) for url in urls)]).encode()
    try:
        status = post(
            hub,
            body,
            {"Content-Type": "application/x-www-form-urlencoded"},
            allowed_networks=settings.NEWSROOM_PUSH_ALLOWED_NETWORKS,
            timeout=settings.NEWSROOM_PUSH_TIMEOUT,
            max_bytes=settings.NEWSROOM_PUSH_MAX_BYTES,
            allow_http=settings.NEWSROOM_PUSH_ALLOW_HTTP,
        )
        if not 200 <= status < 300:
            raise OutboundError(f"the hub answered {status}")
    except OutboundError as error:
        waits = settings.NEWSROOM_PUSH_RETRY_WAITS
        if attempt > len(waits):
            logger.error("WebSub hub %s refused %d feeds; gave up: %s", hub, len(urls), error)
            return f"gave up after {attempt} attempts: {error}"
        wait = timedelta(seconds=waits[attempt - 1])
        logger.warning("WebSub hub %s failed (attempt %d): %s", hub, attempt, error)
        publish.using(run_after=timezone.now() + wait).enqueue(urls, attempt + 1)
        return f"attempt {attempt} failed ({error}); trying again in {wait}"
    return f"told the hub of {len(urls)} feeds"
