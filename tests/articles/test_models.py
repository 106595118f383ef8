from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles import workflow
from articles.models import Article, slug_from_headline
from tests.factories import ArticleFactory, SectionFactory, SourceFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_slug_is_made_from_the_headline():
    article = ArticleFactory(headline="Grain corridor: ships leave Odesa")
    assert article.slug == "grain-corridor-ships-leave-odesa"


def test_slug_keeps_cyrillic_letters():
    assert slug_from_headline("Вишиванка у Львові") == "вишиванка-у-львові"


def test_slug_of_a_headline_without_letters_is_still_usable():
    assert slug_from_headline("!!!") == "story"


def test_long_slug_is_cut_at_a_word_boundary():
    slug = slug_from_headline("word " * 60)
    assert len(slug) <= 120
    assert not slug.endswith("-")
    assert slug.endswith("word")


def test_publishing_without_a_time_publishes_now(editor):
    article = ArticleFactory()
    article.status = Article.Status.PUBLISHED
    workflow.save(article, editor)
    assert article.publish_at is not None
    assert article.first_published_at == article.publish_at


def test_first_publication_follows_a_rescheduled_story_until_it_goes_public():
    article = ArticleFactory(
        status=Article.Status.PUBLISHED, publish_at=timezone.now() + timedelta(hours=3)
    )
    article.publish_at = timezone.now() + timedelta(hours=5)
    article.save()
    assert article.first_published_at == article.publish_at


def test_first_publication_never_moves_once_public():
    article = ArticleFactory(published=True)
    first = article.first_published_at
    article.status = Article.Status.UNPUBLISHED
    article.save()
    article.status = Article.Status.PUBLISHED
    article.publish_at = timezone.now()
    article.save()
    assert article.first_published_at == first


def test_body_is_sanitised_on_save():
    article = ArticleFactory(
        body='<p onclick="steal()">Text<script>alert(1)</script>'
        '<a href="javascript:alert(1)">link</a></p><img src=x onerror=alert(1)>'
    )
    article.refresh_from_db()
    assert "script" not in article.body
    assert "onclick" not in article.body
    assert "javascript:" not in article.body
    assert "onerror" not in article.body
    assert article.body.startswith("<p>Text")


def test_body_keeps_editorial_markup():
    html = (
        '<h2>Reaction</h2><p>The <a href="https://www.coe.int/">Council</a> said:</p>'
        "<blockquote><p>“Access must be granted.”</p></blockquote><ul><li>one</li></ul>"
    )
    article = ArticleFactory(body=html)
    assert article.body == html


def test_database_refuses_a_published_article_without_publish_time():
    article = ArticleFactory()
    with (
        pytest.raises(IntegrityError, match="article_published_has_publish_at"),
        transaction.atomic(),
    ):
        Article.objects.filter(pk=article.pk).update(
            status=Article.Status.PUBLISHED, first_published_at=timezone.now()
        )


def test_database_refuses_an_unknown_status():
    article = ArticleFactory()
    with pytest.raises(IntegrityError, match="article_status_valid"), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(status="archived")


def test_database_refuses_an_empty_slug():
    article = ArticleFactory()
    with pytest.raises(IntegrityError, match="article_slug_not_empty"), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(slug="")


def test_source_names_are_unique_ignoring_case():
    SourceFactory(name="Ukrinform", slug="ukrinform")
    with pytest.raises(IntegrityError, match="source_name_ci_unique"), transaction.atomic():
        SourceFactory(name="UKRINFORM", slug="ukrinform-2")


def test_section_names_are_unique_ignoring_case():
    SectionFactory(name="World", slug="world")
    with pytest.raises(IntegrityError, match="section_name_ci_unique"), transaction.atomic():
        SectionFactory(name="world", slug="world-2")


def test_topic_names_are_unique_ignoring_case_in_the_database():
    TopicFactory(name="Russia")
    with pytest.raises(IntegrityError, match="topic_name_normal_unique"), transaction.atomic():
        TopicFactory(name="RUSSIA", slug="russia-2")


def test_tagging_reuses_a_topic_whatever_its_case():
    first = ArticleFactory(topics=["Russia"])
    second = ArticleFactory(topics=["russia"])
    assert list(first.topics.all()) == list(second.topics.all())
    assert second.topics.get().name == "Russia"


def test_topic_slug_keeps_cyrillic_letters():
    assert TopicFactory(name="Вишиванка").slug == "вишиванка"


def test_topic_slug_collision_gets_a_suffix():
    TopicFactory(name="C.P.T.")
    assert TopicFactory(name="CPT").slug == "cpt-1"


def test_article_topics_are_linked_once():
    article = ArticleFactory(topics=["Energy"])
    article.topics.add("Energy", "energy")
    assert article.topic_links.count() == 1
