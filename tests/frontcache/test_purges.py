"""Exact purges: what each change readers can see purges, once its transaction commits.

The front cache here is `LocMemBackend` (tests/conftest.py), which records each
purge as a set of keys; tests/frontcache/test_varnish.py checks the same through a
real Varnish.
"""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Pin
from frontcache.receivers import due_keys
from frontcache.tasks import purge_due, retry_purge
from moderation import actions
from tests.factories import ArticleFactory, SectionFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def draft(reporter):
    return workflow.create_draft(
        reporter,
        headline="Grain ships leave Odesa",
        section=SectionFactory(),
        topics=[TopicFactory(name="Grain")],
        authors=[reporter],
    )


def lists_of(story) -> set[str]:
    topic = story.topics.get()
    author = story.authors.get()
    return {
        "latest",
        f"list-section-{story.section_id}",
        f"list-topic-{topic.pk}",
        f"list-author-{author.pk}",
    }


def test_saving_a_draft_purges_nothing(draft, reporter, on_commit, front_cache):
    draft.headline = "Grain ships leave Odesa at dawn"
    with on_commit():
        workflow.save(draft, reporter)
    with on_commit():
        workflow.submit(draft, reporter)
    assert front_cache.purged == []


def test_publishing_purges_the_story_and_every_list_it_joins(draft, editor, on_commit, front_cache):
    with on_commit():
        workflow.publish(draft, editor)
    [purged] = front_cache.purged
    assert {f"story-{draft.pk}", "updates", *lists_of(draft)} <= purged
    # Lists of other subjects, and pages of other stories, stay.
    assert not {key for key in purged if key.startswith(("story-", "list-"))} - {
        f"story-{draft.pk}",
        "story-all",
        "list-all",
        *lists_of(draft),
    }


def test_editing_a_public_story_in_place_purges_it_but_no_list(
    draft, editor, on_commit, front_cache
):
    workflow.publish(draft, editor)
    draft.refresh_from_db()
    draft.headline = "Grain ships leave Odesa, escorted"
    with on_commit():
        workflow.save(draft, editor)
    assert front_cache.purged == [{f"story-{draft.pk}", "story-all", "updates"}]


def test_moving_a_public_story_purges_the_lists_it_left_and_joined(
    draft, editor, on_commit, front_cache
):
    workflow.publish(draft, editor)
    draft.refresh_from_db()
    old_section, new_section = draft.section, SectionFactory()
    draft.section = new_section
    with on_commit():
        workflow.save(draft, editor)
    [purged] = front_cache.purged
    assert {f"list-section-{old_section.pk}", f"list-section-{new_section.pk}"} <= purged
    assert "latest" not in purged


@pytest.mark.parametrize("take_down", [workflow.unpublish, workflow.delete])
def test_taking_a_story_down_purges_every_list_it_was_on(
    draft, editor, on_commit, front_cache, take_down
):
    workflow.publish(draft, editor)
    with on_commit():
        take_down(draft, editor)
    [purged] = front_cache.purged
    assert {f"story-{draft.pk}", *lists_of(draft)} <= purged


def test_a_correction_purges_the_story(draft, editor, on_commit, front_cache):
    workflow.publish(draft, editor)
    with on_commit():
        workflow.add_correction(draft, editor, "The ship left at dawn, not at noon.")
    assert front_cache.purged == [{f"story-{draft.pk}", "story-all", "updates"}]


def test_a_rolled_back_change_purges_nothing(draft, editor, front_cache):
    # Outside `on_commit()`, the test's transaction is rolled back: no callback runs.
    workflow.publish(draft, editor)
    assert front_cache.purged == []


def test_scheduling_purges_nothing_until_the_time_comes(draft, editor, on_commit, front_cache):
    at = timezone.now() + timedelta(minutes=30)
    with on_commit():
        workflow.publish(draft, editor, at=at)
    assert front_cache.purged == []
    assert due_keys(at - timedelta(minutes=1), at - timedelta(seconds=1)) == set()
    with time_machine.travel(at + timedelta(seconds=5)):
        keys = due_keys(at - timedelta(seconds=30), timezone.now())
    assert {f"story-{draft.pk}", *lists_of(draft)} <= keys


def test_the_due_purge_runs_and_queues_the_next(draft, editor, front_cache):
    workflow.publish(draft, editor, at=timezone.now() + timedelta(seconds=10))
    with time_machine.travel(timezone.now() + timedelta(seconds=20)):
        purge_due.call((timezone.now() - timedelta(seconds=30)).isoformat())
    [purged] = front_cache.purged
    assert f"story-{draft.pk}" in purged
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(task_path=purge_due.module_path, status="READY").exists()


def test_an_ended_pin_purges_its_page(draft, editor):
    workflow.publish(draft, editor)
    ends = timezone.now() + timedelta(minutes=5)
    Pin.objects.create(article=draft, ends_at=ends)
    assert due_keys(ends - timedelta(seconds=30), ends) >= {"home", f"story-{draft.pk}"}


def test_pinning_purges_the_page_it_pins_to(draft, editor, on_commit, front_cache):
    workflow.publish(draft, editor)
    section = SectionFactory()
    with on_commit():
        Pin.objects.create(article=draft, section=section, ends_at=timezone.now() + timedelta(1))
    assert front_cache.purged == [
        {f"list-section-{section.pk}", "list-all", f"story-{draft.pk}", "story-all"}
    ]


def test_renaming_a_topic_purges_every_answer_showing_its_name(moderator, on_commit, front_cache):
    topic = TopicFactory(name="Grain")
    ArticleFactory(published=True, topics=[topic])
    with on_commit():
        actions.rename(moderator, topic, name="Grain exports")
    [purged] = front_cache.purged
    assert {f"topic-{topic.pk}", f"list-topic-{topic.pk}"} <= purged


def test_approving_a_topic_purges_the_stories_that_carry_it(moderator, on_commit, front_cache):
    topic = TopicFactory(name="Corridor", status="pending")
    story = ArticleFactory(published=True, topics=[topic])
    with on_commit():
        actions.approve(moderator, [topic])
    [purged] = front_cache.purged
    assert {f"topic-{topic.pk}", f"story-{story.pk}"} <= purged


def test_renaming_a_section_purges_the_navigation(on_commit, front_cache):
    section = SectionFactory(name="Economy")
    section.name = "Business"
    with on_commit():
        section.save()
    [purged] = front_cache.purged
    assert {"nav", f"section-{section.pk}"} <= purged


def test_a_login_purges_nothing_but_a_new_name_purges_the_bylines(on_commit, front_cache):
    author = UserFactory()
    with on_commit():
        author.save(update_fields=["last_login"])
    assert front_cache.purged == []
    author.first_name = "Olena"
    with on_commit():
        author.save()
    assert front_cache.purged == [{f"author-{author.pk}", "author-all"}]


def test_a_failed_purge_is_queued_again_and_reported(draft, editor, on_commit, front_cache):
    from django_tasks_db.models import DBTaskResult

    from frontcache.purge import purge_failures

    workflow.publish(draft, editor)
    front_cache.fail = True
    with purge_failures() as failures, on_commit():
        workflow.unpublish(draft, editor)
    assert failures and f"story-{draft.pk}" in failures[0]
    queued = DBTaskResult.objects.get(task_path=retry_purge.module_path)
    assert f"story-{draft.pk}" in queued.args_kwargs["args"][0]


def test_a_failed_purge_is_retried_with_growing_waits(front_cache):
    from django_tasks_db.models import DBTaskResult

    front_cache.fail = True
    retry_purge.call(["story-1"], 1)
    queued = DBTaskResult.objects.get(task_path=retry_purge.module_path)
    assert queued.args_kwargs["args"] == [["story-1"], 2]
    front_cache.fail = False
    assert retry_purge.call(["story-1"], 2) == "purged 1 keys"
    assert front_cache.purged == [{"story-1"}]


@pytest.mark.django_db(transaction=True)
def test_the_editor_is_told_when_a_take_down_was_not_purged(admin_client, front_cache):
    # A real commit, inside the request: the purge runs before the answer is sent.
    story = ArticleFactory(published=True)
    front_cache.fail = True
    response = admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "unpublish_selected", "_selected_action": [story.pk]},
        follow=True,
    )
    assert "front cache did not confirm" in response.content.decode()
