"""Embargoed and withdrawn stories on the public surfaces: pages, feeds, sitemaps, search, API.

A story released to partners under embargo is, for readers, a scheduled story:
on no public surface until its publish time, then on all of them without anyone
saving. A withdrawn story is off every one of them for good, and the front
cache forgets the pages that showed it once the withdrawal commits.

Each check is against a companion public story on the same section, source,
topic and byline, so every list answers and is seen to list public stories.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import AbstractUser
from django.urls import reverse
from django.utils import timezone, translation

from articles import workflow
from articles.models import Article, Section
from frontcache.receivers import due_keys
from sources.models import Source
from tests.factories import ArticleFactory, SectionFactory, SourceFactory, UserFactory
from topics.models import Topic

pytestmark = pytest.mark.django_db

# A word no other story carries, to search for.
WORD = "zephyrquill"
LANGUAGES = ["en", "uk"]


@dataclass
class Subjects:
    section: Section
    source: Source
    topic: Topic
    author: AbstractUser
    # Carried by the hidden story alone: its page and feed must not exist.
    own_topic: Topic
    own_author: AbstractUser


@pytest.fixture
def subjects() -> Subjects:
    return Subjects(
        section=SectionFactory(),
        source=SourceFactory(),
        topic=Topic.objects.create(name="Grain corridor", status=Topic.Status.APPROVED),
        author=UserFactory(first_name="Olena", last_name="Kovalenko"),
        own_topic=Topic.objects.create(name="Black Sea convoy", status=Topic.Status.APPROVED),
        own_author=UserFactory(first_name="Taras", last_name="Melnyk"),
    )


def story_on(subjects: Subjects, language: str, headline: str, *, hidden: bool, **fields):
    topics = [subjects.topic, subjects.own_topic] if hidden else [subjects.topic]
    authors = [subjects.author, subjects.own_author] if hidden else [subjects.author]
    return ArticleFactory(
        headline=headline,
        body=f"<p>Ships left Odesa at dawn. {WORD if hidden else 'convoy'}</p>",
        language=language,
        section=subjects.section,
        source=subjects.source,
        topics=topics,
        authors=authors,
        **fields,
    )


@pytest.fixture
def public(subjects, language) -> Article:
    return story_on(
        subjects, language, "Companion story stays in view", hidden=False, published=True
    )


@pytest.fixture
def embargoed(subjects, language, public) -> Article:
    return story_on(
        subjects,
        language,
        "Embargoed corridor deal signed",
        hidden=True,
        status=Article.Status.PUBLISHED,
        publish_at=timezone.now() + timedelta(minutes=10),
        embargoed=True,
    )


@pytest.fixture(params=LANGUAGES)
def language(request) -> str:
    return request.param


def lists(subjects: Subjects, language: str) -> dict[str, str]:
    """Return the public lists of stories the hidden story would be on, by name, in an edition."""
    slug = {"slug": subjects.section.slug}
    source = {"slug": subjects.source.slug}
    topic = {"slug": subjects.topic.slug_in(language)}
    author = {"pk": subjects.author.pk}
    names = {
        "home": ("articles:home", {}),
        "section page": ("articles:section", slug),
        "source page": ("articles:source", source),
        "topic page": ("articles:topic", topic),
        "author page": ("articles:author", author),
        "latest feed": ("articles:feed", {}),
        "latest atom feed": ("articles:feed_atom", {}),
        "section feed": ("articles:section_feed", slug),
        "section atom feed": ("articles:section_feed_atom", slug),
        "source feed": ("articles:source_feed", source),
        "source atom feed": ("articles:source_feed_atom", source),
        "topic feed": ("articles:topic_feed", topic),
        "topic atom feed": ("articles:topic_feed_atom", topic),
        "author feed": ("articles:author_feed", author),
        "author atom feed": ("articles:author_feed_atom", author),
        "story sitemap": ("articles:sitemap", {"section": "articles"}),
        "news sitemap": ("articles:sitemap_news", {}),
    }
    with translation.override(language):
        found = {name: reverse(url, kwargs=kwargs) for name, (url, kwargs) in names.items()}
    return found


def surfaces(story: Article, companion: Article, subjects: Subjects) -> dict[str, str]:
    """Return the public lists, and the companion's page with its related stories, by name."""
    return {
        **lists(subjects, story.language),
        "related stories on another story's page": companion.get_absolute_url(),
    }


def topic_listings(language: str) -> dict[str, str]:
    """Return the public lists of topics in use, by name."""
    with translation.override(language):
        return {
            "topics sitemap": reverse("articles:sitemap", kwargs={"section": "topics"}),
            "API topics": "/api/v1/topics/",
        }


def search_url(language: str) -> str:
    with translation.override(language):
        return reverse("articles:search")


def own_pages(story: Article, subjects: Subjects) -> dict[str, str]:
    """Return the pages that exist only through the hidden story: its own, its lone subjects'."""
    with translation.override(story.language):
        return {
            "story page": story.get_absolute_url(),
            "short link": reverse("articles:short", kwargs={"pk": story.pk}),
            "own topic page": reverse(
                "articles:topic", kwargs={"slug": subjects.own_topic.slug_in(story.language)}
            ),
            "own topic feed": reverse(
                "articles:topic_feed", kwargs={"slug": subjects.own_topic.slug_in(story.language)}
            ),
            "own author page": reverse("articles:author", kwargs={"pk": subjects.own_author.pk}),
            "own author feed": reverse(
                "articles:author_feed", kwargs={"pk": subjects.own_author.pk}
            ),
        }


def shows(content: bytes, story: Article) -> bool:
    text = content.decode()
    return story.headline in text or f"/articles/{story.pk}/" in text


def leaks(client, story: Article, companion: Article, subjects: Subjects) -> dict[str, str]:
    """Return each public surface that shows `story`, with what it answered."""
    found = {}
    for name, url in surfaces(story, companion, subjects).items():
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        assert shows(response.content, companion), (name, url)
        if shows(response.content, story):
            found[name] = url
    # A topic only the story carries is in no list of topics.
    own_topic = f"/topics/{subjects.own_topic.slug_in(story.language)}/"
    for name, url in topic_listings(story.language).items():
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        if own_topic in response.content.decode():
            found[name] = url
    search = client.get(search_url(story.language), {"q": WORD})
    assert search.status_code == 200
    if shows(search.content, story):
        found["search"] = search_url(story.language)
    for name, url in own_pages(story, subjects).items():
        response = client.get(url)
        if response.status_code != 404:
            found[name] = f"{url} answered {response.status_code}"
    return found


def api_ids(client, **params) -> list[int]:
    response = client.get("/api/v1/articles/", params)
    assert response.status_code == 200
    return [int(item["altIds"][0]["value"]) for item in response.json()["items"]]


def api_leaks(client, story: Article, since) -> list[str]:
    found = []
    if story.pk in api_ids(client):
        found.append("list")
    if story.pk in api_ids(client, language=story.language):
        found.append("list in its language")
    if story.pk in api_ids(client, updated_since=since.isoformat()):
        found.append("updated_since")
    if client.get(f"/api/v1/articles/{story.pk}").status_code != 404:
        found.append("detail")
    return found


def story_keys(story: Article, subjects: Subjects) -> set[str]:
    """Return the front cache keys of the story and of the lists it is on."""
    return {
        f"story-{story.pk}",
        "latest",
        f"list-section-{subjects.section.pk}",
        f"list-source-{subjects.source.pk}",
        f"list-topic-{subjects.topic.pk}",
        f"list-topic-{subjects.own_topic.pk}",
        f"list-author-{subjects.author.pk}",
        f"list-author-{subjects.own_author.pk}",
    }


# --- Embargoed ---------------------------------------------------------------------------


def test_an_embargoed_story_is_on_no_public_page_feed_sitemap_or_search(
    client, embargoed, public, subjects
):
    assert leaks(client, embargoed, public, subjects) == {}


def test_an_embargoed_story_is_not_in_the_public_api(client, embargoed, public):
    assert public.pk in api_ids(client)
    assert api_leaks(client, embargoed, since=timezone.now() - timedelta(days=1)) == []


def test_releasing_a_story_under_embargo_purges_no_list_that_would_show_it(
    editor, subjects, language, public, front_cache, django_capture_on_commit_callbacks, client
):
    story = story_on(subjects, language, "Embargoed corridor deal signed", hidden=True)
    story.embargoed = True
    story.save()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(story, editor, at=timezone.now() + timedelta(minutes=10))
    purged = set().union(*front_cache.purged)
    # Its own key may go (no page shows it yet); the lists it will join stay as they are.
    assert not purged & (story_keys(story, subjects) - {f"story-{story.pk}"})
    # And a list rendered now, as a purge would have it re-rendered, leaves it out.
    assert leaks(client, story, public, subjects) == {}


def test_an_embargoed_story_goes_public_at_its_time_without_a_save(
    client, embargoed, public, subjects
):
    updated_at = embargoed.updated_at
    since = embargoed.publish_at - timedelta(seconds=20)
    with time_machine.travel(embargoed.publish_at + timedelta(seconds=1)):
        for name, url in surfaces(embargoed, public, subjects).items():
            assert shows(client.get(url).content, embargoed), name
        topics_sitemap = topic_listings(embargoed.language)["topics sitemap"]
        own_topic = f"/topics/{subjects.own_topic.slug_in(embargoed.language)}/"
        assert own_topic in client.get(topics_sitemap).content.decode()
        search = client.get(search_url(embargoed.language), {"q": WORD})
        assert shows(search.content, embargoed)
        for name, url in own_pages(embargoed, subjects).items():
            response = client.get(url, follow=True)
            assert response.status_code == 200, (name, url, response.status_code)
        assert api_leaks(client, embargoed, since=since) == [
            "list", "list in its language", "updated_since", "detail",
        ]  # fmt: skip
        assert story_keys(embargoed, subjects) <= due_keys(since, timezone.now())
    embargoed.refresh_from_db()
    assert embargoed.updated_at == updated_at


def test_an_embargoed_story_is_not_due_before_its_time(embargoed):
    before = embargoed.publish_at - timedelta(seconds=1)
    assert due_keys(before - timedelta(seconds=20), before) == set()


# --- Withdrawn ---------------------------------------------------------------------------


@pytest.fixture
def withdrawn(
    client, subjects, language, public, editor, django_capture_on_commit_callbacks, front_cache
):
    story = story_on(subjects, language, "Withdrawn corridor figures", hidden=True, published=True)
    with translation.override(language):
        assert client.get(story.get_absolute_url()).status_code == 200  # Public until withdrawn.
    front_cache.purged = []
    with django_capture_on_commit_callbacks(execute=True):
        workflow.withdraw(story, editor, "The figures were wrong.")
    return story


def test_withdrawing_takes_the_story_off_every_public_surface(client, withdrawn, public, subjects):
    assert withdrawn.status == Article.Status.WITHDRAWN
    assert leaks(client, withdrawn, public, subjects) == {}


def test_a_withdrawn_story_is_not_in_the_public_api(client, withdrawn, public):
    assert public.pk in api_ids(client)
    assert api_leaks(client, withdrawn, since=timezone.now() - timedelta(days=1)) == []


def test_withdrawing_purges_the_story_and_every_list_it_was_on(withdrawn, subjects, front_cache):
    [purged] = front_cache.purged
    assert story_keys(withdrawn, subjects) <= purged


def test_a_withdrawal_rolled_back_purges_nothing(subjects, language, editor, front_cache):
    story = story_on(subjects, language, "Withdrawn corridor figures", hidden=True, published=True)
    workflow.withdraw(story, editor, "The figures were wrong.")
    assert front_cache.purged == []
