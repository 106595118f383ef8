"""The one visibility rule: published, and its publish time has come."""

from datetime import timedelta

import pytest
import time_machine
from django.db.models import Count
from django.utils import timezone

from articles.models import Article, published_q
from tests.factories import ArticleFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_published_article_in_the_past_is_public():
    article = ArticleFactory(published=True)
    assert list(Article.objects.published()) == [article]


def test_draft_is_not_public():
    ArticleFactory(status=Article.Status.DRAFT)
    assert not Article.objects.published().exists()


def test_article_in_review_is_not_public():
    ArticleFactory(status=Article.Status.IN_REVIEW)
    assert not Article.objects.published().exists()


def test_unpublished_article_is_not_public():
    ArticleFactory(status=Article.Status.UNPUBLISHED, publish_at=timezone.now() - timedelta(days=1))
    assert not Article.objects.published().exists()


def test_scheduled_article_is_not_public_before_its_time():
    ArticleFactory(
        status=Article.Status.PUBLISHED, publish_at=timezone.now() + timedelta(minutes=5)
    )
    assert not Article.objects.published().exists()
    assert Article.objects.scheduled().count() == 1


def test_scheduled_article_becomes_public_at_its_time_without_any_worker():
    publish_at = timezone.now() + timedelta(hours=2)
    article = ArticleFactory(status=Article.Status.PUBLISHED, publish_at=publish_at)
    with time_machine.travel(publish_at - timedelta(seconds=1)):
        assert not Article.objects.published().exists()
    with time_machine.travel(publish_at):
        assert list(Article.objects.published()) == [article]


def test_published_q_counts_only_public_articles_through_a_relation():
    topic = TopicFactory(name="Energy")
    ArticleFactory(published=True, topics=[topic])
    ArticleFactory(topics=[topic])
    ArticleFactory(
        status=Article.Status.PUBLISHED,
        publish_at=timezone.now() + timedelta(days=1),
        topics=[topic],
    )
    counted = (
        type(topic)
        .objects.annotate(
            public=Count("article_links", filter=published_q("article_links__content_object__"))
        )
        .get(pk=topic.pk)
    )
    assert counted.public == 1
