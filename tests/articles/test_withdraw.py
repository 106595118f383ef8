"""Withdrawing a story from its form, the form of a withdrawn story, and the embargo field."""

from datetime import timedelta

import pytest
from django.contrib.messages import ERROR, SUCCESS, get_messages
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article, ArticleTransition
from tests.articles.admin_forms import CHANGELIST, article_form, change_url
from tests.factories import ArticleFactory
from tests.newsroom import test_html_validity as html_validity

pytestmark = pytest.mark.django_db

Status = Article.Status
REASON = "Legal: a court order bars naming the defendant."


def withdraw_url(article: Article) -> str:
    return reverse("admin:articles_article_withdraw", args=[article.pk])


def messages_of(response) -> list[tuple[int, str]]:
    return [(m.level, m.message) for m in get_messages(response.wsgi_request)]


# --- Withdrawing ------------------------------------------------------------------------


def test_editor_sees_the_withdraw_button_on_a_published_story(client, editor):
    article = ArticleFactory(published=True)
    client.force_login(editor)
    page = client.get(change_url(article)).content.decode()
    assert withdraw_url(article) in page
    assert "Withdraw…" in page


def test_the_withdraw_page_asks_for_the_reason(client, editor):
    article = ArticleFactory(published=True)
    client.force_login(editor)
    response = client.get(withdraw_url(article))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="reason"' in page
    assert "csrfmiddlewaretoken" in page
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.UNPUBLISHED])
def test_editor_withdraws_a_story_with_a_reason(client, editor, status):
    article = ArticleFactory(published=True)
    if status == Status.UNPUBLISHED:
        workflow.unpublish(article, editor)
    client.force_login(editor)
    response = client.post(withdraw_url(article), {"reason": f"  {REASON} "})
    assert response.status_code == 302
    assert response["Location"] == change_url(article)
    article.refresh_from_db()
    assert article.status == Status.WITHDRAWN
    assert article.withdrawal_reason == REASON
    assert article.withdrawn_at is not None
    last = article.transitions.order_by("-created_at", "-pk").first()
    assert (last.action, last.from_status, last.to_status, last.user, last.note) == (
        ArticleTransition.Action.WITHDRAWN,
        status,
        Status.WITHDRAWN,
        editor,
        REASON,
    )
    assert (SUCCESS, "Withdrawn: partners are told.") in messages_of(response)


def test_withdrawing_without_a_reason_shows_the_form_again_and_changes_nothing(client, editor):
    article = ArticleFactory(published=True)
    version = Article.objects.get(pk=article.pk).version
    client.force_login(editor)
    response = client.post(withdraw_url(article), {"reason": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.version == version
    assert not article.transitions.filter(action=ArticleTransition.Action.WITHDRAWN).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_reporter_may_not_withdraw_even_their_own_story(client, reporter, method):
    article = ArticleFactory(published=True, authors=[reporter])
    client.force_login(reporter)
    response = getattr(client, method)(withdraw_url(article), {"reason": REASON})
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.withdrawal_reason == ""


def test_reporter_sees_no_withdraw_button(client, reporter):
    article = ArticleFactory(published=True, authors=[reporter])
    client.force_login(reporter)
    assert withdraw_url(article) not in client.get(change_url(article)).content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_draft_cannot_be_withdrawn(client, editor, method):
    article = ArticleFactory()
    client.force_login(editor)
    assert withdraw_url(article) not in client.get(change_url(article)).content.decode()
    response = getattr(client, method)(withdraw_url(article), {"reason": REASON})
    assert response.status_code == 302
    assert response["Location"] == change_url(article)
    assert [level for level, _ in messages_of(response)] == [ERROR]
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert not article.transitions.filter(action=ArticleTransition.Action.WITHDRAWN).exists()


def test_a_withdrawn_story_cannot_be_withdrawn_again(client, editor):
    article = ArticleFactory(published=True)
    workflow.withdraw(article, editor, REASON)
    client.force_login(editor)
    response = client.post(withdraw_url(article), {"reason": "Another reason."})
    assert [level for level, _ in messages_of(response)] == [ERROR]
    article.refresh_from_db()
    assert article.withdrawal_reason == REASON


# --- A withdrawn story's form and the desk -----------------------------------------------


def test_a_withdrawn_story_opens_read_only_with_when_and_why(client, editor):
    article = ArticleFactory(published=True, headline="Withdrawn headline")
    workflow.withdraw(article, editor, REASON)
    client.force_login(editor)
    response = client.get(change_url(article))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="headline"' not in page
    assert "Withdrawn headline" in page
    assert "Withdrawn on " in page
    assert REASON in page
    assert withdraw_url(article) not in page


def test_a_withdrawn_story_refuses_a_crafted_save(client, editor):
    article = ArticleFactory(published=True, headline="As withdrawn")
    workflow.withdraw(article, editor, REASON)
    client.force_login(editor)
    data = article_form(article, headline="Changed after withdrawal", status=Status.PUBLISHED)
    response = client.post(change_url(article), data)
    assert response.status_code == 403
    article.refresh_from_db()
    assert (article.headline, article.status) == ("As withdrawn", Status.WITHDRAWN)


def test_the_desk_filters_withdrawn_stories_and_says_so(client, editor):
    withdrawn = ArticleFactory(published=True, headline="Taken down")
    workflow.withdraw(withdrawn, editor, REASON)
    ArticleFactory(published=True, headline="Still up")
    client.force_login(editor)
    response = client.get(CHANGELIST, {"status": Status.WITHDRAWN})
    assert list(response.context["cl"].result_list) == [withdrawn]
    page = response.content.decode()
    assert "Withdrawn" in page
    assert "Still up" not in page
    # Without a choice, withdrawn stories are on the desk with their state.
    everything = client.get(CHANGELIST)
    assert withdrawn in everything.context["cl"].result_list


# --- The embargo ------------------------------------------------------------------------


def test_editor_schedules_a_story_under_embargo(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    later = timezone.now() + timedelta(hours=3)
    data = article_form(article, status=Status.PUBLISHED, publish_at=later, embargoed="on")
    response = client.post(change_url(article), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.status, article.embargoed) == (Status.PUBLISHED, True)


@pytest.mark.parametrize("when", [None, timedelta(hours=-1)])
def test_an_embargo_needs_a_publish_time_in_the_future(client, editor, when):
    article = ArticleFactory()
    version = Article.objects.get(pk=article.pk).version
    client.force_login(editor)
    publish_at = None if when is None else timezone.now() + when
    data = article_form(article, status=Status.PUBLISHED, publish_at=publish_at, embargoed="on")
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "An embargo needs a publish time in the future" in errors["embargoed"][0]
    article.refresh_from_db()
    assert (article.status, article.embargoed, article.version) == (Status.DRAFT, False, version)


def test_a_released_embargo_stays_when_the_story_is_edited(client, editor):
    article = ArticleFactory(published=True, embargoed=True)
    client.force_login(editor)
    data = article_form(article, headline="Edited after release", embargoed="on")
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert (article.headline, article.embargoed) == ("Edited after release", True)


def test_partners_keep_an_embargo_they_hold_until_its_time(client, editor):
    later = timezone.now() + timedelta(hours=3)
    article = ArticleFactory(status=Status.PUBLISHED, publish_at=later, embargoed=True)
    version = Article.objects.get(pk=article.pk).version
    client.force_login(editor)
    data = article_form(article, status=Status.PUBLISHED, publish_at=later)  # Unticked.
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Partners hold this story under embargo already" in errors["embargoed"][0]
    article.refresh_from_db()
    assert (article.embargoed, article.version) == (True, version)
    # Moving the time keeps it, and partners hear of the new one.
    data = article_form(
        article, status=Status.PUBLISHED, publish_at=later + timedelta(hours=1), embargoed="on"
    )
    assert client.post(change_url(article), data).status_code == 302


def test_reporter_cannot_set_the_embargo(client, reporter):
    article = ArticleFactory(authors=[reporter], created_by=reporter)
    client.force_login(reporter)
    page = client.get(change_url(article)).content.decode()
    assert 'name="embargoed"' not in page
    data = article_form(article, headline="Own draft", embargoed="on")
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert (article.headline, article.embargoed) == ("Own draft", False)


# --- Valid HTML ---------------------------------------------------------------------------

vnu = html_validity.vnu


def test_the_withdraw_screens_are_valid_html(client, editor, vnu, tmp_path):
    published = ArticleFactory(published=True)
    withdrawn = ArticleFactory(published=True)
    workflow.withdraw(withdrawn, editor, REASON)
    client.force_login(editor)
    responses = {
        "published-form": client.get(change_url(published)),
        "withdraw": client.get(withdraw_url(published)),
        "withdraw-error": client.post(withdraw_url(published), {"reason": ""}),
        "withdrawn-form": client.get(change_url(withdrawn)),
    }
    files = []
    for name, response in responses.items():
        assert response.status_code == 200, name
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(response.content)
    assert html_validity.check(vnu, files) == {}
