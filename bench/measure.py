"""In-process measurements on the benchmark database: SQL per page and timed operations.

Imported only after Django is set up with the benchmark's environment.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.models import Article, ArticleTopic
from articles.pagination import MAX_PAGES
from bench.seed import MERGE_TOPIC_NAME, RARE_WORD
from sources.models import Source
from topics.models import Topic

SEARCHES = {
    "search, common term": "ukraine",
    "search, rare term": RARE_WORD,
    "search, two-word phrase": '"grain corridor"',
}


def url_lists(folder: Path, count: int = 200, seed: int = 7) -> dict[str, Path]:
    """Write the paths each page kind is measured over; return {page: file}."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    public = Article.objects.published()
    top = public.order_by("-pk").values_list("pk", flat=True)[:50_000]
    article_ids = rng.sample(list(top), min(count, len(top)))
    articles = [a.get_absolute_url() for a in Article.objects.filter(pk__in=article_ids)]
    used = (
        ArticleTopic.objects.filter(content_object__in=public.filter(pk__in=article_ids))
        .values_list("tag_id", flat=True)
        .distinct()
    )
    topics = [t.get_absolute_url() for t in Topic.objects.filter(pk__in=used)[:count]]
    sources = [s.get_absolute_url() for s in Source.objects.all()]
    words = ["ukraine", "grain", "energy", "council", "sanctions", "exports", "minister"]
    searches = [f"/search/?q={word}" for word in words] + ['/search/?q="grain+corridor"']
    lists = {
        "home": ["/"],
        "article": articles,
        "topic": topics,
        "source": sources,
        "search": searches,
        "rss feed": ["/feed/"],
        "sitemap section": ["/sitemap-articles.xml"],
    }
    files = {}
    for page, paths in lists.items():
        files[page] = folder / f"{page.replace(' ', '-')}.txt"
        files[page].write_text("\n".join(paths) + "\n")
    return files


def queries_per_page(files: dict[str, Path], sample: int = 5) -> dict[str, float]:
    """Count the SQL queries of each page kind, rendered (no page cache), averaged."""
    client = Client()
    counts = {}
    for page, file in files.items():
        paths = file.read_text().split()[:sample]
        client.get(paths[0])  # Warm per-process state (templates, content types).
        found = []
        for path in paths:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            found.append(len(captured))
        counts[page] = round(statistics.mean(found), 1)
    return counts


def timed(operation: Callable[[], object], repeat: int) -> dict[str, float]:
    """Run `operation` once to warm up, then `repeat` times; return p50 and p95 in ms."""
    operation()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        operation()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[min(len(samples) - 1, int(0.95 * len(samples)))], 2),
        "runs": repeat,
    }


def get(client: Client, path: str) -> Callable[[], object]:
    def operation():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response

    return operation


def operations(repeat: int = 20) -> dict[str, dict]:
    """Time the heavy operations a newsroom runs, in this process."""
    assert not settings.NEWSROOM_PAGE_CACHE, "measure rendering, not the page cache"
    client = Client()
    admin, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    staff = Client()
    staff.force_login(admin)
    busiest = Topic.objects.get(name=MERGE_TOPIC_NAME)
    results = {}
    for label, query in SEARCHES.items():
        results[label] = timed(get(client, f"/search/?q={query}"), repeat)
    results["admin changelist, first page"] = timed(get(staff, "/admin/articles/article/"), repeat)
    results["admin changelist, filtered"] = timed(
        get(staff, "/admin/articles/article/?status__exact=review&section__id__exact=3"), repeat
    )
    public = Article.objects.published().filter(topic_links__tag=busiest).count()
    deepest = min(MAX_PAGES, public // settings.NEWSROOM_PAGE_SIZE)
    results["topic page 1 (busiest topic)"] = timed(get(client, busiest.get_absolute_url()), repeat)
    results["topic page, deepest (busiest topic)"] = {
        **timed(get(client, f"{busiest.get_absolute_url()}?page={deepest}"), repeat),
        "page": deepest,
    }
    results["sitemap section, full (50,000 URLs)"] = timed(
        get(client, "/sitemap-articles.xml"), max(3, repeat // 5)
    )
    return results
