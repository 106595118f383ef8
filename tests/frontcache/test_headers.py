"""What public answers tell the front cache: how long to keep them, and what they show."""

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, SourceFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db


def surrogate_keys(response) -> set[str]:
    return set(response["Surrogate-Key"].split())


@pytest.fixture
def story():
    return ArticleFactory(
        published=True, topics=["Grain"], authors=[UserFactory()], source=SourceFactory()
    )


def test_a_story_page_names_the_story_its_subjects_and_the_navigation(client, story):
    response = client.get(story.get_absolute_url())
    assert response["Cache-Control"] == "public, max-age=30, s-maxage=3600"
    topic = story.topics.get()
    assert {
        f"story-{story.pk}",
        f"section-{story.section_id}",
        f"source-{story.source_id}",
        f"topic-{topic.pk}",
        f"author-{story.authors.get().pk}",
        "nav",
    } <= surrogate_keys(response)
    # A page showing one story is not purged when another joins a list.
    assert "latest" not in surrogate_keys(response)


def test_a_list_page_names_its_list_and_every_story_on_it(client, story):
    other = ArticleFactory(published=True, topics=["Grain"])
    topic = story.topics.get()
    response = client.get(topic.get_absolute_url())
    assert {
        f"topic-{topic.pk}",
        f"list-topic-{topic.pk}",
        f"story-{story.pk}",
        f"story-{other.pk}",
    } <= surrogate_keys(response)


@pytest.mark.parametrize(
    "path",
    ["/", "/feed/", "/feed/atom/", "/search/?q=grain", "/api/v1/articles/", "/sitemap.xml"],
)
def test_lists_of_the_newest_stories_are_purged_by_any_publish(client, story, path):
    response = client.get(path)
    assert "latest" in surrogate_keys(response)
    assert response["Cache-Control"].startswith("public")


def test_a_feed_names_each_story_it_carries(client, story):
    assert f"story-{story.pk}" in surrogate_keys(client.get("/feed/"))


def test_a_stale_slug_redirect_is_kept_and_purged_with_the_story(client, story):
    response = client.get(reverse("articles:detail", args=[story.pk, "old-slug"]))
    assert response.status_code == 301
    assert f"story-{story.pk}" in surrogate_keys(response)


@pytest.mark.parametrize("path", ["/articles/999999/x/", "/topics/no-such-topic/"])
def test_a_missing_page_is_never_kept(client, path):
    response = client.get(path)
    assert response.status_code == 404
    # Without a public Cache-Control the front cache keeps nothing (newsroom.vcl).
    assert "Surrogate-Key" not in response
    assert "public" not in response.get("Cache-Control", "")


def test_the_admin_is_never_kept(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert "Surrogate-Key" not in response
    assert "private" in response["Cache-Control"]


def test_a_page_for_someone_signed_in_sets_no_public_cache_control(admin_client, story):
    # The front cache passes signed-in readers by their session cookie; a page that
    # varies on it must never be marked public.
    response = admin_client.get(story.get_absolute_url())
    if "Cookie" in response.get("Vary", ""):
        assert "public" not in response["Cache-Control"]


def test_a_topic_awaiting_a_moderator_names_nothing(client):
    TopicFactory(name="Pending", status="pending")
    assert "Surrogate-Key" not in client.get("/topics/pending/")


def test_a_renamed_topic_s_old_address_is_purged_with_the_topic(client, moderator):
    from moderation import actions

    topic = TopicFactory(name="Grain")
    ArticleFactory(published=True, topics=[topic])
    actions.rename(moderator, topic, name="Grain exports", slug="grain-exports")
    for old in ("/topics/grain/", "/topics/grain/feed/"):
        response = client.get(old)
        assert response.status_code == 301
        assert f"topic-{topic.pk}" in surrogate_keys(response)
