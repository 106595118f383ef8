"""Previews: any state of a story as readers will see it, for its people and by signed link."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles import previews, workflow
from articles.models import Article, PreviewLink
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def preview_url(article) -> str:
    return reverse("admin:articles_article_preview", args=[article.pk])


@pytest.fixture
def draft(reporter):
    return ArticleFactory(headline="Embargoed grain deal", authors=[reporter])


@pytest.fixture
def link(draft, editor):
    return previews.create(draft, editor, "1d", "legal review")


def shared_url(link) -> str:
    return reverse("articles:shared_preview", kwargs={"token": previews.token_for(link)})


def test_an_editor_previews_a_draft_as_readers_will_see_it(client, editor, draft):
    client.force_login(editor)
    response = client.get(preview_url(draft))
    assert response.status_code == 200
    assert "articles/article_detail.html" in [template.name for template in response.templates]
    assert "<h1>Embargoed grain deal</h1>" in response.content.decode()


def test_the_author_previews_own_draft(client, reporter, draft):
    client.force_login(reporter)
    assert client.get(preview_url(draft)).status_code == 200


def test_another_reporter_cannot_preview_a_draft(client, draft):
    client.force_login(UserFactory(groups=["Reporters"]))
    assert client.get(preview_url(draft)).status_code == 403


def test_a_topic_moderator_cannot_preview_a_draft(client, moderator, draft):
    client.force_login(moderator)
    assert client.get(preview_url(draft)).status_code == 403


def test_a_preview_is_never_indexed(client, editor, draft):
    client.force_login(editor)
    response = client.get(preview_url(draft))
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_preview_is_never_cached(client, editor, draft):
    client.force_login(editor)
    response = client.get(preview_url(draft))
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert not response.has_header("ETag")


def test_a_preview_shows_the_latest_text_at_once(client, editor, draft):
    client.force_login(editor)
    client.get(preview_url(draft))
    Article.objects.filter(pk=draft.pk).update(headline="Grain deal signed")
    assert "<h1>Grain deal signed</h1>" in client.get(preview_url(draft)).content.decode()


def test_a_preview_link_shows_the_draft_without_an_account(client, link):
    response = client.get(shared_url(link))
    assert response.status_code == 200
    assert "<h1>Embargoed grain deal</h1>" in response.content.decode()


def test_a_preview_link_page_is_private_and_never_indexed(client, link):
    response = client.get(shared_url(link))
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"


def test_a_preview_link_is_never_kept_by_the_front_cache(client, link):
    response = client.get(shared_url(link))
    assert response["Cache-Control"].startswith("max-age=0")
    assert "Surrogate-Key" not in response


def test_a_tampered_preview_link_answers_404(client, link):
    token = previews.token_for(link)
    assert (
        client.get(reverse("articles:shared_preview", args=[token[:-2] + "xx"])).status_code == 404
    )
    assert client.get(reverse("articles:shared_preview", args=["not-a-token"])).status_code == 404


def test_an_expired_preview_link_answers_410(client, link):
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        response = client.get(shared_url(link))
    assert response.status_code == 410
    assert "has expired" in response.content.decode()


def test_a_preview_link_works_until_its_last_minute(client, link):
    with time_machine.travel(timezone.now() + timedelta(hours=23, minutes=59)):
        assert client.get(shared_url(link)).status_code == 200


def test_a_revoked_preview_link_answers_410(client, link, editor):
    previews.revoke(link, editor)
    response = client.get(shared_url(link))
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def test_a_preview_link_of_a_deleted_story_stops_working(client, link, editor, draft):
    workflow.delete(draft, editor)
    assert client.get(shared_url(link)).status_code == 410


def test_an_editor_makes_a_preview_link_in_the_admin(client, editor, draft):
    client.force_login(editor)
    url = reverse("admin:articles_article_preview_links", args=[draft.pk])
    response = client.post(url, {"lifetime": "1h", "note": "Minister's office"}, follow=True)
    link = PreviewLink.objects.get()
    assert link.expires_at - link.created_at == timedelta(hours=1)
    assert previews.url_for(link) in response.content.decode()


def test_an_editor_revokes_a_preview_link_in_the_admin(client, editor, link):
    client.force_login(editor)
    url = reverse("admin:articles_article_preview_links", args=[link.article_id])
    client.post(url, {"revoke": link.pk})
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_a_reporter_cannot_make_preview_links(client, reporter, draft):
    client.force_login(reporter)
    url = reverse("admin:articles_article_preview_links", args=[draft.pk])
    assert client.post(url, {"lifetime": "7d"}).status_code == 403
    assert not PreviewLink.objects.exists()
