"""The newsdesk in the admin: lists, forms and who may publish."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import ArticleFactory, SectionFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")
ADD = reverse("admin:articles_article_add")


def article_form(**overrides) -> dict:
    data = {
        "headline": "Grain ships leave Odesa",
        "slug": "",
        "standfirst": "Three ships left port.",
        "body": "<p>Three ships left port in the morning.</p>",
        "dateline": "Odesa",
        "source": SourceFactory().pk,
        "source_url": "",
        "section": SectionFactory().pk,
        "topics": "Grain exports, Odesa",
        "status": "draft",
    }
    for inline in ("pins", "corrections"):
        data |= {f"{inline}-TOTAL_FORMS": "0", f"{inline}-INITIAL_FORMS": "0"}
    data.update(overrides)
    return data


def test_editor_sees_the_desk_with_a_fixed_number_of_queries(
    client, editor, django_assert_max_num_queries
):
    for _ in range(30):
        ArticleFactory(published=True, authors=UserFactory.create_batch(2))
    client.force_login(editor)
    with django_assert_max_num_queries(12) as captured:
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    baseline = len(captured)
    for _ in range(30):
        ArticleFactory(authors=UserFactory.create_batch(3))
    with django_assert_max_num_queries(baseline):
        assert client.get(CHANGELIST).status_code == 200


def test_changelist_filters_and_search_answer(client, editor):
    ArticleFactory(headline="Ukrenergo repairs", published=True)
    client.force_login(editor)
    assert client.get(CHANGELIST, {"status__exact": "published"}).status_code == 200
    response = client.get(CHANGELIST, {"q": "Ukrenergo"})
    assert "Ukrenergo repairs" in response.content.decode()


def test_changelist_shows_scheduled_stories_as_scheduled(client, editor):
    from datetime import timedelta

    from django.utils import timezone

    ArticleFactory(status="published", publish_at=timezone.now() + timedelta(hours=3))
    client.force_login(editor)
    assert "Scheduled" in client.get(CHANGELIST).content.decode()


def test_reporter_creates_a_draft(client, reporter):
    client.force_login(reporter)
    response = client.post(ADD, article_form(authors=[reporter.pk]))
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert set(article.topics.names()) == {"Grain exports", "Odesa"}


def test_reporter_can_send_a_draft_for_review(client, reporter):
    client.force_login(reporter)
    assert client.post(ADD, article_form(status="review")).status_code == 302
    assert Article.objects.get().status == Article.Status.IN_REVIEW


def test_reporter_cannot_publish_with_a_crafted_post(client, reporter):
    client.force_login(reporter)
    response = client.post(
        ADD, article_form(status="published", publish_at_0="2026-01-01", publish_at_1="10:00")
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Article.objects.exists()


def test_reporter_cannot_change_a_published_story(client, reporter):
    article = ArticleFactory(published=True, headline="Original")
    client.force_login(reporter)
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(url, article_form(headline="Changed", status="draft"))
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.headline == "Original"
    assert article.status == Article.Status.PUBLISHED


def test_editor_publishes_a_story(client, editor):
    client.force_login(editor)
    response = client.post(
        ADD, article_form(status="published", publish_at_0="2026-01-01", publish_at_1="10:00")
    )
    assert response.status_code == 302
    assert Article.objects.published().count() == 1


def test_moderator_cannot_write_stories(client, moderator):
    client.force_login(moderator)
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, article_form()).status_code == 403
    assert not Article.objects.exists()


def test_reporter_cannot_delete_stories(client, reporter):
    article = ArticleFactory(authors=[reporter])
    client.force_login(reporter)
    url = reverse("admin:articles_article_delete", args=[article.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


@pytest.mark.parametrize(
    "name",
    [
        "admin:sources_source_changelist",
        "admin:topics_topic_changelist",
        "admin:articles_section_changelist",
    ],
)
def test_vocabulary_lists_answer_with_a_fixed_number_of_queries(
    client, admin_user, django_assert_max_num_queries, name
):
    for _ in range(10):
        ArticleFactory(topics=["Energy", "Ukraine"])
    client.force_login(admin_user)
    with django_assert_max_num_queries(8):
        assert client.get(reverse(name)).status_code == 200


def test_groups_are_created_by_migrations_with_their_permissions(groups):
    def perms(name):
        return {f"{p.content_type.app_label}.{p.codename}" for p in groups[name].permissions.all()}

    assert set(groups) >= {"Reporters", "Editors", "Topic moderators"}
    assert "articles.publish_article" in perms("Editors")
    assert "articles.publish_article" not in perms("Reporters")
    assert "articles.delete_article" not in perms("Reporters")
    assert "topics.change_topic" in perms("Topic moderators")
    assert not {p for p in perms("Topic moderators") if p.endswith("_article")} - {
        "articles.view_article"
    }


def test_editor_pins_a_story_and_adds_a_correction_from_the_article_form(client, editor):
    from datetime import timedelta

    from django.utils import timezone

    from articles.models import Correction, Pin

    article = ArticleFactory(published=True, headline="Ukrenergo repairs")
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    ends = timezone.localtime(timezone.now() + timedelta(days=1))
    data = article_form(
        headline=article.headline,
        status="published",
        publish_at_0=timezone.localtime(article.publish_at).strftime("%Y-%m-%d"),
        publish_at_1=timezone.localtime(article.publish_at).strftime("%H:%M:%S"),
        **{
            "pins-TOTAL_FORMS": "1",
            "pins-0-section": "",
            "pins-0-position": "0",
            "pins-0-ends_at_0": ends.strftime("%Y-%m-%d"),
            "pins-0-ends_at_1": ends.strftime("%H:%M:%S"),
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-published_at_0": ends.strftime("%Y-%m-%d"),
            "corrections-0-published_at_1": "09:00:00",
            "corrections-0-note": "An earlier version gave the wrong date.",
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    pin = Pin.objects.get()
    assert (pin.article, pin.section, pin.created_by) == (article, None, editor)
    assert Correction.objects.get().created_by == editor


def test_reporter_cannot_pin_or_correct_with_a_crafted_post(client, reporter):
    from articles.models import Correction, Pin

    client.force_login(reporter)
    data = article_form(
        **{
            "pins-TOTAL_FORMS": "1",
            "pins-0-position": "0",
            "pins-0-ends_at_0": "2030-01-01",
            "pins-0-ends_at_1": "10:00",
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-note": "Sneaky",
        }
    )
    client.post(ADD, data)
    assert not Pin.objects.exists()
    assert not Correction.objects.exists()


def test_pin_list_is_for_editors_only(client, editor, reporter):
    url = reverse("admin:articles_pin_changelist")
    client.force_login(reporter)
    assert client.get(url).status_code == 403
    client.force_login(editor)
    assert client.get(url).status_code == 200
