"""A future publish time schedules a story; it goes public at that moment, no worker needed."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles import workflow
from articles.models import Article
from tests.articles.admin_forms import CHANGELIST, article_form, change_url
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduled(editor):
    at = (timezone.now() + timedelta(hours=3)).replace(microsecond=0)
    article = ArticleFactory(status=Article.Status.IN_REVIEW, headline="Embargoed report")
    workflow.publish(article, editor, at=at)
    return article


def test_a_scheduled_story_is_hidden_a_second_before_its_time(client, scheduled):
    with time_machine.travel(scheduled.publish_at - timedelta(seconds=1)):
        assert client.get(scheduled.get_absolute_url()).status_code == 404
        assert not Article.objects.published().exists()


def test_a_scheduled_story_is_public_at_its_time(client, scheduled):
    with time_machine.travel(scheduled.publish_at):
        assert client.get(scheduled.get_absolute_url()).status_code == 200
        assert "Embargoed report" in client.get("/").content.decode()


def test_the_desk_shows_scheduled_stories_and_when(client, editor, scheduled):
    client.force_login(editor)
    response = client.get(CHANGELIST, {"status": "scheduled"})
    assert list(response.context["cl"].result_list) == [scheduled]
    content = response.content.decode()
    assert "Scheduled" in content
    assert timezone.localtime(scheduled.publish_at).strftime("%Y") in content


def test_scheduling_is_recorded_with_its_time(scheduled):
    transition = scheduled.transitions.get()
    assert transition.action == "scheduled"
    assert transition.publish_at == scheduled.publish_at


def test_an_editor_schedules_from_the_form(client, editor):
    article = ArticleFactory(status=Article.Status.IN_REVIEW)
    at = timezone.now() + timedelta(days=2)
    client.force_login(editor)
    data = article_form(article, status="published", publish_at=at)
    assert client.post(change_url(article), data).status_code == 302
    assert Article.objects.scheduled().get() == article


def test_saving_a_published_story_keeps_its_publish_time(client, editor, published_article):
    before = published_article.publish_at
    client.force_login(editor)
    data = article_form(published_article, headline="Typo fixed")
    assert client.post(change_url(published_article), data).status_code == 302
    published_article.refresh_from_db()
    assert published_article.publish_at == before
    assert not published_article.transitions.exists()
