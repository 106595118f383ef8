"""Publish → visible: how soon a story published through the workflow shows through Varnish.

The benchmark's own process is the newsroom here: it files drafts and publishes
them with `articles.workflow`, as the admin does, and the origin's settings
(FRONT_CACHE_URLS) make each publish purge the benchmark's Varnish once it
commits. Readers then poll, through Varnish, every page the story belongs on.

The stories are the benchmark's own (slug `bench-desk-…`): they are deleted at
the end of a run, and whatever an interrupted run left at the start of the next,
so that the reused database does not drift.

Imported only after Django is set up with the benchmark's environment.
"""

from __future__ import annotations

import random
import statistics
import threading
import time
from collections import Counter

from django.contrib.auth import get_user_model
from django.db import connections, transaction
from django.test import override_settings

from articles import workflow
from articles.models import Article, ArticleTopic, Section
from bench.front import Reader
from bench.measure import percentile
from sources.models import Source
from topics.models import Topic

SLUG_PREFIX = "bench-desk-"
DUMMY_BACKEND = "frontcache.backends.DummyBackend"


class Desk:
    """Files and publishes stories like the seed's: a section, a source, a topic or two."""

    def __init__(self, seed: int = 5) -> None:
        self.rng = random.Random(seed)
        self.editor, _ = get_user_model().objects.get_or_create(
            username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
        )
        self.sections = list(Section.objects.order_by("pk"))
        self.sources = list(Source.objects.order_by("pk"))
        # Topics of recent stories: their pages have stories to show already.
        recent = Article.objects.published().order_by("-pk").values_list("pk", flat=True)[:500]
        used = ArticleTopic.objects.filter(content_object__in=list(recent)).values_list(
            "tag_id", flat=True
        )
        self.topics = list(Topic.objects.filter(pk__in=used).order_by("pk"))
        self.stamp = time.strftime("%H%M%S")
        self.filed = 0
        self.lock = threading.Lock()

    def draft(self, section: Section | None = None) -> Article:
        """File a draft with a headline no other story has."""
        with self.lock:
            self.filed += 1
            number = self.filed
        words = " ".join(self.rng.sample(["grain", "energy", "council", "border", "talks"], 2))
        return workflow.create_draft(
            None,
            headline=f"Desk {self.stamp} story {number} {words}",
            slug=f"{SLUG_PREFIX}{self.stamp}-{number}",
            standfirst="A story the benchmark files and publishes.",
            body="<p>" + " ".join(self.rng.choices(words.split() * 20, k=120)) + ".</p>",
            dateline="Kyiv",
            section=section or self.rng.choice(self.sections),
            source=self.rng.choice(self.sources),
            topics=self.rng.sample(self.topics, self.rng.randint(1, 2)),
        )

    def publish(self, article: Article) -> float:
        """Publish `article` as an editor; return the monotonic time its transaction committed."""
        committed = []
        with transaction.atomic():
            # Registered first, so it runs before the purges the publish registers.
            transaction.on_commit(lambda: committed.append(time.monotonic()))
            workflow.publish(article, self.editor)
        return committed[0]


def pages_of(article: Article) -> dict[str, str]:
    """Return the public pages a newly published story belongs on, by kind."""
    pages = {
        "home": "/",
        "rss feed": "/feed/",
        "section": article.section.get_absolute_url(),
        "source": article.source.get_absolute_url(),
        "story": article.get_absolute_url(),
    }
    for number, topic in enumerate(article.topics.all().order_by("pk"), start=1):
        pages[f"topic {number}"] = topic.get_absolute_url()
    return pages


def publish_to_visible(port: int, desk: Desk, rounds: int = 20, timeout: float = 10) -> dict:
    """Publish `rounds` stories; time each from its commit until every page shows it.

    Before each publish the listing pages are read once (so that Varnish holds
    them), and so is another section's page: the story is not on it, and it
    should still be served from the cache afterwards. One reader polls the pages
    one after another, so a story's time counts the renders of the pages asked
    for before the last one: an upper bound for any one reader.
    """
    reader = Reader(port)
    seconds, other_hits, timeouts = [], 0, 0
    # Page kinds ("topic" for any of its topics): the last to show a story, or never.
    last_to_show, never_shown = Counter(), Counter()
    try:
        for number in range(rounds):
            section = desk.sections[number % len(desk.sections)]
            other = desk.sections[(number + 1) % len(desk.sections)].get_absolute_url()
            article = desk.draft(section)
            pages = pages_of(article)
            for path in [*(p for kind, p in pages.items() if kind != "story"), other]:
                reader.get(path)
            needle = article.headline.encode()
            committed = desk.publish(article)
            waiting, seen = dict(pages), {}
            while waiting and time.monotonic() - committed < timeout:
                for kind, path in list(waiting.items()):
                    status, _, body = reader.get(path)
                    if status == 200 and needle in body:
                        seen[kind] = time.monotonic() - committed
                        del waiting[kind]
                if waiting:
                    time.sleep(0.005)
            if waiting:
                timeouts += 1
                seconds.append(timeout)
                never_shown.update({kind.split()[0] for kind in waiting})
            else:
                seconds.append(max(seen.values()))
                last_to_show[max(seen, key=seen.get).split()[0]] += 1
            _, headers, _ = reader.get(other)
            other_hits += headers.get("x-cache", "").startswith("HIT")
    finally:
        reader.close()
    ordered = sorted(seconds)
    return {
        "rounds": rounds,
        "p50_s": round(statistics.median(ordered), 3),
        "p95_s": round(percentile(ordered, 95), 3),
        "max_s": round(ordered[-1], 3),
        "timeouts": timeouts,
        "timeout_s": timeout,
        "last_to_show": dict(last_to_show),
        "never_shown": dict(never_shown),
        "other_section_hits": other_hits,
    }


class Publisher(threading.Thread):
    """Publish one story every `every` seconds until stopped (a newsroom at work)."""

    def __init__(self, desk: Desk, every: float) -> None:
        super().__init__(daemon=True)
        self.desk, self.every = desk, every
        self.stopping = threading.Event()
        self.published = 0
        self.error: Exception | None = None

    def run(self) -> None:
        try:
            while not self.stopping.wait(self.every):
                self.desk.publish(self.desk.draft())
                self.published += 1
        except Exception as error:  # Reported with the run's results.
            self.error = error
        finally:
            connections.close_all()

    def stop(self) -> None:
        self.stopping.set()
        self.join()


def remove_desk_stories(*, front_cache: bool) -> int:
    """Delete the stories the benchmark published, with their revisions; return how many.

    `front_cache` False: no Varnish runs, so nothing is purged (a purge that
    failed would be queued for the task worker to retry, in the reused database).
    """
    from reversion.models import Revision, Version

    if not front_cache:
        with override_settings(NEWSROOM_FRONT_CACHE={"BACKEND": DUMMY_BACKEND}):
            return remove_desk_stories(front_cache=True)
    stories = Article.objects.filter(slug__startswith=SLUG_PREFIX)
    ids = [str(pk) for pk in stories.values_list("pk", flat=True)]
    if not ids:
        return 0
    with transaction.atomic():
        versions = Version.objects.get_for_model(Article).filter(object_id__in=ids)
        revisions = list(versions.values_list("revision_id", flat=True).distinct())
        Version.objects.filter(revision_id__in=revisions).delete()
        Revision.objects.filter(pk__in=revisions).delete()
        stories.delete()
    return len(ids)
