"""The wire inbox in the admin, taking an item, and the scheduled ingest."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from reversion.models import Version

from articles.models import Article, ArticleTransition
from tests.factories import SourceFactory, TopicFactory, UserFactory
from wire.models import WireItem
from wire.tasks import ingest_wire, schedule_ingest

pytestmark = pytest.mark.django_db

INBOX = reverse("admin:wire_wireitem_changelist")


def wire_item(**kwargs) -> WireItem:
    defaults = {
        "source": kwargs.pop("source", None) or SourceFactory(),
        "guid": f"guid-{WireItem.objects.count()}",
        "headline": "Grain ships leave Odesa ports",
        "summary": "Three ships left port.",
        "body": "<p>Three ships left port.</p>",
        "link": "https://www.ukrinform.net/1001.html",
    }
    return WireItem.objects.create(**{**defaults, **kwargs})


def test_taking_an_item_makes_a_draft_with_the_taker_on_the_byline(reporter):
    item = wire_item()
    item.topics.add(TopicFactory(name="Energy"))
    article = item.take(reporter)
    assert article.status == Article.Status.DRAFT
    assert list(article.authors.all()) == [reporter]
    assert (article.headline, article.standfirst) == (item.headline, item.summary)
    assert article.body == item.body
    assert (article.source, article.source_url) == (item.source, item.link)
    assert list(article.topics.names()) == ["Energy"]
    item.refresh_from_db()
    assert (item.taken_by, item.article) == (reporter, article)
    assert not Article.objects.published().exists()


def test_a_taken_item_is_a_draft_like_any_other(reporter):
    """Through the workflow: its creator, its first transition and its first revision."""
    article = wire_item().take(reporter)
    assert (article.created_by, article.updated_by) == (reporter, reporter)
    [transition] = article.transitions.all()
    assert (transition.action, transition.user) == (ArticleTransition.Action.CREATED, reporter)
    [version] = Version.objects.get_for_object(article)
    assert version.revision.user == reporter
    assert version.revision.comment == "Taken from the wire"


def test_the_inbox_shows_an_items_text_formatted_and_cleaned(client, reporter):
    item = wire_item(body='<p>Three <b>ships</b> left.</p><script>alert("x")</script>')
    client.force_login(reporter)
    page = client.get(reverse("admin:wire_wireitem_change", args=[item.pk])).content.decode()
    assert "<p>Three <b>ships</b> left.</p>" in page
    assert "&lt;p&gt;" not in page
    assert 'alert("x")' not in page


def test_an_item_is_taken_once(reporter, editor):
    item = wire_item()
    item.take(reporter)
    with pytest.raises(ValidationError, match="already taken by"):
        WireItem.objects.get(pk=item.pk).take(editor)
    assert Article.objects.count() == 1


def test_the_inbox_lists_newest_first_and_filters_by_source(client, reporter):
    ukrinform = SourceFactory(name="Ukrinform")
    old = wire_item(source=ukrinform, received_at=timezone.now() - timedelta(hours=2))
    new = wire_item(source=ukrinform, headline="Newest item")
    other = wire_item(headline="Other agency item")
    client.force_login(reporter)
    response = client.get(INBOX)
    assert list(response.context["cl"].result_list) == [other, new, old]
    response = client.get(INBOX, {"source__id__exact": ukrinform.pk})
    assert list(response.context["cl"].result_list) == [new, old]


def test_the_inbox_query_count_does_not_grow_with_items(
    client, reporter, django_assert_max_num_queries
):
    for _ in range(5):
        wire_item(taken_by=UserFactory(), taken_at=timezone.now())
    client.force_login(reporter)
    with django_assert_max_num_queries(20) as captured:
        client.get(INBOX)
    for _ in range(30):
        wire_item(taken_by=UserFactory(), taken_at=timezone.now())
    with django_assert_max_num_queries(len(captured)):
        client.get(INBOX)


def test_the_take_action_in_the_inbox(client, reporter):
    items = [wire_item(), wire_item(headline="Second")]
    client.force_login(reporter)
    response = client.post(
        INBOX, {"action": "take", "_selected_action": [i.pk for i in items]}, follow=True
    )
    assert "2 draft(s) created with you on the byline" in response.content.decode()
    assert Article.objects.filter(authors=reporter).count() == 2


def test_a_topic_moderator_cannot_take_wire_copy(client, moderator):
    item = wire_item()
    client.force_login(moderator)
    client.post(INBOX, {"action": "take", "_selected_action": [item.pk]})
    assert not Article.objects.exists()
    item.refresh_from_db()
    assert item.taken_at is None


def test_wire_copy_cannot_be_edited_in_the_admin(client, editor):
    item = wire_item()
    client.force_login(editor)
    url = reverse("admin:wire_wireitem_change", args=[item.pk])
    client.post(url, {"headline": "Changed"})
    item.refresh_from_db()
    assert item.headline == "Grain ships leave Odesa ports"
    assert client.get(reverse("admin:wire_wireitem_add")).status_code == 403


def test_scheduling_queues_one_ingest_only():
    assert schedule_ingest() is True
    assert schedule_ingest() is False
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_a_scheduled_ingest_runs_and_queues_the_next(settings):
    settings.NEWSROOM_INGEST_INTERVAL = 600
    result = ingest_wire.call()
    assert result.startswith("0 feeds fetched")
    waiting = DBTaskResult.objects.get(status="READY")
    assert waiting.run_after > timezone.now() + timedelta(seconds=590)
