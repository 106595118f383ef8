"""Sitemaps of the public site: stories, topics, sources, sections, and a Google News sitemap."""

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet
from django.utils import timezone

from articles.models import Article, Section, topics_in_public_use
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


class ArticleSitemap(SiteSitemap):
    def items(self) -> QuerySet[Article]:
        # Only what a location and lastmod need: a page holds up to 50,000 stories.
        # By id, so a story keeps its page as new ones are published.
        return Article.objects.published().only("pk", "slug", "updated_at").order_by("pk")

    def lastmod(self, story: Article) -> datetime:
        return story.updated_at

    def get_latest_lastmod(self) -> datetime | None:
        # Django's default calls lastmod() on every item; one aggregate answers.
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class NewsSitemap(ArticleSitemap):
    """The stories of the last two days, newest first, for Google News."""

    limit = NEWS_LIMIT

    def items(self) -> QuerySet[Article]:
        since = timezone.now() - NEWS_WINDOW
        stories = Article.objects.published().filter(publish_at__gte=since).latest_first()
        return stories.only("pk", "slug", "headline", "publish_at", "updated_at")[: self.limit]


class TopicSitemap(SiteSitemap):
    def items(self) -> QuerySet:
        return topics_in_public_use().order_by("pk")


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
