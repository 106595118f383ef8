"""Topics no moderator approved (pending or rejected) stay off every public surface.

Each test is one surface. A published story carries an approved topic ("Energy")
and a hidden one ("Secret proposal"); readers must only ever meet the first.
"""

import json
import re
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import ArticleFactory, TopicFactory
from topics.models import Topic, TopicRedirect

pytestmark = pytest.mark.django_db

HIDDEN = "Secret proposal"


@pytest.fixture(params=[Topic.Status.PENDING, Topic.Status.REJECTED])
def hidden_topic(request) -> Topic:
    return TopicFactory(name=HIDDEN, slug="secret-proposal", status=request.param)


@pytest.fixture
def story(hidden_topic) -> Article:
    return ArticleFactory(
        published=True,
        headline="Grid holds through the cold snap",
        topics=[TopicFactory(name="Energy", slug="energy"), hidden_topic],
    )


def test_the_topic_has_no_page(client, story, hidden_topic):
    assert client.get(hidden_topic.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("feed", ["topic_feed", "topic_feed_atom"])
def test_the_topic_has_no_feed(client, story, hidden_topic, feed):
    url = reverse(f"articles:{feed}", kwargs={"slug": hidden_topic.slug})
    assert client.get(url).status_code == 404


def test_the_topic_sitemap_leaves_it_out(client, story):
    content = client.get("/sitemap-topics.xml").content.decode()
    assert "/topics/energy/" in content
    assert "secret-proposal" not in content


@pytest.mark.parametrize("page", ["/", "/topics/energy/", "source", "section"])
def test_story_cards_leave_it_out(client, story, page):
    url = {"source": story.source.get_absolute_url(), "section": story.section.get_absolute_url()}
    content = client.get(url.get(page, page)).content.decode()
    assert "Grid holds through the cold snap" in content
    assert HIDDEN not in content


def test_the_article_page_leaves_it_out_of_topics_and_feed_links(client, story):
    content = client.get(story.get_absolute_url()).content.decode()
    assert '<a href="/topics/energy/">Energy</a>' in content
    assert HIDDEN not in content
    assert "secret-proposal" not in content


def test_json_ld_keywords_leave_it_out(client, story):
    content = client.get(story.get_absolute_url()).content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)[1]
    )
    assert data["keywords"] == ["Energy"]


def test_article_tag_meta_leaves_it_out(client, story):
    content = client.get(story.get_absolute_url()).content.decode()
    assert re.findall(r'<meta property="article:tag" content="([^"]*)">', content) == ["Energy"]


@pytest.mark.parametrize("feed", ["/feed/", "/topics/energy/feed/"])
def test_feed_categories_leave_it_out(client, story, feed):
    rss = ElementTree.fromstring(client.get(feed).content)
    assert [c.text for c in rss.iter("category")] == ["Energy"]


def test_atom_categories_leave_it_out(client, story):
    atom = ElementTree.fromstring(client.get("/feed/atom/").content)
    terms = [c.get("term") for c in atom.iter("{http://www.w3.org/2005/Atom}category")]
    assert terms == ["Energy"]


def test_related_stories_do_not_count_it(client, story, hidden_topic):
    ArticleFactory(published=True, headline="Shares only the hidden topic", topics=[hidden_topic])
    response = client.get(story.get_absolute_url())
    assert response.context["related"] == []


def test_the_search_topic_filter_does_not_know_it(client, story, hidden_topic):
    response = client.get("/search/", {"topic": hidden_topic.slug})
    assert response.context["form"].errors == {"topic": ["There is no topic with that address."]}


def test_search_results_leave_it_out(client, story):
    response = client.get("/search/", {"q": "cold snap"})
    assert response.context["articles"] == [story]
    content = response.content.decode()
    assert HIDDEN not in content


def test_an_old_address_of_it_does_not_redirect(client, story, hidden_topic):
    TopicRedirect.objects.create(old_slug="old-secret", topic=hidden_topic)
    assert client.get("/topics/old-secret/").status_code == 404
    assert client.get("/topics/old-secret/feed/").status_code == 404


def test_approving_it_brings_it_everywhere(client, story, hidden_topic):
    Topic.objects.filter(pk=hidden_topic.pk).update(status=Topic.Status.APPROVED)
    assert client.get(hidden_topic.get_absolute_url()).status_code == 200
    assert HIDDEN in client.get(story.get_absolute_url()).content.decode()
