"""No lost work: optimistic locking of the story form, and who has a story open."""

import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article
from articles.workflow import EditConflict
from tests.articles.admin_forms import article_form, change_url
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(db):
    return UserFactory(
        username="editor-2", first_name="Olena", last_name="Kovalenko", groups=["Editors"]
    )


@pytest.fixture
def opened_then_changed(client, editor, colleague):
    """The editor opens a story; meanwhile a colleague saves a change to it."""
    article = ArticleFactory(headline="Original headline", body="<p>Original text.</p>")
    form = article_form(article)  # What the editor's browser holds.
    client.force_login(colleague)
    assert (
        client.post(
            change_url(article), article_form(article, headline="Colleague's headline")
        ).status_code
        == 302
    )
    client.force_login(editor)
    return article, form


def test_a_stale_save_is_refused_and_changes_nothing(client, opened_then_changed):
    article, form = opened_then_changed
    response = client.post(change_url(article), {**form, "body": "<p>My rewrite.</p>"})
    assert response.status_code == 200
    stored = Article.objects.get(pk=article.pk)
    assert stored.headline == "Colleague's headline"
    assert stored.body == "<p>Original text.</p>"


def test_a_stale_save_names_who_changed_the_story_and_when(client, opened_then_changed):
    article, form = opened_then_changed
    response = client.post(change_url(article), {**form, "body": "<p>My rewrite.</p>"})
    message = " ".join(str(e) for e in response.context["adminform"].form.non_field_errors())
    changed_at = timezone.localtime(Article.objects.get(pk=article.pk).updated_at)
    assert "Olena Kovalenko changed this story" in message
    assert changed_at.strftime("%Y") in message
    assert "Nothing was overwritten" in message


def test_a_stale_save_keeps_the_second_persons_text_in_the_form(client, opened_then_changed):
    article, form = opened_then_changed
    response = client.post(change_url(article), {**form, "body": "<p>My rewrite.</p>"})
    assert "My rewrite." in response.content.decode()


def test_saving_the_current_version_goes_through_and_counts_up(client, editor):
    article = ArticleFactory()
    first_version = article.version
    client.force_login(editor)
    client.post(change_url(article), article_form(article, headline="First edit"))
    client.post(change_url(article), article_form(article, headline="Second edit"))
    stored = Article.objects.get(pk=article.pk)
    assert (stored.headline, stored.version) == ("Second edit", first_version + 2)


def test_saving_a_copy_loaded_before_another_save_raises(editor):
    article = ArticleFactory()
    stale = Article.objects.get(pk=article.pk)
    article.headline = "Saved first"
    workflow.save(article, editor)
    stale.headline = "Saved second"
    with pytest.raises(EditConflict):
        workflow.save(stale, editor)
    assert Article.objects.get(pk=article.pk).headline == "Saved first"


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_of_one_version_cannot_both_win(monkeypatch):
    article = ArticleFactory(headline="Original")
    write = Article.save_base

    def slow_write(self, *args, **kwargs):
        time.sleep(0.3)  # Between the version check and the write: the race's window.
        return write(self, *args, **kwargs)

    monkeypatch.setattr(Article, "save_base", slow_write)
    loaded = threading.Barrier(2)
    outcomes = []

    def save(headline: str) -> None:
        try:
            copy = Article.objects.get(pk=article.pk)
            loaded.wait(timeout=10)  # Both hold the same version before either saves.
            copy.headline = headline
            workflow.save(copy, None)
            outcomes.append("saved")
        except EditConflict:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(h,)) for h in ("First", "Second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["refused", "saved"]
    assert Article.objects.get(pk=article.pk).version == article.version + 1


@pytest.mark.django_db(transaction=True)
def test_a_save_between_the_forms_check_and_its_save_shows_the_conflict(
    client, editor, colleague, monkeypatch
):
    """The form's check reads the story unlocked; the save locks and checks again."""
    from articles.admin_forms import ArticleAdminForm

    article = ArticleFactory(headline="Original")
    check = ArticleAdminForm.clean
    calls = []

    def colleague_saves_meanwhile(form):
        calls.append(form)
        cleaned = check(form)
        if len(calls) == 1:
            # In another connection, committed: as a second editor would.
            thread = threading.Thread(target=save_as_colleague)
            thread.start()
            thread.join(timeout=30)
        return cleaned

    def save_as_colleague() -> None:
        try:
            copy = Article.objects.get(pk=article.pk)
            copy.headline = "Colleague's headline"
            workflow.save(copy, colleague)
        finally:
            connection.close()

    monkeypatch.setattr(ArticleAdminForm, "clean", colleague_saves_meanwhile)
    client.force_login(editor)
    response = client.post(change_url(article), article_form(article, headline="Mine"))
    assert response.status_code == 200
    message = " ".join(str(e) for e in response.context["adminform"].form.non_field_errors())
    assert "Olena Kovalenko changed this story" in message
    assert "Mine" in response.content.decode()  # The editor's text is still in the form.
    stored = Article.objects.get(pk=article.pk)
    assert (stored.headline, stored.version) == ("Colleague's headline", article.version + 1)
    assert len(calls) == 2


def test_opening_a_story_shows_who_else_has_it_open(client, editor, colleague):
    article = ArticleFactory()
    client.force_login(colleague)
    client.get(change_url(article))
    client.force_login(editor)
    content = client.get(change_url(article)).content.decode()
    assert "Being edited by Olena Kovalenko" in content


def test_nobody_else_editing_shows_no_warning(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    client.get(change_url(article))
    response = client.get(change_url(article))
    assert response.context["presence_text"] == ""


def test_presence_lapses_without_a_heartbeat(client, editor, colleague):
    article = ArticleFactory()
    client.force_login(colleague)
    client.get(change_url(article))
    client.force_login(editor)
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert client.get(change_url(article)).context["presence_text"] == ""


def test_the_heartbeat_keeps_presence_and_reports_others(client, editor, colleague):
    article = ArticleFactory()
    url = reverse("admin:articles_article_presence", args=[article.pk])
    client.force_login(colleague)
    client.get(change_url(article))
    later = timezone.now() + timedelta(seconds=80)
    with time_machine.travel(later - timedelta(seconds=40)):
        client.post(url)  # The colleague's page is still open.
    client.force_login(editor)
    with time_machine.travel(later):
        response = client.post(url)
    assert response.json()["editing"].startswith("Being edited by Olena Kovalenko")


def test_leaving_the_page_clears_presence(client, editor, colleague):
    article = ArticleFactory()
    url = reverse("admin:articles_article_presence", args=[article.pk])
    client.force_login(colleague)
    client.get(change_url(article))
    assert client.post(url, {"leave": "1"}).status_code == 204
    client.force_login(editor)
    assert client.post(url).json()["editing"] == ""


def test_the_heartbeat_answers_only_post(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    url = reverse("admin:articles_article_presence", args=[article.pk])
    assert client.get(url).status_code == 405
