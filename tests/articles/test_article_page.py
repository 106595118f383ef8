"""The article page: corrections, related stories, structured data and previews."""

import json
import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from django.utils.http import http_date

from articles.models import Article, Correction
from tests.factories import ArticleFactory, SourceFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db


def json_ld(content: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


def test_corrections_are_shown_dated_under_the_story(client, published_article):
    Correction.objects.create(
        article=published_article, note="An earlier version misspelled the minister's name."
    )
    content = client.get(published_article.get_absolute_url()).content.decode()
    assert '<h2 id="corrections">Correction</h2>' in content
    assert "An earlier version misspelled the minister&#x27;s name." in content


def test_a_correction_moves_the_story_modified_time(published_article):
    before = published_article.updated_at
    later = timezone.now() + timedelta(hours=2)
    Correction.objects.create(article=published_article, note="Fixed a date.", published_at=later)
    published_article.refresh_from_db()
    assert published_article.updated_at == later > before


def test_a_backdated_correction_never_moves_the_modified_time_back(published_article):
    before = published_article.updated_at
    Correction.objects.create(
        article=published_article, note="x", published_at=before - timedelta(days=3)
    )
    published_article.refresh_from_db()
    assert published_article.updated_at == before


def test_related_stories_share_topics_most_shared_first(client):
    energy, grid, kyiv = TopicFactory(name="Energy"), TopicFactory(name="Grid"), TopicFactory()
    article = ArticleFactory(published=True, topics=[energy, grid])
    one_shared = ArticleFactory(published=True, topics=[energy])
    two_shared = ArticleFactory(
        published=True,
        topics=[energy, grid],
        publish_at=timezone.now() - timedelta(days=5),
    )
    ArticleFactory(published=True, topics=[kyiv])
    related = client.get(article.get_absolute_url()).context["related"]
    assert related == [two_shared, one_shared]


def test_related_stories_never_include_unpublished_ones(client):
    topic = TopicFactory()
    article = ArticleFactory(published=True, topics=[topic])
    ArticleFactory(topics=[topic], headline="Draft sharing the topic")
    ArticleFactory(
        status=Article.Status.PUBLISHED,
        publish_at=timezone.now() + timedelta(hours=1),
        topics=[topic],
        headline="Scheduled sharing the topic",
    )
    response = client.get(article.get_absolute_url())
    assert response.context["related"] == []
    assert "sharing the topic" not in response.content.decode()


def test_article_without_topics_has_no_related_stories(client):
    article = ArticleFactory(published=True)
    ArticleFactory(published=True)
    assert client.get(article.get_absolute_url()).context["related"] == []


def test_json_ld_describes_the_news_article(client):
    article = ArticleFactory(
        published=True,
        headline="Ministry comments on the convention",
        standfirst="The lead.",
        source=SourceFactory(name="Ukrinform", homepage_url="https://www.ukrinform.net/"),
        source_url="https://www.ukrinform.net/rubric-polytics/1.html",
        authors=[UserFactory(first_name="Olena", last_name="Kovalenko")],
        topics=["Torture", "Council of Europe"],
    )
    data = json_ld(client.get(article.get_absolute_url()).content.decode())
    url = f"http://127.0.0.1:8000{article.get_absolute_url()}"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Ministry comments on the convention"
    assert data["url"] == data["mainEntityOfPage"]["@id"] == url
    # To the second: schema.org readers expect no fraction.
    published = article.first_published_at.replace(microsecond=0)
    assert datetime.fromisoformat(data["datePublished"]) == published
    assert data["author"][0]["name"] == "Olena Kovalenko"
    assert data["publisher"]["name"] == "Newsroom"
    assert data["articleSection"] == article.section.name
    assert data["keywords"] == ["Torture", "Council of Europe"]
    assert data["isBasedOn"] == "https://www.ukrinform.net/rubric-polytics/1.html"
    assert data["sourceOrganization"]["name"] == "Ukrinform"


@pytest.mark.parametrize(
    "headline",
    ['Quotes " and \\ backslash', "</script><script>alert(1)</script>", "<!-- x", "Ампер & Co"],
)
def test_json_ld_stays_valid_whatever_the_headline(client, headline):
    article = ArticleFactory(published=True, headline=headline)
    content = client.get(article.get_absolute_url()).content.decode()
    assert json_ld(content)["headline"] == headline
    assert "<script>alert(1)</script>" not in content


def test_open_graph_and_twitter_tags_describe_the_story(client):
    article = ArticleFactory(published=True, headline='He said "no"', topics=["Energy"])
    content = client.get(article.get_absolute_url()).content.decode()
    assert '<meta property="og:type" content="article">' in content
    assert '<meta property="og:title" content="He said &quot;no&quot;">' in content
    assert (
        f'<meta property="og:url" content="http://127.0.0.1:8000{article.get_absolute_url()}">'
        in (content)
    )
    assert '<meta property="article:tag" content="Energy">' in content
    assert '<meta name="twitter:card" content="summary">' in content


def test_article_page_declares_its_last_modified_time(client, published_article):
    response = client.get(published_article.get_absolute_url())
    assert response["Last-Modified"] == http_date(published_article.updated_at.timestamp())


def test_a_story_that_went_out_after_its_last_edit_is_modified_when_it_went_out(client):
    story = ArticleFactory(published=True)
    Article.objects.filter(pk=story.pk).update(updated_at=story.publish_at - timedelta(hours=3))
    response = client.get(story.get_absolute_url())
    assert response["Last-Modified"] == http_date(story.publish_at.timestamp())
    data = json_ld(response.content.decode())
    modified = story.publish_at.replace(microsecond=0)
    assert datetime.fromisoformat(data["dateModified"]) == modified


def test_bylines_link_the_author_pages(client):
    author = UserFactory(first_name="Iryna", last_name="Holub")
    article = ArticleFactory(published=True, authors=[author])
    content = client.get(article.get_absolute_url()).content.decode()
    assert f'<a class="author" href="/authors/{author.pk}/">Iryna Holub</a>' in content


def test_author_page_lists_their_published_stories(client):
    author = UserFactory(first_name="Iryna", last_name="Holub")
    public = ArticleFactory(published=True, authors=[author])
    ArticleFactory(authors=[author])
    ArticleFactory(published=True)
    response = client.get(f"/authors/{author.pk}/")
    assert response.status_code == 200
    assert response.context["articles"] == [public]
    assert "<h1>Iryna Holub</h1>" in response.content.decode()


def test_author_without_published_stories_has_no_page(client):
    author = UserFactory()
    ArticleFactory(authors=[author])
    assert client.get(f"/authors/{author.pk}/").status_code == 404
    assert client.get("/authors/999999/").status_code == 404


def test_article_page_links_the_feeds_of_its_topics(client):
    article = ArticleFactory(published=True, topics=["Energy", "Вишиванка"])
    content = client.get(article.get_absolute_url()).content.decode()
    for slug in ("energy", "%D0%B2%D0%B8%D1%88%D0%B8%D0%B2%D0%B0%D0%BD%D0%BA%D0%B0"):
        feed = f"/topics/{slug}/feed/"
        assert f'href="http://127.0.0.1:8000{feed}"' in content  # <link rel="alternate">
        assert f'href="{feed}" type="application/rss+xml"' in content  # visible link


def test_a_related_story_the_queryset_leaves_out_makes_room_for_the_next():
    energy = TopicFactory(name="Energy")
    article = ArticleFactory(published=True, topics=[energy])
    now = timezone.now()
    older, old, newest = (
        ArticleFactory(published=True, topics=[energy], publish_at=now - timedelta(hours=hours))
        for hours in (3, 2, 1)
    )
    stories = Article.objects.published().exclude(pk=newest.pk)
    assert stories.related_to(article, 2) == [old, older]
    assert Article.objects.published().related_to(article, 0) == []
