"""Rendered story cards and story parts, kept by each process under everything they show."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from moderation import actions
from tests.factories import ArticleFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fragment_cache(settings):
    # Production keeps fragments in each process's memory; development and tests do not.
    settings.CACHES = {
        **settings.CACHES,
        "fragments": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "fragments-under-test",
        },
    }
    caches["fragments"].clear()
    yield caches["fragments"]
    caches["fragments"].clear()


def test_a_card_is_rendered_once_then_kept(client, fragment_cache):
    ArticleFactory(published=True, topics=["Grain"])
    first = client.get("/").content
    assert len(fragment_cache._cache) > 0
    assert client.get("/").content == first


def test_a_renamed_topic_shows_at_once_on_kept_cards(client, moderator):
    topic = TopicFactory(name="Grain")
    story = ArticleFactory(published=True, topics=[topic])
    assert ">Grain</a>" in client.get("/").content.decode()
    actions.rename(moderator, topic, name="Grain exports")
    for path in ("/", story.get_absolute_url()):
        content = client.get(path).content.decode()
        assert ">Grain exports</a>" in content
        assert ">Grain</a>" not in content


def test_a_new_byline_name_shows_at_once_on_kept_cards(client):
    author = UserFactory(first_name="Olena", last_name="Koval")
    story = ArticleFactory(published=True, authors=[author])
    assert "Olena Koval" in client.get("/").content.decode()
    author.last_name = "Kovalenko"
    author.save()
    for path in ("/", story.get_absolute_url()):
        assert "Olena Kovalenko" in client.get(path).content.decode()


def test_an_edited_story_shows_at_once(client, editor):
    from articles import workflow

    story = ArticleFactory(published=True)
    client.get(story.get_absolute_url())
    story.refresh_from_db()
    story.standfirst = "The convoy reached the Bosphorus."
    workflow.save(story, editor)
    assert (
        "The convoy reached the Bosphorus." in client.get(story.get_absolute_url()).content.decode()
    )
    assert "The convoy reached the Bosphorus." in client.get("/").content.decode()


def test_a_preview_neither_reads_nor_keeps_fragments(admin_client, fragment_cache):
    story = ArticleFactory(headline="Draft under embargo")
    response = admin_client.get(reverse("admin:articles_article_preview", args=[story.pk]))
    assert response.status_code == 200
    assert "Draft under embargo" in response.content.decode()
    assert len(fragment_cache._cache) == 0
