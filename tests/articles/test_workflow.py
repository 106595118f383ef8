"""The workflow's rules and records, called directly as commands and the API would."""

from datetime import timedelta

import pytest
from django.contrib.messages import ERROR, get_messages
from django.utils import timezone

from articles import workflow
from articles.models import Article, ArticleTransition, Correction
from tests.articles.admin_forms import CHANGELIST
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

Status = Article.Status


def test_a_transition_records_who_when_from_to_and_note(editor):
    article = ArticleFactory(status=Status.IN_REVIEW)
    transition = workflow.send_back(article, editor, note="Name the second source.")
    assert (transition.user, transition.from_status, transition.to_status) == (
        editor,
        Status.IN_REVIEW,
        Status.CHANGES_REQUESTED,
    )
    assert transition.note == "Name the second source."
    assert abs(transition.created_at - timezone.now()) < timedelta(seconds=5)


def test_a_transition_records_the_last_editor(editor):
    article = ArticleFactory(status=Status.IN_REVIEW)
    workflow.publish(article, editor)
    assert Article.objects.get(pk=article.pk).updated_by == editor


def test_a_transition_the_states_do_not_allow_is_refused_and_changes_nothing(editor):
    article = ArticleFactory()
    with pytest.raises(workflow.WorkflowError, match="cannot go from “draft” to “unpublished”"):
        workflow.unpublish(article, editor)
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT
    assert not ArticleTransition.objects.exists()


def test_a_reporter_cannot_publish_through_the_workflow(reporter):
    article = ArticleFactory(authors=[reporter])
    with pytest.raises(workflow.WorkflowError, match="Only editors"):
        workflow.publish(article, reporter)
    assert not Article.objects.published().exists()
    assert Article.objects.get(pk=article.pk).version == article.version


def test_sending_back_needs_a_note(editor):
    article = ArticleFactory(status=Status.IN_REVIEW)
    with pytest.raises(workflow.WorkflowError, match="needs a note"):
        workflow.send_back(article, editor, note="  ")
    assert Article.objects.get(pk=article.pk).status == Status.IN_REVIEW


def test_publishing_with_a_future_time_schedules(editor):
    article = ArticleFactory(status=Status.IN_REVIEW)
    transition = workflow.publish(article, editor, at=timezone.now() + timedelta(hours=2))
    assert transition.action == ArticleTransition.Action.SCHEDULED
    assert Article.objects.scheduled().get() == article
    assert not Article.objects.published().exists()


def test_publishing_a_scheduled_story_sends_it_out_now(editor):
    article = ArticleFactory(status=Status.PUBLISHED, publish_at=timezone.now() + timedelta(days=1))
    workflow.publish(article, editor)
    assert Article.objects.published().get() == article


def test_publishing_a_public_story_again_is_refused(editor, published_article):
    with pytest.raises(workflow.WorkflowError, match="already published"):
        workflow.publish(published_article, editor)


def test_a_recovered_story_comes_back_as_a_draft(editor, published_article):
    workflow.delete(published_article, editor)
    workflow.recover(published_article, editor)
    assert published_article.status == Status.DRAFT
    assert published_article.first_published_at is not None  # History stays.


def test_a_reporter_may_delete_own_draft(reporter):
    article = ArticleFactory(authors=[reporter])
    workflow.delete(article, reporter)
    assert Article.objects.get(pk=article.pk).status == Status.DELETED


def test_a_reporter_may_not_delete_own_story_once_submitted(reporter):
    article = ArticleFactory(authors=[reporter], status=Status.IN_REVIEW)
    with pytest.raises(workflow.WorkflowError, match="own drafts"):
        workflow.delete(article, reporter)


def test_a_reporter_may_not_edit_own_story_in_review(reporter):
    article = ArticleFactory(authors=[reporter], status=Status.IN_REVIEW)
    assert not workflow.can_edit(reporter, article)


def test_a_reporter_edits_own_story_sent_back(reporter):
    article = ArticleFactory(authors=[reporter], status=Status.CHANGES_REQUESTED)
    assert workflow.can_edit(reporter, article)


def test_the_form_offers_a_reporter_only_draft_and_review(reporter):
    article = ArticleFactory(authors=[reporter])
    assert workflow.reachable_statuses(reporter, article) == [Status.DRAFT, Status.IN_REVIEW]


def test_the_form_offers_an_editor_every_next_step_of_a_story_in_review(editor):
    article = ArticleFactory(status=Status.IN_REVIEW)
    assert workflow.reachable_statuses(editor, article) == [
        Status.CHANGES_REQUESTED,
        Status.IN_REVIEW,
        Status.PUBLISHED,
    ]


def test_a_command_creates_a_draft_with_its_first_transition():
    article = workflow.create_draft(None, headline="Wire copy", body="<p>Text</p>")
    transition = ArticleTransition.objects.get(article=article)
    assert (transition.action, transition.user) == ("created", None)


def test_a_correction_needs_a_story_that_was_published(editor):
    with pytest.raises(workflow.WorkflowError, match="has been published"):
        workflow.add_correction(ArticleFactory(), editor, "Fixed a date.")
    assert not Correction.objects.exists()


def test_a_reporter_cannot_add_a_correction(reporter, published_article):
    with pytest.raises(workflow.WorkflowError, match="Only editors"):
        workflow.add_correction(published_article, reporter, "Fixed a date.")


def test_a_bulk_action_with_one_refused_story_changes_none(client, reporter):
    mine = ArticleFactory(authors=[reporter])
    theirs = ArticleFactory()
    client.force_login(reporter)
    response = client.post(
        CHANGELIST,
        {"action": "submit_selected", "_selected_action": [mine.pk, theirs.pk], "index": "0"},
    )
    assert response.status_code == 302
    message = next(m for m in get_messages(response.wsgi_request) if m.level == ERROR)
    assert "Nothing was changed" in message.message
    assert set(Article.objects.values_list("status", flat=True)) == {Status.DRAFT}


def test_a_reporter_posting_a_publish_time_does_not_set_it(client, reporter):
    from tests.articles.admin_forms import article_form, change_url

    article = ArticleFactory(authors=[reporter])
    client.force_login(reporter)
    data = article_form(article, publish_at=timezone.now() + timedelta(days=1))
    assert client.post(change_url(article), data).status_code == 302
    assert Article.objects.get(pk=article.pk).publish_at is None
