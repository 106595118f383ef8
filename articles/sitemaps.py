"""Sitemaps of the public site: stories, topics, sources, sections, and a Google News sitemap."""

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Page, Paginator
from django.db.models import F, Max, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property

from articles.editions import published_editions
from articles.languages import story_alternates
from articles.models import LAST_CHANGED, Article, Section
from articles.subjects import TOPIC
from sources.models import Source

# Google News reads stories published in the last two days, at most 1,000 per sitemap.
NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000


class SiteSitemap(Sitemap):
    """A sitemap whose locations start with `settings.SITE_URL`, whatever host was asked."""

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None) -> str:
        # Host and any path prefix, so that a location is SITE_URL + path, like canonical links.
        return settings.SITE_URL.split("://", 1)[1]


class IdRangePaginator(Paginator):
    """Pages of stories by id: page n holds the ids from (n - 1) * per_page + 1 to n * per_page.

    Every page costs one index range scan, the last as little as the first (an
    OFFSET would read every story before it). A page may hold fewer stories than
    `per_page` where some are not public; a story keeps its page for good.
    """

    @cached_property
    def count(self) -> int:
        # Stands in for the number of rows: it is what makes `num_pages` right.
        return self.object_list.aggregate(last=Max("pk"))["last"] or 0

    def page(self, number) -> Page:
        number = self.validate_number(number)
        first = (number - 1) * self.per_page
        stories = self.object_list.filter(pk__gt=first, pk__lte=first + self.per_page)
        return Page(stories, number, self)

    @cached_property
    def page_range(self) -> list[int]:
        """Return the numbers of the pages that hold at least one story (one query)."""
        buckets = (
            self.object_list.order_by()
            .annotate(bucket=(F("pk") - 1) / self.per_page + 1)
            .values_list("bucket", flat=True)
            .distinct()
        )
        return sorted(buckets)


class ArticleSitemap(SiteSitemap):
    # Search engines take up to 50,000 addresses a file; smaller files are
    # rendered, cached and fetched far more cheaply.
    limit = 10_000

    def items(self) -> QuerySet[Article]:
        # Only what a location, lastmod and the hreflang links need. By id, so a
        # story keeps its page.
        return (
            Article.objects.published()
            .in_language()
            .only("pk", "slug", "language", "translation_of_id", "publish_at", "updated_at")
            .annotate(editions=published_editions())
            .order_by("pk")
        )

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict]:
        # Each story's published editions in other languages (xhtml:link), as on its page.
        urls = super().get_urls(page, site, protocol)
        for url in urls:
            links = story_alternates(url["item"])
            url["alternates"] = [
                {"lang_code": code, "location": location}
                for code, location in links.get("alternates", ())
            ]
            if links:
                url["alternates"].append({"lang_code": "x-default", "location": links["x_default"]})
        return urls

    @property
    def paginator(self) -> IdRangePaginator:
        return IdRangePaginator(self.items(), self.limit)

    def lastmod(self, story: Article) -> datetime:
        # A scheduled story's page appeared when it went out, after its last edit.
        return story.last_changed

    def get_latest_lastmod(self) -> datetime | None:
        # Django's default calls lastmod() on every item; one aggregate answers.
        stories = Article.objects.published().in_language()
        return stories.aggregate(latest=Max(LAST_CHANGED))["latest"]


class NewsSitemap(ArticleSitemap):
    paginator = Sitemap.paginator  # A short list, newest first: Django's own paging.

    """The stories of the last two days, newest first, for Google News."""

    limit = NEWS_LIMIT

    def items(self) -> QuerySet[Article]:
        since = timezone.now() - NEWS_WINDOW
        stories = Article.objects.published().in_language().filter(publish_at__gte=since)
        return stories.latest_first().only(
            "pk", "slug", "headline", "language", "publish_at", "updated_at"
        )[: self.limit]

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict]:
        return Sitemap.get_urls(self, page, site, protocol)  # Google News takes no hreflang.

    def get_latest_lastmod(self) -> datetime | None:
        return self.items().aggregate(latest=Max(LAST_CHANGED))["latest"]


class TopicSitemap(SiteSitemap):
    def items(self) -> QuerySet:
        return TOPIC.public().order_by("pk")


class SourceSitemap(SiteSitemap):
    def items(self) -> QuerySet[Source]:
        return Source.objects.order_by("pk")


class SectionSitemap(SiteSitemap):
    def items(self) -> QuerySet[Section]:
        return Section.objects.order_by("pk")


# The sections of /sitemap-<section>.xml; the news sitemap has its own template and URL.
SITEMAPS = {
    "articles": ArticleSitemap,
    "topics": TopicSitemap,
    "sources": SourceSitemap,
    "sections": SectionSitemap,
}
