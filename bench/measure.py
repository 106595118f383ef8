"""In-process measurements on the benchmark database: SQL per page and timed operations.

Imported only after Django is set up with the benchmark's environment.
"""

from __future__ import annotations

import itertools
import math
import os
import random
import statistics
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from storages.backends.s3 import S3Storage

from articles.models import Article, ArticleTopic
from articles.pagination import MAX_PAGES
from bench.seed import MERGE_TARGET_NAME, MERGE_TOPIC_NAME, RARE_WORD, UKRAINIAN_RARE_QUERY
from partners.models import Partner, PartnerKey
from sources.models import Source
from topics.models import Topic

SEARCHES = {
    "search, common term": "/search/?q=ukraine",
    "search, rare term": f"/search/?q={RARE_WORD}",
    "search, two-word phrase": '/search/?q="grain corridor"',
}
# The Ukrainian edition, by lemmas: each search names a form other than the one stored.
UKRAINIAN_SEARCHES = {
    "search (uk), common term": "/uk/search/?" + urlencode({"q": "Україною"}),
    "search (uk), rare term": "/uk/search/?" + urlencode({"q": UKRAINIAN_RARE_QUERY}),
    "search (uk), two-word phrase": "/uk/search/?" + urlencode({"q": '"зерновий коридор"'}),
}


def url_lists(folder: Path, count: int = 200, seed: int = 7) -> dict[str, Path]:
    """Write the paths each page kind is measured over; return {page: file}."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    public = Article.objects.published()
    top = public.order_by("-pk").values_list("pk", flat=True)[:50_000]
    article_ids = rng.sample(list(top), min(count, len(top)))
    articles = [a.get_absolute_url() for a in Article.objects.filter(pk__in=article_ids)]
    # Topic pages of the default edition: the topics its sampled stories carry.
    in_default = public.filter(pk__in=article_ids, language=settings.LANGUAGE_CODE)
    used = (
        ArticleTopic.objects.filter(content_object__in=in_default)
        .values_list("tag_id", flat=True)
        .distinct()
    )
    topics = [t.get_absolute_url() for t in Topic.objects.filter(pk__in=used)[:count]]
    sources = [s.get_absolute_url() for s in Source.objects.all()]
    words = ["ukraine", "grain", "energy", "council", "sanctions", "exports", "minister"]
    searches = [f"/search/?q={word}" for word in words] + ['/search/?q="grain+corridor"']
    ukrainian = ["Україна", "Києві", "енергосистемою", "санкціями", "заявили", "міністрів"]
    searches += ["/uk/search/?" + urlencode({"q": word}) for word in ukrainian]
    lists = {
        "home": ["/"],
        "article": articles,
        "topic": topics,
        "source": sources,
        "search": searches,
        "rss feed": ["/feed/"],
        "sitemap section": ["/sitemap-articles.xml"],
        "api list": ["/api/v1/articles/"],
        "api detail": [f"/api/v1/articles/{pk}" for pk in article_ids],
    }
    files = {}
    for page, paths in lists.items():
        files[page] = folder / f"{page.replace(' ', '-')}.txt"
        files[page].write_text("\n".join(paths) + "\n")
    return files


def queries_per_page(files: dict[str, Path], sample: int = 5) -> dict[str, float]:
    """Count the SQL queries of each page kind, rendered (no page cache), averaged.

    Each path is asked for once first: what is counted is a page rendered with
    the stories' fragments warm, as between two publishes (see `articles.fragments`).
    """
    client = Client()
    counts = {}
    for page, file in files.items():
        paths = file.read_text().split()[:sample]
        for path in paths:
            client.get(path)
        found = []
        for path in paths:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            found.append(len(captured))
        counts[page] = round(statistics.mean(found), 1)
    return counts


def partner_api(repeat: int = 100) -> dict[str, dict]:
    """Count the SQL queries of the API's story list and change feed, then time them.

    Each with a key of the "Bench partner" (every source, no rate to speak of) and
    without one, the public's, for comparison: {page: {"queries", "p50_ms", ...}}.
    The four are timed in turns, request after request, so that whatever else the
    machine does weighs on them alike.
    """
    partner, _ = Partner.objects.update_or_create(
        name="Bench partner", defaults={"rate_limit": 10**9, "is_active": True}
    )
    partner.keys.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    _, key = PartnerKey.issue(partner, name="bench")
    since = urlencode({"updated_since": (timezone.now() - timedelta(days=1)).isoformat()})
    pages = {"api list": "/api/v1/articles/", "api changes": f"/api/v1/articles/?{since}"}
    clients = {"": Client(), "partner ": Client(HTTP_AUTHORIZATION=f"Bearer {key}")}
    operations = {
        who + page: get(client, path)
        for who, client in clients.items()
        for page, path in pages.items()
    }
    queries = {}
    for name, operation in operations.items():
        operation()
        with CaptureQueriesContext(connection) as captured:
            operation()
        queries[name] = len(captured)
    samples = {name: [] for name in operations}
    for _ in range(repeat):
        for name, operation in operations.items():
            started = time.perf_counter()
            operation()
            samples[name].append((time.perf_counter() - started) * 1000)
    return {name: {"queries": queries[name], **summary(samples[name])} for name in operations}


def timed(operation: Callable[[], object], repeat: int) -> dict[str, float]:
    """Run `operation` once to warm up, then `repeat` times; return p50 and p95 in ms."""
    operation()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        operation()
        samples.append((time.perf_counter() - started) * 1000)
    return summary(samples)


def summary(samples: list[float]) -> dict[str, float]:
    """Return the p50 and p95 of `samples` (ms) and how many there were."""
    samples = sorted(samples)
    return {
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(percentile(samples, 95), 2),
        "runs": len(samples),
    }


def percentile(ordered: list[float], percent: float) -> float:
    """Return the nearest-rank percentile of `ordered` (sorted, not empty).

    The smallest sample with at least `percent`% of the samples at or below it:
    of 40 runs, the p95 is the 38th; of 20, the 19th rather than the slowest.
    """
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]


def get(client: Client, path: str) -> Callable[[], object]:
    def operation():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response

    return operation


def operations(repeat: int = 40) -> dict[str, dict]:
    """Time the heavy operations a newsroom runs, in this process."""
    client = Client()
    admin, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    staff = Client()
    staff.force_login(admin)
    busiest = Topic.objects.get(name=MERGE_TOPIC_NAME)
    results = {}
    for label, path in (SEARCHES | UKRAINIAN_SEARCHES).items():
        results[label] = timed(get(client, path), repeat)
    # No index narrows it: it runs into the time limit, then over the newest stories.
    results["search, too broad (three common words in quotes)"] = timed(
        get(client, '/search/?q="grain corridor exports"'), 3
    )
    changelist = reverse("admin:articles_article_changelist")  # Under ADMIN_PATH.
    results["admin changelist, first page"] = timed(get(staff, changelist), repeat)
    results["admin changelist, filtered"] = timed(
        get(staff, f"{changelist}?status__exact=review&section__id__exact=3"), repeat
    )
    # The busiest topic's page in the edition that carries most of its stories.
    stories = Article.objects.published().filter(topic_links__tag=busiest)
    by_language = stories.values("language").annotate(count=Count("pk")).order_by("-count")
    edition = by_language[0]["language"]
    public = by_language[0]["count"]
    with translation.override(edition):
        topic_page = busiest.get_absolute_url()
    deepest = min(MAX_PAGES, public // settings.NEWSROOM_PAGE_SIZE)
    results["topic page 1 (busiest topic)"] = {
        **timed(get(client, topic_page), repeat),
        "edition": edition,
    }
    results["topic page, deepest (busiest topic)"] = {
        **timed(get(client, f"{topic_page}?page={deepest}"), repeat),
        "page": deepest,
        "edition": edition,
    }
    results["sitemap section, full (10,000 URLs)"] = timed(
        get(client, "/sitemap-articles.xml"), max(3, repeat // 5)
    )
    terms = iter(["ka", "ro", "vin", "Grain", "mor", "tes", "le", "zu"] * repeat)
    results["topic autocomplete (aliases admin)"] = timed(
        lambda: get(
            staff,
            reverse("admin:autocomplete")
            + f"?app_label=topics&model_name=topicalias&field_name=topic&term={next(terms)}",
        )(),
        repeat,
    )
    suggestion_terms = itertools.cycle(["ka", "ro", "vin", "Grain", "mor", "tes", "le", "zu"])
    results["topic autocomplete (article form)"] = timed(
        lambda: get(
            staff,
            reverse("admin:articles_article_topic_suggestions") + f"?q={next(suggestion_terms)}",
        )(),
        repeat,
    )
    results["merge a topic used by many stories"] = merge_timing(admin)
    results["ingest 10,000 feed items"] = ingest_timing()
    return results


class RolledBack(Exception):
    pass


def merge_timing(user) -> dict:
    """Merge the busiest topic into another inside a transaction, then undo it."""
    from moderation import actions

    source = Topic.objects.get(name=MERGE_TOPIC_NAME)
    target = Topic.objects.get(name=MERGE_TARGET_NAME)
    stories = ArticleTopic.objects.filter(tag=source).count()
    # Each timed merge is rolled back, leaving 100,000 dead links behind that every
    # later run would wade through; autovacuum clears them in production, here it
    # may not have come by yet.
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(ArticleTopic._meta.db_table)}")
    try:
        with transaction.atomic():
            # Foreign keys are checked at commit, which never comes here: check them
            # as each statement runs, so that their cost is timed too.
            connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")
            started = time.perf_counter()
            actions.merge(user, target, [source])
            seconds = time.perf_counter() - started
            raise RolledBack
    except RolledBack:
        pass
    return {"p50_ms": round(seconds * 1000, 1), "p95_ms": round(seconds * 1000, 1), "runs": 1,
            "stories": stories}  # fmt: skip


def ingest_timing(items: int = 10_000) -> dict:
    """File a 10,000-item feed served on loopback, inside a transaction, then undo it."""
    from sources.models import SourceFeed
    from wire.ingest import ingest_feed

    body = "".join(
        f"<item><title>Wire story {n}</title><guid>bench-{n}</guid>"
        f"<link>https://agency.example/{n}</link><category>Energy</category>"
        f"<category>Bench category {n % 50}</category>"
        f"<description>&lt;p&gt;Paragraph {n} of wire copy.&lt;/p&gt;</description></item>"
        for n in range(items)
    )
    feed = f'<rss version="2.0"><channel><title>Bench</title>{body}</channel></rss>'.encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(len(feed)))
            self.end_headers()
            self.wfile.write(feed)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with (
            override_settings(
                NEWSROOM_INGEST_ALLOWED_NETWORKS=["127.0.0.0/8"],
                NEWSROOM_INGEST_MAX_BYTES=50 * 1024 * 1024,
                # The whole feed is filed: the caps would measure 200 items, not 10,000.
                NEWSROOM_INGEST_MAX_ITEMS=items,
                NEWSROOM_INGEST_MAX_NEW_TOPICS=items,
            ),
            transaction.atomic(),
        ):
            connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")  # As for the merge.
            source = Source.objects.create(name="Bench wire", slug="bench-wire")
            url = f"http://127.0.0.1:{server.server_address[1]}/feed"
            feed_row = SourceFeed.objects.create(source=source, url=url)
            started = time.perf_counter()
            filed = ingest_feed(feed_row).filed
            seconds = time.perf_counter() - started
            transaction.set_rollback(True)
    finally:
        server.shutdown()
    return {"p50_ms": round(seconds * 1000, 1), "p95_ms": round(seconds * 1000, 1), "runs": 1,
            "items_per_s": round(filed / seconds)}  # fmt: skip


class CountingS3Storage(S3Storage):
    """The S3 storage, counting every request it sends to the S3 API (`requests`)."""

    requests = 0

    def _create_session(self):
        session = super()._create_session()
        session.events.register("before-send.s3", self._count)
        return session

    @classmethod
    def _count(cls, **kwargs) -> None:
        cls.requests += 1


def photo_pages(repeat: int = 150, rounds: int = 3) -> dict[str, dict]:
    """Time a story page with a photo, its copies on local files and in an S3 bucket.

    The photo's row says its copies are ready; pages only compute the copies' names,
    so neither storage is asked anything while rendering (counted on S3). Rendered
    afresh each time (no story-card cache). The two are timed in alternating rounds.
    """
    from deploy.objectstore import S3Server
    from deploy.varnish import free_port
    from images.models import Image
    from newsroom.settings import s3_media_storage

    story = Article.objects.published().filter(language=settings.LANGUAGE_CODE).latest("pk")
    image = Image.objects.bulk_create(
        [
            Image(
                file="images/originals/bench/photo-page.jpg",
                alt_text="A grain ship at the quay",
                credit="Bench",
                width=1600,
                height=1000,
                renditions_status=Image.RenditionStatus.READY,
                renditions_made_at=timezone.now(),
            )
        ]
    )[0]
    before = story.lead_image_id
    Article.objects.filter(pk=story.pk).update(lead_image=image)
    client = Client()
    path = story.get_absolute_url()
    uncached = {**settings.CACHES, "fragments": settings.CACHES["uncached"]}
    samples: dict[str, list[float]] = {"local": [], "s3": []}
    try:
        with S3Server(free_port()) as server:
            env = server.env()
            # Where boto3 finds the credentials in production too.
            os.environ.update({name: env[name] for name in env if name.startswith("AWS_")})
            storage, media_url = s3_media_storage(env)
            s3 = {
                "STORAGES": {
                    **settings.STORAGES,
                    "default": {**storage, "BACKEND": f"{__name__}.CountingS3Storage"},
                },
                "MEDIA_URL": media_url,
            }
            modes = {"local": {}, "s3": s3}
            CountingS3Storage.requests = 0
            for _ in range(rounds):
                for mode, overrides in modes.items():
                    with override_settings(CACHES=uncached, **overrides):
                        page = client.get(path)
                        assert page.status_code == 200, page.status_code
                        assert (media_url in page.text) == (mode == "s3")
                        for _ in range(repeat // rounds):
                            started = time.perf_counter()
                            client.get(path)
                            samples[mode].append((time.perf_counter() - started) * 1000)
    finally:
        Article.objects.filter(pk=story.pk).update(lead_image=before)
        image.delete()
    return {
        "local": summary(samples["local"]),
        "s3": {**summary(samples["s3"]), "storage_requests": CountingS3Storage.requests},
    }
