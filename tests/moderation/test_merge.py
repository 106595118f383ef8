"""Merging topics: stories re-tagged once, names kept as aliases, addresses kept as redirects,
all in one set-based transaction."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, ArticleTopic
from moderation import actions
from tests.factories import ArticleFactory, TopicFactory
from topics.models import Topic, TopicAlias, TopicLogEntry, TopicRedirect

pytestmark = pytest.mark.django_db


@pytest.fixture
def russia(db):
    return TopicFactory(name="Russia", slug="russia")


@pytest.fixture
def duplicate(db):
    return TopicFactory(name="Russian Federation", slug="russian-federation")


def snapshot() -> dict:
    """Everything a merge may touch, in a comparable form."""
    return {
        "topics": sorted(Topic.objects.values_list("pk", "name", "slug", "status")),
        "links": sorted(ArticleTopic.objects.values_list("content_object", "tag")),
        "aliases": sorted(TopicAlias.objects.values_list("name", "topic")),
        "redirects": sorted(TopicRedirect.objects.values_list("old_slug", "topic")),
        "log": TopicLogEntry.objects.count(),
    }


def test_stories_of_a_merged_topic_are_tagged_with_the_target(moderator, russia, duplicate):
    article = ArticleFactory(topics=[duplicate])
    actions.merge(moderator, russia, [duplicate])
    assert list(article.topics.all()) == [russia]


def test_a_story_tagged_with_both_keeps_the_target_once(moderator, russia, duplicate):
    article = ArticleFactory(topics=[russia, duplicate])
    actions.merge(moderator, russia, [duplicate])
    assert list(article.topic_links.values_list("tag", flat=True)) == [russia.pk]


def test_a_story_tagged_with_two_merged_topics_gets_the_target_once(moderator, russia, duplicate):
    third = TopicFactory(name="Rossiya")
    article = ArticleFactory(topics=[duplicate, third])
    actions.merge(moderator, russia, [duplicate, third])
    assert list(article.topic_links.values_list("tag", flat=True)) == [russia.pk]


def test_merged_topics_are_gone(moderator, russia, duplicate):
    actions.merge(moderator, russia, [duplicate])
    assert list(Topic.objects.all()) == [russia]


def test_merged_names_become_aliases_of_the_target(moderator, russia, duplicate):
    actions.merge(moderator, russia, [duplicate])
    assert Topic.objects.resolve(["Russian Federation"]) == {"Russian Federation": russia}


def test_aliases_of_merged_topics_follow_them(moderator, russia, duplicate):
    TopicAlias.objects.create(name="RF", topic=duplicate)
    actions.merge(moderator, russia, [duplicate])
    assert Topic.objects.resolve(["RF"]) == {"RF": russia}


def test_merged_slugs_and_their_old_slugs_redirect_to_the_target(moderator, russia, duplicate):
    TopicRedirect.objects.create(old_slug="rf", topic=duplicate)
    actions.merge(moderator, russia, [duplicate])
    assert TopicRedirect.objects.target_for("russian-federation") == russia
    assert TopicRedirect.objects.target_for("rf") == russia


def test_a_pending_target_is_approved(moderator, duplicate):
    target = TopicFactory(name="Russia", status=Topic.Status.PENDING)
    actions.merge(moderator, target, [duplicate])
    target.refresh_from_db()
    assert target.status == Topic.Status.APPROVED


def test_a_rejected_target_is_refused(moderator, duplicate):
    target = TopicFactory(name="Russia", status=Topic.Status.REJECTED)
    with pytest.raises(ValidationError, match="rejected topic"):
        actions.merge(moderator, target, [duplicate])
    assert Topic.objects.filter(pk=duplicate.pk).exists()


def test_the_merge_is_recorded(moderator, russia, duplicate):
    ArticleFactory(topics=[duplicate])
    actions.merge(moderator, russia, [duplicate])
    entry = TopicLogEntry.objects.get()
    assert (entry.action, entry.topic, entry.actor) == ("merged", russia, moderator)
    assert entry.summary == (
        "Merged “Russian Federation” into “Russia”: 1 stories newly tagged with it, "
        "1 links to the merged topics removed."
    )
    assert entry.details["merged"] == [
        {"id": duplicate.pk, "name": "Russian Federation", "slug": "russian-federation"}
    ]


def test_a_failure_in_the_middle_leaves_everything_as_it_was(
    moderator, russia, duplicate, monkeypatch
):
    ArticleFactory(topics=[russia, duplicate])
    ArticleFactory(topics=[duplicate])
    TopicAlias.objects.create(name="RF", topic=duplicate)
    before = snapshot()

    def fail(*args, **kwargs):
        # Links moved, topics deleted, aliases and redirects moved: then the lights go out.
        raise RuntimeError("connection lost")

    monkeypatch.setattr(actions, "_keep_names", fail)
    with pytest.raises(RuntimeError):
        actions.merge(moderator, russia, [duplicate])
    assert snapshot() == before


def test_the_merge_purges_both_topics_pages_and_names_from_the_front_cache(
    moderator, russia, duplicate, django_capture_on_commit_callbacks, front_cache
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.merge(moderator, russia, [duplicate])
    [purged] = front_cache.purged
    for topic in (russia, duplicate):
        assert {f"topic-{topic.pk}", f"list-topic-{topic.pk}"} <= purged


def test_merging_thousands_of_stories_takes_a_fixed_handful_of_statements(
    moderator, russia, duplicate
):
    # A topic used by 100,000 stories merges in seconds only if nothing runs per story.
    stories = Article.objects.bulk_create(
        Article(headline=f"Story {n}", slug=f"story-{n}") for n in range(3000)
    )
    ArticleTopic.objects.bulk_create(
        [ArticleTopic(content_object=story, tag=duplicate) for story in stories]
        + [ArticleTopic(content_object=story, tag=russia) for story in stories[:1000]]
    )
    with CaptureQueriesContext(connection) as queries:
        result = actions.merge(moderator, russia, [duplicate])
    assert (result.links_added, result.links_removed) == (2000, 3000)
    assert ArticleTopic.objects.filter(tag=russia).count() == 3000
    # Permission check, savepoint, lock, re-tag (INSERT ... SELECT), untag (DELETE), the same
    # two for wire copy's topics, aliases and redirects (2 UPDATE, 1 INSERT), the merged
    # topics' deletion (7), the merged names as aliases, the log entry, release: none of them
    # per story.
    assert len(queries) <= 21, "\n".join(q["sql"][:120] for q in queries.captured_queries)


def test_the_plan_says_what_will_change(russia, duplicate):
    ArticleFactory(topics=[russia, duplicate])
    ArticleFactory(published=True, topics=[duplicate])
    TopicAlias.objects.create(name="RF", topic=duplicate)
    plan = actions.plan_merge(russia, [duplicate])
    assert (plan.stories_to_retag, plan.stories_already_tagged, plan.aliases_moving) == (1, 1, 1)
    (source,) = plan.sources
    assert (source.all_stories, source.published_stories, source.shared_with_target) == (2, 1, 1)


def test_wire_copy_follows_a_merge(moderator, russia, duplicate):
    from tests.factories import SourceFactory
    from wire.models import WireItem

    both = WireItem.objects.create(source=SourceFactory(), guid="a", headline="Both")
    both.topics.set([russia, duplicate])
    merged_only = WireItem.objects.create(source=both.source, guid="b", headline="Merged only")
    merged_only.topics.set([duplicate])
    actions.merge(moderator, russia, [duplicate])
    assert list(both.topics.all()) == [russia]
    assert list(merged_only.topics.all()) == [russia]
