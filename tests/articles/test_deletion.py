"""Deleting a story takes it off every public page and keeps it recoverable."""

import pytest

from articles import workflow
from articles.models import Article
from tests.articles.admin_forms import CHANGELIST
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deleted(editor):
    article = ArticleFactory(published=True, headline="Story deleted by mistake", topics=["Energy"])
    workflow.delete(article, editor)
    return article


def test_a_deleted_story_leaves_its_page(client, deleted):
    assert client.get(deleted.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("path", ["/", "/feed/", "/sitemap-articles.xml", "/search/?q=mistake"])
def test_a_deleted_story_leaves_every_list(client, deleted, path):
    assert "deleted by mistake" not in client.get(path).content.decode()


def test_the_desk_list_leaves_out_deleted_stories(client, editor, deleted):
    client.force_login(editor)
    assert "deleted by mistake" not in client.get(CHANGELIST).content.decode()


def test_the_deleted_filter_lists_them_for_recovery(client, editor, deleted):
    client.force_login(editor)
    response = client.get(CHANGELIST, {"status": "deleted"})
    assert "deleted by mistake" in response.content.decode()


def test_a_recovered_story_is_a_draft_again_with_its_text_and_topics(editor, deleted):
    workflow.recover(deleted, editor)
    article = Article.objects.get(pk=deleted.pk)
    assert article.status == Article.Status.DRAFT
    assert article.headline == "Story deleted by mistake"
    assert list(article.topics.names()) == ["Energy"]


def test_a_recovered_story_goes_public_again_when_published(client, editor, deleted):
    workflow.recover(deleted, editor)
    workflow.publish(deleted, editor)
    assert client.get(deleted.get_absolute_url()).status_code == 200


def test_a_deleted_story_cannot_be_edited_before_it_is_recovered(editor, deleted):
    assert not workflow.can_edit(editor, Article.objects.get(pk=deleted.pk))
