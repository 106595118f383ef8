"""Moderation actions: approve, reject, rename, aliases and deletion, with their log."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from moderation import actions
from tests.factories import ArticleFactory, TopicFactory
from topics.models import Topic, TopicAlias, TopicLogEntry, TopicRedirect

pytestmark = pytest.mark.django_db


def pending(name="Grain corridor", **kwargs) -> Topic:
    return TopicFactory(name=name, status=Topic.Status.PENDING, **kwargs)


# --- Approving and rejecting ------------------------------------------------------------


def test_a_moderator_approves_pending_topics(moderator):
    topics = [pending("One"), pending("Two")]
    actions.approve(moderator, topics)
    assert set(Topic.objects.values_list("status", flat=True)) == {Topic.Status.APPROVED}


def test_approving_records_who_approved_what_and_when(moderator):
    topic = pending()
    actions.approve(moderator, [topic])
    entry = TopicLogEntry.objects.get()
    assert (entry.action, entry.topic, entry.actor) == ("approved", topic, moderator)
    assert entry.summary == "Approved “Grain corridor” (was pending)."
    assert entry.created_at is not None


def test_approving_an_approved_topic_changes_and_records_nothing(moderator):
    topic = TopicFactory()
    assert actions.approve(moderator, [topic]) == []
    assert not TopicLogEntry.objects.exists()


def test_a_moderator_rejects_a_proposal(moderator):
    topic = pending()
    actions.reject(moderator, [topic])
    topic.refresh_from_db()
    assert topic.status == Topic.Status.REJECTED


def test_rejecting_keeps_the_stories_links(moderator):
    topic = pending()
    article = ArticleFactory(topics=[topic])
    actions.reject(moderator, [topic])
    assert list(article.topics.all()) == [topic]


def test_a_superuser_may_moderate(superuser):
    topic = pending()
    actions.approve(superuser, [topic])
    topic.refresh_from_db()
    assert topic.status == Topic.Status.APPROVED


@pytest.mark.parametrize("role", ["reporter", "editor"])
@pytest.mark.parametrize("action", ["approve", "reject", "delete_unused"])
def test_reporters_and_editors_cannot_change_a_status_or_delete(request, role, action):
    topic = pending()
    with pytest.raises(PermissionDenied):
        getattr(actions, action)(request.getfixturevalue(role), [topic])
    assert Topic.objects.get(pk=topic.pk).status == Topic.Status.PENDING


@pytest.mark.parametrize("role", ["reporter", "editor"])
def test_reporters_and_editors_cannot_rename(request, role):
    topic = TopicFactory(name="Russia")
    with pytest.raises(PermissionDenied):
        actions.rename(request.getfixturevalue(role), topic, name="Rossiya")
    assert Topic.objects.get(pk=topic.pk).name == "Russia"


@pytest.mark.parametrize("role", ["reporter", "editor"])
def test_reporters_and_editors_cannot_merge(request, role):
    target, source = TopicFactory(), TopicFactory()
    with pytest.raises(PermissionDenied):
        actions.merge(request.getfixturevalue(role), target, [source])
    assert Topic.objects.count() == 2


# --- Renaming -----------------------------------------------------------------------------


def test_renaming_the_slug_keeps_the_old_one_as_a_redirect(moderator):
    topic = TopicFactory(name="Russia", slug="russia")
    actions.rename(moderator, topic, name="Russia", slug="russian-federation")
    assert TopicRedirect.objects.get().old_slug == "russia"
    assert TopicRedirect.objects.target_for("russia") == topic


def test_renaming_keeps_the_old_name_as_an_alias(moderator):
    topic = TopicFactory(name="Rusia")
    actions.rename(moderator, topic, name="Russia")
    assert TopicAlias.objects.get().name == "Rusia"
    assert Topic.objects.resolve(["Rusia"]) == {"Rusia": topic}


def test_renaming_only_the_case_makes_no_alias(moderator):
    topic = TopicFactory(name="human rights")
    actions.rename(moderator, topic, name="Human rights")
    assert not TopicAlias.objects.exists()


def test_renaming_to_one_of_its_aliases_makes_it_the_name(moderator):
    topic = TopicFactory(name="Russian Federation")
    TopicAlias.objects.create(name="Russia", topic=topic)
    actions.rename(moderator, topic, name="Russia")
    assert list(TopicAlias.objects.values_list("name", flat=True)) == ["Russian Federation"]


def test_renaming_to_another_topics_alias_is_refused(moderator):
    russia = TopicFactory(name="Russia")
    TopicAlias.objects.create(name="Rossiya", topic=russia)
    topic = TopicFactory(name="Rosiya")
    with pytest.raises(ValidationError, match="alias of “Russia”"):
        actions.rename(moderator, topic, name="Rossiya")


def test_renaming_is_recorded_with_the_old_and_new_addresses(moderator):
    topic = TopicFactory(name="Rusia", slug="rusia")
    actions.rename(moderator, topic, name="Russia", slug="russia")
    entry = TopicLogEntry.objects.get()
    assert entry.action == "renamed"
    assert entry.summary == "Renamed “Rusia” (/topics/rusia/) to “Russia” (/topics/russia/)."


def test_an_empty_slug_is_made_again_from_the_new_name(moderator):
    topic = TopicFactory(name="Rusia", slug="rusia")
    actions.rename(moderator, topic, name="Russia", slug="")
    assert Topic.objects.get(pk=topic.pk).slug == "russia"


# --- Aliases ------------------------------------------------------------------------------


def test_a_topic_name_cannot_become_an_alias(moderator):
    russia, ukraine = TopicFactory(name="Russia"), TopicFactory(name="Ukraine")
    with pytest.raises(ValidationError, match="topic of its own"):
        actions.add_alias(moderator, russia, "ukraine")
    assert not ukraine.aliases.exists()


def test_adding_an_alias_is_recorded(moderator):
    russia = TopicFactory(name="Russia")
    actions.add_alias(moderator, russia, "Russian Federation")
    assert TopicLogEntry.objects.get().summary == "“Russian Federation” now means “Russia”."


# --- Deleting -----------------------------------------------------------------------------


def test_a_topic_no_story_uses_is_deleted(moderator):
    topic = TopicFactory()
    deleted, kept = actions.delete_unused(moderator, [topic])
    assert (deleted, kept) == ([topic], [])
    assert not Topic.objects.exists()


def test_a_topic_in_use_is_kept_even_by_a_draft(moderator):
    topic = TopicFactory()
    ArticleFactory(topics=[topic])
    deleted, kept = actions.delete_unused(moderator, [topic])
    assert (deleted, kept) == ([], [topic])
    assert Topic.objects.filter(pk=topic.pk).exists()


def test_a_deletion_is_recorded_with_the_name_it_had(moderator):
    topic = TopicFactory(name="Typo topic", slug="typo-topic")
    actions.delete_unused(moderator, [topic])
    entry = TopicLogEntry.objects.get()
    assert (entry.action, entry.topic, entry.topic_name) == ("deleted", None, "Typo topic")
