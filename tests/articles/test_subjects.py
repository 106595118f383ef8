"""The public-subject rules (`articles.subjects`), once, and the places that share them.

A topic or author is public only while a public story of the edition carries it; a
source or section is public by itself. Its page, its feeds, the search filter and
the API filter find the same subject and the same stories.
"""

import pytest
from django.urls import reverse
from django.utils import translation

from articles.models import Article
from articles.subjects import SUBJECTS
from tests.factories import (
    ArticleFactory,
    SectionFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
    hidden_articles,
)

pytestmark = pytest.mark.django_db

KINDS = ["topic", "source", "section", "author"]
# Those a public story must carry before readers know them.
NEED_A_PUBLIC_STORY = {"topic", "author"}


def new_subject(kind: str):
    factory = {
        "topic": TopicFactory,
        "source": SourceFactory,
        "section": SectionFactory,
        "author": UserFactory,
    }[kind]
    return factory()


def of(kind: str, subject) -> dict:
    """Return the story fields that make a story `subject`'s."""
    return {
        "topic": {"topics": [subject]},
        "source": {"source": subject},
        "section": {"section": subject},
        "author": {"authors": [subject]},
    }[kind]


def key(kind: str, subject):
    return getattr(subject, SUBJECTS[kind].lookup)


def page_url(kind: str, subject, suffix: str = "") -> str:
    return reverse(f"articles:{kind}{suffix}", kwargs={SUBJECTS[kind].lookup: key(kind, subject)})


# --- The rules ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_subject_only_hidden_stories_use_is_public_by_its_kind_alone(kind):
    subject = new_subject(kind)
    hidden_articles(**of(kind, subject))  # Scheduled, unpublished, drafts, embargoed…
    rules = SUBJECTS[kind]
    found = rules.find(key(kind, subject))
    assert found == (None if kind in NEED_A_PUBLIC_STORY else subject)
    assert list(rules.filter(Article.objects.published(), subject)) == []


@pytest.mark.parametrize("kind", KINDS)
def test_a_subject_with_a_public_story_is_public(kind):
    subject = new_subject(kind)
    hidden_articles(**of(kind, subject))
    ArticleFactory(published=True, **of(kind, subject))
    assert SUBJECTS[kind].find(key(kind, subject)) == subject


@pytest.mark.parametrize("kind", KINDS)
def test_the_filter_keeps_exactly_the_subject_s_public_stories(kind):
    subject, other = new_subject(kind), new_subject(kind)
    mine = ArticleFactory(published=True, **of(kind, subject))
    ArticleFactory(published=True, **of(kind, other))
    ArticleFactory(published=True)
    hidden_articles(**of(kind, subject))
    stories = SUBJECTS[kind].filter(Article.objects.published(), subject)
    assert list(stories) == [mine]


@pytest.mark.parametrize("kind", sorted(NEED_A_PUBLIC_STORY))
def test_a_public_story_counts_in_its_own_edition_only(kind):
    subject = new_subject(kind)
    ArticleFactory(published=True, language="uk", **of(kind, subject))
    assert SUBJECTS[kind].find(key(kind, subject)) is None
    assert SUBJECTS[kind].find(key(kind, subject), language="uk") == subject
    with translation.override("uk"):
        assert SUBJECTS[kind].find(key(kind, subject)) == subject


def test_a_topic_awaiting_a_moderator_is_not_public_whatever_its_stories():
    topic = TopicFactory(status="pending")
    ArticleFactory(published=True, topics=[topic])
    assert SUBJECTS["topic"].find(topic.slug) is None


# --- Page, feeds, search and API agree ---------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_page_feeds_search_and_api_agree_on_a_subject_without_a_public_story(client, kind):
    subject = new_subject(kind)
    hidden_articles(**of(kind, subject))
    urls = [page_url(kind, subject), page_url(kind, subject, "_feed")]
    urls.append(page_url(kind, subject, "_feed_atom"))
    responses = [client.get(url) for url in urls]
    if kind in NEED_A_PUBLIC_STORY:
        assert [r.status_code for r in responses] == [404, 404, 404]
    else:
        assert [r.status_code for r in responses] == [200, 200, 200]
        assert list(responses[0].context["articles"]) == []
        assert b"<item>" not in responses[1].content
        assert b"<entry>" not in responses[2].content
    if kind == "author":
        return  # Neither search nor the API filters by author.
    search = client.get("/search/", {kind: key(kind, subject)})
    api = client.get("/api/v1/articles/", {kind: key(kind, subject)})
    if kind in NEED_A_PUBLIC_STORY:
        assert search.context["form"].errors[kind]
        assert api.status_code == 400
        assert api.json()["detail"] == f"{kind}: no {kind} “{key(kind, subject)}”"
    else:
        assert search.status_code == 200 and list(search.context["articles"]) == []
        assert api.status_code == 200 and api.json()["items"] == []


@pytest.mark.parametrize("kind", KINDS)
def test_page_feeds_search_and_api_list_the_same_stories(client, kind):
    subject = new_subject(kind)
    mine = ArticleFactory(published=True, headline="Mine", **of(kind, subject))
    ArticleFactory(published=True, headline="Another's")
    hidden_articles(**of(kind, subject))
    page = client.get(page_url(kind, subject))
    assert page.context["lead"] == mine and page.context["rest"] == []
    feed = client.get(page_url(kind, subject, "_feed")).content.decode()
    assert "<title>Mine</title>" in feed and "Another's" not in feed
    assert "Scheduled story" not in feed
    if kind == "author":
        return
    search = client.get("/search/", {kind: key(kind, subject)})
    assert list(search.context["articles"]) == [mine]
    api = client.get("/api/v1/articles/", {kind: key(kind, subject)})
    assert [item["altIds"][0]["value"] for item in api.json()["items"]] == [str(mine.pk)]


# --- Where the places disagreed ---------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "_feed", "_feed_atom"])
def test_an_author_without_a_public_story_in_an_edition_has_no_page_or_feed_there(client, suffix):
    # The feed used to count a public story in any language and answer an empty feed.
    author = UserFactory()
    ArticleFactory(published=True, authors=[author])  # In English.
    with translation.override("uk"):
        url = reverse(f"articles:author{suffix}", kwargs={"pk": author.pk})
    assert url.startswith("/uk/")
    assert client.get(url).status_code == 404
    with translation.override("en"):
        assert client.get(page_url("author", author, suffix)).status_code == 200
