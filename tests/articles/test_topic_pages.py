"""Topic addresses end to end: a Cyrillic and a Latin topic from tagging to page, feed and
sitemap, and the old addresses of renamed and merged topics."""

from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from articles.models import Article
from moderation import actions
from tests.articles.test_admin import ADD, article_form
from tests.factories import ArticleFactory, TopicFactory
from topics.models import Topic

pytestmark = pytest.mark.django_db

SITE_URL = "http://127.0.0.1:8000"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# Unicode slugs: the slug keeps the letters of the name (see README, "Topics").
TOPICS = [("Вишиванка", "вишиванка"), ("Grain exports", "grain-exports")]


@pytest.fixture(params=TOPICS, ids=["cyrillic", "latin"])
def tagged(request, client, editor, moderator) -> tuple[Topic, Article]:
    """An editor tags a published story with a new name; a moderator approves it."""
    name, slug = request.param
    client.force_login(editor)
    data = article_form(
        headline=f"Story about {slug}",
        topics=f'"{name}", Odesa',
        status="published",
        publish_at_0="2025-01-01",
        publish_at_1="10:00",
    )
    assert client.post(ADD, data).status_code == 302
    topic = Topic.objects.get(name=name)
    assert (topic.slug, topic.status) == (slug, Topic.Status.PENDING)
    actions.approve(moderator, Topic.objects.all())
    client.logout()
    topic.refresh_from_db()
    return topic, Article.objects.get()


def test_the_topic_page_answers_at_its_slug(client, tagged):
    topic, article = tagged
    url = f"/topics/{quote(topic.slug)}/"
    assert topic.get_absolute_url() == url
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["articles"] == [article]
    assert f"<h1>{topic.name}</h1>" in response.content.decode()


@pytest.mark.parametrize("suffix", ["feed/", "feed/atom/"])
def test_the_topic_feed_lists_the_story(client, tagged, suffix):
    topic, article = tagged
    response = client.get(f"/topics/{quote(topic.slug)}/{suffix}")
    assert response.status_code == 200
    assert article.headline in response.content.decode()


def test_the_topic_sitemap_lists_its_address(client, tagged):
    topic, _ = tagged
    sitemap = ElementTree.fromstring(client.get("/sitemap-topics.xml").content)
    locations = [loc.text for loc in sitemap.iter(f"{SITEMAP}loc")]
    assert f"{SITE_URL}/topics/{quote(topic.slug)}/" in locations


def test_the_topic_page_shows_its_description(client):
    topic = TopicFactory(name="CPT", description="The Council of Europe’s anti-torture committee.")
    ArticleFactory(published=True, topics=[topic])
    content = client.get(topic.get_absolute_url()).content.decode()
    assert '<p class="description">The Council of Europe’s anti-torture committee.</p>' in content


# --- Old addresses --------------------------------------------------------------------------


@pytest.fixture
def merged(moderator) -> Topic:
    target = TopicFactory(name="Russia", slug="russia")
    duplicate = TopicFactory(name="Росія", slug="росія")
    ArticleFactory(published=True, topics=[duplicate])
    actions.merge(moderator, target, [duplicate])
    return target


def test_a_merged_topic_page_answers_301_to_the_target(client, merged):
    response = client.get(f"/topics/{quote('росія')}/")
    assert response.status_code == 301
    assert response["Location"] == "/topics/russia/"


@pytest.mark.parametrize(
    ("suffix", "target"),
    [("feed/", "/topics/russia/feed/"), ("feed/atom/", "/topics/russia/feed/atom/")],
)
def test_a_merged_topic_feed_follows_it(client, merged, suffix, target):
    response = client.get(f"/topics/{quote('росія')}/{suffix}")
    assert response.status_code == 301
    assert response["Location"] == target


def test_a_renamed_topic_old_slug_answers_301(client, moderator):
    topic = TopicFactory(name="Rusia", slug="rusia")
    ArticleFactory(published=True, topics=[topic])
    actions.rename(moderator, topic, name="Russia", slug="russia")
    response = client.get("/topics/rusia/")
    assert response.status_code == 301
    assert response["Location"] == reverse("articles:topic", kwargs={"slug": "russia"})


def test_an_unknown_slug_is_still_404(client, merged):
    assert client.get("/topics/nowhere/").status_code == 404
