"""What partners may receive and what they are told to drop: the rules on stories.

Withdrawals through the workflow; embargoes as scheduled stories released early;
the partners' change order (`PARTNER_CHANGED`); corrections as new versions.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from articles import workflow
from articles.models import Article, ArticleTransition
from tests.factories import ArticleFactory, hidden_articles

pytestmark = pytest.mark.django_db

Status = Article.Status


def test_an_editor_withdraws_a_published_story_with_a_reason(editor, published_article):
    transition = workflow.withdraw(published_article, editor, "  The casualty figures were wrong. ")
    published_article.refresh_from_db()
    assert published_article.status == Status.WITHDRAWN
    assert published_article.withdrawal_reason == "The casualty figures were wrong."
    assert abs(published_article.withdrawn_at - timezone.now()) < timedelta(seconds=5)
    assert (transition.action, transition.from_status, transition.user) == (
        ArticleTransition.Action.WITHDRAWN,
        Status.PUBLISHED,
        editor,
    )
    assert transition.note == "The casualty figures were wrong."
    assert not Article.objects.published().filter(pk=published_article.pk).exists()


def test_an_unpublished_story_can_be_withdrawn_too(editor):
    story = ArticleFactory(published=True)
    workflow.unpublish(story, editor)
    workflow.withdraw(story, editor, "Legal advice.")
    assert Article.objects.get(pk=story.pk).status == Status.WITHDRAWN


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_withdrawal_needs_a_reason_and_changes_nothing(editor, published_article, reason):
    with pytest.raises(workflow.WorkflowError, match="Say why"):
        workflow.withdraw(published_article, editor, reason)
    published_article.refresh_from_db()
    assert published_article.status == Status.PUBLISHED
    assert not published_article.transitions.filter(action="withdrawn").exists()


def test_a_reporter_may_not_withdraw_even_their_own_story(reporter):
    story = ArticleFactory(published=True, created_by=reporter, authors=[reporter])
    with pytest.raises(workflow.WorkflowError, match="Only editors may withdraw"):
        workflow.withdraw(story, reporter, "Mine.")
    assert Article.objects.get(pk=story.pk).status == Status.PUBLISHED


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.DELETED])
def test_only_a_story_that_went_out_can_be_withdrawn(editor, status):
    story = ArticleFactory(status=status)
    with pytest.raises(workflow.WorkflowError, match="cannot go from"):
        workflow.withdraw(story, editor, "Why not.")
    assert Article.objects.get(pk=story.pk).status == status


def test_a_withdrawn_story_stays_as_it_was_but_can_be_deleted(editor, published_article):
    workflow.withdraw(published_article, editor, "Wrong figures.")
    published_article.refresh_from_db()
    assert not workflow.can_edit(editor, published_article)
    with pytest.raises(workflow.WorkflowError):
        workflow.publish(published_article, editor)
    with pytest.raises(workflow.WorkflowError):
        workflow.add_correction(published_article, editor, "A correction.")
    # Where it is, and nowhere the form could take it.
    assert workflow.reachable_statuses(editor, published_article) == [Status.WITHDRAWN]
    workflow.delete(published_article, editor)
    assert Article.objects.get(pk=published_article.pk).status == Status.DELETED


def test_the_form_never_offers_withdrawing(editor, published_article):
    # It takes a reason: it has a button and a page of its own.
    assert Status.WITHDRAWN not in workflow.reachable_statuses(editor, published_article)


def test_a_correction_is_a_new_version(editor, published_article):
    version = Article.objects.get(pk=published_article.pk).version
    workflow.add_correction(published_article, editor, "The minister's name was misspelt.")
    assert Article.objects.get(pk=published_article.pk).version == version + 1


def test_partners_receive_public_and_embargoed_stories_only():
    public = ArticleFactory(published=True)
    hidden = hidden_articles()
    embargoed = hidden[-1]
    assert embargoed.embargoed and embargoed.is_scheduled
    assert set(Article.objects.for_partners()) == {public, embargoed}
    # Readers see none of the hidden ones, the embargoed one included.
    assert list(Article.objects.published()) == [public]


def test_the_change_feed_carries_what_partners_received_and_lost():
    public = ArticleFactory(published=True)
    _, _, _, unpublished, _, deleted, withdrawn, embargoed = hidden_articles()
    changes = set(Article.objects.partner_changes())
    # A scheduled story that is not embargoed has reached nobody yet: no tombstone.
    assert changes == {public, unpublished, deleted, withdrawn, embargoed}


def test_an_embargoed_story_changed_for_partners_when_released_not_at_its_time():
    now = timezone.now()
    embargoed = ArticleFactory(
        status=Status.PUBLISHED, embargoed=True, publish_at=now + timedelta(hours=3)
    )
    found = Article.objects.partner_changes().get(pk=embargoed.pk)
    assert found.partner_changed == embargoed.updated_at
    assert not Article.objects.partner_changes(since=now + timedelta(minutes=1)).exists()


def test_a_scheduled_story_changes_for_partners_when_it_goes_out():
    now = timezone.now()
    story = ArticleFactory(published=True)
    Article.objects.filter(pk=story.pk).update(
        updated_at=now - timedelta(hours=2), publish_at=now - timedelta(minutes=30)
    )
    found = Article.objects.partner_changes().get(pk=story.pk)
    assert found.partner_changed == now - timedelta(minutes=30)


def test_the_change_feed_is_read_from_its_index():
    ArticleFactory.create_batch(3, published=True)
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            sql, params = Article.objects.partner_changes()[:20].query.sql_with_params()
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_seqscan")
    assert "article_partner_changed_idx" in plan
