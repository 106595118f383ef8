"""Sitemaps and the Google News sitemap: what they list, what they hide, and their shape."""

from datetime import datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from lxml import etree

from articles.models import Article
from articles.sitemaps import ArticleSitemap, NewsSitemap
from tests.factories import (
    ArticleFactory,
    SectionFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
    hidden_articles,
)

pytestmark = pytest.mark.django_db

SITE_URL = "http://127.0.0.1:8000"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
SECTIONS = ["articles", "topics", "sources", "sections"]
# The official schemas live beside the project, not in it; the project runs without them.
SCHEMAS = Path(settings.BASE_DIR).parent / "shared" / "schemas" / "sitemaps"
needs_schemas = pytest.mark.skipif(
    not SCHEMAS.is_dir(), reason=f"the official sitemap schemas are not in {SCHEMAS}"
)


def get_xml(client, url: str, **extra) -> ElementTree.Element:
    response = client.get(url, **extra)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return ElementTree.fromstring(response.content)


def locations(client, url: str, **extra) -> list[str]:
    return [loc.text for loc in get_xml(client, url, **extra).iter(f"{SITEMAP}loc")]


def assert_valid(content: bytes, schema: Path) -> None:
    etree.XMLSchema(etree.parse(str(schema))).assertValid(etree.fromstring(content))


def a_bit_of_everything() -> Article:
    """Create a public story with a byline, a topic, a source and a section."""
    return ArticleFactory(published=True, topics=["Torture"], authors=[UserFactory()])


# --- The index ----------------------------------------------------------------------------


def test_sitemap_index_lists_each_sitemap_and_the_news_sitemap(client):
    a_bit_of_everything()
    assert locations(client, "/sitemap.xml") == [
        f"{SITE_URL}/sitemap-articles.xml",
        f"{SITE_URL}/sitemap-topics.xml",
        f"{SITE_URL}/sitemap-sources.xml",
        f"{SITE_URL}/sitemap-sections.xml",
        f"{SITE_URL}/sitemap-news.xml",
    ]


def test_a_long_story_sitemap_is_paged_by_id_and_every_page_is_listed(client, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    stories = ArticleFactory.create_batch(5, published=True)
    pages = sorted({(story.pk - 1) // 2 + 1 for story in stories})
    listed = [loc for loc in locations(client, "/sitemap.xml") if "sitemap-articles" in loc]
    assert listed == [
        f"{SITE_URL}/sitemap-articles.xml" + ("" if page == 1 else f"?p={page}") for page in pages
    ]
    found = [loc for page in pages for loc in locations(client, f"/sitemap-articles.xml?p={page}")]
    assert sorted(found) == sorted(f"{SITE_URL}{story.get_absolute_url()}" for story in stories)


def test_sitemap_index_leaves_out_sitemaps_without_urls(client):
    SourceFactory()
    assert locations(client, "/sitemap.xml") == [f"{SITE_URL}/sitemap-sources.xml"]


def test_sitemap_index_dates_the_story_sitemaps_by_their_latest_change(client):
    ArticleFactory(published=True)
    latest = ArticleFactory(published=True)
    index = get_xml(client, "/sitemap.xml")
    dates = {
        entry.findtext(f"{SITEMAP}loc"): entry.findtext(f"{SITEMAP}lastmod")
        for entry in index.iter(f"{SITEMAP}sitemap")
    }
    assert datetime.fromisoformat(dates[f"{SITE_URL}/sitemap-articles.xml"]) == latest.updated_at
    assert datetime.fromisoformat(dates[f"{SITE_URL}/sitemap-news.xml"]) == latest.updated_at
    assert dates[f"{SITE_URL}/sitemap-sources.xml"] is None


def test_sitemap_index_does_not_count_hidden_stories(client):
    hidden_articles(topics=["Embargoed subject"])
    listed = locations(client, "/sitemap.xml")
    assert listed == [f"{SITE_URL}/sitemap-sources.xml", f"{SITE_URL}/sitemap-sections.xml"]


def test_sitemap_index_query_count_is_fixed(client, django_assert_num_queries):
    for n in range(25):
        ArticleFactory(published=True, topics=[f"Topic {n}", "Shared"])
    # articles: last id, latest change and the pages that hold stories; topics,
    # sources, sections: COUNT; news: COUNT and latest change. Never a query per
    # story or topic.
    with django_assert_num_queries(8):
        assert client.get("/sitemap.xml").status_code == 200


# --- Section sitemaps --------------------------------------------------------------------


def test_article_sitemap_lists_public_stories_by_id_with_their_last_change(client):
    first = ArticleFactory(published=True)
    second = ArticleFactory(
        status=Article.Status.PUBLISHED, publish_at=timezone.now() - timedelta(days=3)
    )
    urlset = get_xml(client, "/sitemap-articles.xml")
    assert [url.findtext(f"{SITEMAP}loc") for url in urlset] == [
        SITE_URL + first.get_absolute_url(),
        SITE_URL + second.get_absolute_url(),
    ]
    lastmod = timezone.localdate(first.updated_at).isoformat()
    assert urlset[0].findtext(f"{SITEMAP}lastmod") == lastmod


def test_a_story_that_went_out_after_its_last_edit_is_dated_by_its_publication(client):
    story = ArticleFactory(published=True)
    edited = timezone.now() - timedelta(days=3)
    Article.objects.filter(pk=story.pk).update(updated_at=edited)
    story.refresh_from_db()
    urlset = get_xml(client, "/sitemap-articles.xml")
    assert (
        urlset[0].findtext(f"{SITEMAP}lastmod") == timezone.localdate(story.publish_at).isoformat()
    )
    assert timezone.localdate(story.publish_at) != timezone.localdate(edited)
    index = get_xml(client, "/sitemap.xml")
    dates = [entry.findtext(f"{SITEMAP}lastmod") for entry in index.iter(f"{SITEMAP}sitemap")]
    assert story.publish_at in [datetime.fromisoformat(date) for date in dates if date]


def test_topic_sitemap_lists_only_topics_a_public_story_carries(client):
    ArticleFactory(published=True, topics=["Prisoners of war"])
    TopicFactory(name="Unused")
    assert locations(client, "/sitemap-topics.xml") == [f"{SITE_URL}/topics/prisoners-of-war/"]


@pytest.mark.parametrize(
    ("section", "factory"), [("sources", SourceFactory), ("sections", SectionFactory)]
)
def test_source_and_section_sitemaps_list_every_page(client, section, factory):
    first, second = factory(), factory()
    assert locations(client, f"/sitemap-{section}.xml") == [
        SITE_URL + first.get_absolute_url(),
        SITE_URL + second.get_absolute_url(),
    ]


@pytest.mark.parametrize(
    "url", ["/sitemap.xml", *(f"/sitemap-{s}.xml" for s in [*SECTIONS, "news"])]
)
def test_sitemap_addresses_come_from_site_url_not_the_request_host(client, settings, url):
    settings.SITE_URL = "https://news.example.com"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "mirror.example.org"]
    a_bit_of_everything()
    listed = locations(client, url, HTTP_HOST="mirror.example.org")
    assert listed
    assert all(loc.startswith("https://news.example.com/") for loc in listed), listed


@pytest.mark.parametrize("url", ["/sitemap-nothing.xml", "/sitemap-.xml", "/sitemap-articles"])
def test_unknown_sitemap_is_404(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("section", [*SECTIONS, "news"])
@pytest.mark.parametrize("page", ["", "abc", "0", "-1", "1.5", "2", "9" * 400, "9" * 5000])
def test_sitemap_bad_page_number_is_404_not_500(client, section, page):
    a_bit_of_everything()
    assert client.get(f"/sitemap-{section}.xml", {"p": page}).status_code == 404


@pytest.mark.parametrize("section", [*SECTIONS, "news"])
def test_sitemap_query_count_is_fixed(client, django_assert_num_queries, section):
    for n in range(25):
        ArticleFactory(published=True, topics=[f"Topic {n}", "Shared"])
    # COUNT for the paginator, then the page itself: no query per story or topic.
    with django_assert_num_queries(2):
        assert client.get(f"/sitemap-{section}.xml").status_code == 200


# --- The news sitemap ----------------------------------------------------------------------


def test_news_sitemap_lists_stories_of_the_last_two_days_newest_first(client):
    now = timezone.now()
    older, newer = (
        ArticleFactory(status=Article.Status.PUBLISHED, publish_at=now - timedelta(hours=hours))
        for hours in (47, 1)
    )
    ArticleFactory(status=Article.Status.PUBLISHED, publish_at=now - timedelta(hours=49))
    assert locations(client, "/sitemap-news.xml") == [
        SITE_URL + newer.get_absolute_url(),
        SITE_URL + older.get_absolute_url(),
    ]


def test_news_sitemap_describes_each_story(client):
    story = ArticleFactory(published=True, headline="Grain & gas talks resume")
    news = get_xml(client, "/sitemap-news.xml").find(f"{SITEMAP}url/{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Newsroom"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
    published = datetime.fromisoformat(news.findtext(f"{NEWS}publication_date"))
    assert published == story.publish_at.replace(microsecond=0)
    assert news.findtext(f"{NEWS}title") == "Grain & gas talks resume"


def test_news_sitemap_stops_at_its_limit(client, monkeypatch):
    monkeypatch.setattr(NewsSitemap, "limit", 2)
    now = timezone.now()
    stories = [
        ArticleFactory(status=Article.Status.PUBLISHED, publish_at=now - timedelta(minutes=m))
        for m in (1, 2, 3)
    ]
    assert locations(client, "/sitemap-news.xml") == [
        SITE_URL + story.get_absolute_url() for story in stories[:2]
    ]


# --- Visibility ---------------------------------------------------------------------------


@pytest.mark.parametrize("section", ["articles", "news"])
def test_no_sitemap_lists_a_story_readers_may_not_see(client, section):
    story = ArticleFactory(published=True)
    hidden_articles()
    assert locations(client, f"/sitemap-{section}.xml") == [SITE_URL + story.get_absolute_url()]


def test_hidden_stories_put_no_topic_in_the_topic_sitemap(client):
    ArticleFactory(published=True, topics=["Energy"])
    hidden_articles(topics=["Energy", "Embargoed subject"])
    assert locations(client, "/sitemap-topics.xml") == [f"{SITE_URL}/topics/energy/"]


@pytest.mark.parametrize("section", ["articles", "topics", "news"])
def test_scheduled_story_enters_the_sitemaps_when_its_time_comes(client, section):
    publish_at = timezone.now() + timedelta(hours=2)
    ArticleFactory(status=Article.Status.PUBLISHED, publish_at=publish_at, topics=["Energy"])
    with time_machine.travel(publish_at - timedelta(seconds=1)):
        assert locations(client, f"/sitemap-{section}.xml") == []
    # The origin caches nothing: the story is there as soon as its time comes.
    with time_machine.travel(publish_at + timedelta(seconds=1)):
        assert len(locations(client, f"/sitemap-{section}.xml")) == 1


# --- Validity against the official schemas -------------------------------------------------


@needs_schemas
def test_sitemap_index_is_valid(client):
    a_bit_of_everything()
    assert_valid(client.get("/sitemap.xml").content, SCHEMAS / "siteindex.xsd")


@needs_schemas
@pytest.mark.parametrize("section", SECTIONS)
def test_section_sitemap_is_valid(client, section):
    a_bit_of_everything()
    assert_valid(client.get(f"/sitemap-{section}.xml").content, SCHEMAS / "sitemap.xsd")


@needs_schemas
def test_news_sitemap_is_valid(client, tmp_path):
    # The core schema checks other namespaces strictly: validate with both imported.
    wrapper = tmp_path / "news-sitemap.xsd"
    wrapper.write_text(
        '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">\n'
        '  <xsd:import namespace="http://www.sitemaps.org/schemas/sitemap/0.9"'
        f' schemaLocation="{(SCHEMAS / "sitemap.xsd").as_uri()}"/>\n'
        '  <xsd:import namespace="http://www.google.com/schemas/sitemap-news/0.9"'
        f' schemaLocation="{(SCHEMAS / "sitemap-news.xsd").as_uri()}"/>\n'
        "</xsd:schema>\n"
    )
    ArticleFactory(published=True, headline='Grain & gas: "talks" <resume>')
    assert_valid(client.get("/sitemap-news.xml").content, wrapper)
