"""Every save keeps a revision; revisions are compared and restored in the admin."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles import revisions, workflow
from articles.models import Article
from tests.articles.admin_forms import ADD, article_form, change_url, new_article_form
from tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db


def saved_in_admin(client, user, article, **changes) -> Article:
    client.force_login(user)
    response = client.post(change_url(article), article_form(article, **changes))
    assert response.status_code == 302, response.context and response.context["errors"]
    return Article.objects.get(pk=article.pk)


def snapshots(article) -> list[revisions.Snapshot]:
    """The story's revisions, oldest first."""
    return [revisions.Snapshot(v) for v in reversed(revisions.versions_of(article))]


def test_an_admin_save_keeps_a_revision_with_its_author_fields_and_topics(client, editor):
    article = ArticleFactory(topics=["Energy"])
    saved_in_admin(client, editor, article, headline="New headline", topics="Energy, Grid")
    [snapshot] = snapshots(article)
    assert snapshot.user == editor
    assert snapshot.values["headline"] == "New headline"
    names = revisions.Names([snapshot]).topics(snapshot.topic_ids)
    assert names == ["Energy", "Grid"]


def test_creating_a_story_in_the_admin_keeps_its_first_revision(client, reporter):
    client.force_login(reporter)
    assert client.post(ADD, new_article_form()).status_code == 302
    [snapshot] = snapshots(Article.objects.get())
    assert snapshot.version.revision.comment == "Created"


def test_a_workflow_action_keeps_a_revision_saying_what_it_did(editor):
    article = ArticleFactory(status=Article.Status.IN_REVIEW)
    workflow.publish(article, editor)
    [snapshot] = snapshots(article)
    assert (snapshot.user, snapshot.version.revision.comment) == (editor, "Published")


def test_import_story_keeps_a_revision(tmp_path):
    SourceFactory(slug="ukrinform")
    story = tmp_path / "wire.txt"
    story.write_text("Headline from the wire\nFirst paragraph.\n", encoding="utf-8")
    call_command("import_story", "--source", "ukrinform", str(story), stdout=io.StringIO())
    [snapshot] = snapshots(Article.objects.get())
    assert snapshot.version.revision.comment == "Imported from wire.txt"


def test_the_diff_marks_removed_and_added_words(client, editor):
    article = ArticleFactory(body="<p>The ship left at dawn.</p>")
    saved_in_admin(client, editor, article)
    saved_in_admin(client, editor, article, body="<p>The ship left at noon.</p>")
    old, new = snapshots(article)
    [change] = revisions.compare(old, new)
    assert change.label == "Body"
    assert "<del>dawn.</del><ins>noon.</ins>" in change.diff


def test_the_diff_escapes_what_it_shows(client, editor):
    article = ArticleFactory(headline="Plain headline")
    saved_in_admin(client, editor, article)
    saved_in_admin(client, editor, article, headline="<script>alert(1)</script> headline")
    old, new = snapshots(article)
    [change] = revisions.compare(old, new)
    assert "<script>" not in change.diff
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in change.diff


def test_the_compare_page_shows_the_changes_between_two_revisions(client, editor):
    article = ArticleFactory(headline="Ships wait at Odesa")
    saved_in_admin(client, editor, article)
    saved_in_admin(client, editor, article, headline="Ships leave Odesa")
    old, new = snapshots(article)
    response = client.get(
        reverse("admin:articles_article_compare", args=[article.pk]),
        {"from": old.version.pk, "to": new.version.pk},
    )
    content = response.content.decode()
    assert "<del>wait at</del>" in content
    assert "<ins>leave</ins>" in content


def test_the_revisions_page_lists_every_revision(client, editor):
    article = ArticleFactory()
    saved_in_admin(client, editor, article, headline="One")
    saved_in_admin(client, editor, article, headline="Two")
    response = client.get(reverse("admin:articles_article_revisions", args=[article.pk]))
    assert len(response.context["versions"]) == 2


def test_restoring_brings_back_the_text_and_topics(client, editor):
    article = ArticleFactory(headline="Before", topics=["Energy"])
    saved_in_admin(client, editor, article)
    saved_in_admin(client, editor, article, headline="After", topics="Grid")
    first, _ = snapshots(article)
    response = client.post(
        reverse("admin:articles_article_restore", args=[article.pk, first.version.pk])
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "Before"
    assert sorted(article.topics.names()) == ["Energy"]


def test_restoring_is_itself_a_new_revision(client, editor):
    article = ArticleFactory(headline="Before")
    saved_in_admin(client, editor, article)
    saved_in_admin(client, editor, article, headline="After")
    first, _ = snapshots(article)
    client.post(reverse("admin:articles_article_restore", args=[article.pk, first.version.pk]))
    latest = snapshots(article)[-1]
    assert len(snapshots(article)) == 3
    assert latest.values["headline"] == "Before"
    assert latest.version.revision.comment.startswith("Restored the revision of")


def test_restoring_never_changes_the_state(client, editor):
    article = ArticleFactory(headline="Draft words")
    saved_in_admin(client, editor, article)
    workflow.publish(article, editor)
    first = snapshots(article)[0]
    client.post(reverse("admin:articles_article_restore", args=[article.pk, first.version.pk]))
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED


def test_a_reporter_cannot_restore_a_published_story(client, editor, reporter):
    article = ArticleFactory(published=True, authors=[reporter], headline="Before")
    saved_in_admin(client, editor, article)
    saved_in_admin(client, editor, article, headline="After")
    first, _ = snapshots(article)
    client.force_login(reporter)
    client.post(reverse("admin:articles_article_restore", args=[article.pk, first.version.pk]))
    assert Article.objects.get(pk=article.pk).headline == "After"


def test_a_revision_of_another_story_cannot_be_restored(client, editor):
    article, other = ArticleFactory(), ArticleFactory()
    saved_in_admin(client, editor, other)
    [snapshot] = snapshots(other)
    url = reverse("admin:articles_article_restore", args=[article.pk, snapshot.version.pk])
    assert client.post(url).status_code == 404
