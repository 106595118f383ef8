"""The topic stream: each topic link carries its story's publish time, kept by the database."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, ArticleTopic
from tests.factories import ArticleFactory, TopicFactory

pytestmark = pytest.mark.django_db


def link_times(article: Article) -> set:
    return set(
        ArticleTopic.objects.filter(content_object=article).values_list("publish_at", flat=True)
    )


def test_a_new_link_takes_its_published_story_s_time():
    article = ArticleFactory(published=True, topics=["Energy", "Grid"])
    assert link_times(article) == {article.publish_at}


def test_a_draft_s_links_have_no_time():
    assert link_times(ArticleFactory(topics=["Energy"])) == {None}


def test_publishing_unpublishing_and_rescheduling_move_the_links():
    article = ArticleFactory(topics=["Energy"])
    later = timezone.now() + timedelta(hours=3)
    Article.objects.filter(pk=article.pk).update(status="published", publish_at=later,
                                                 first_published_at=later)  # fmt: skip
    assert link_times(article) == {later}
    Article.objects.filter(pk=article.pk).update(status="unpublished")
    assert link_times(article) == {None}


def test_a_topic_lists_its_public_stories_newest_first_from_the_stream():
    topic = TopicFactory(name="Energy")
    older = ArticleFactory(
        status="published", publish_at=timezone.now() - timedelta(days=2), topics=[topic]
    )
    newer = ArticleFactory(published=True, topics=[topic])
    ArticleFactory(topics=[topic])  # a draft
    ArticleFactory(
        status="published", publish_at=timezone.now() + timedelta(hours=1), topics=[topic]
    )
    assert list(Article.objects.published().in_topic(topic)) == [newer, older]


def test_a_merge_keeps_the_stream_right():
    from moderation import actions
    from tests.factories import UserFactory

    target, duplicate = TopicFactory(name="Russia"), TopicFactory(name="Russian Federation")
    article = ArticleFactory(published=True, topics=[duplicate])
    moderator = UserFactory(groups=["Topic moderators"])
    actions.merge(moderator, target, [duplicate])
    assert list(Article.objects.published().in_topic(target)) == [article]


def test_a_page_of_a_topic_is_the_same_window_of_its_public_stories():
    topic = TopicFactory(name="Energy")
    now = timezone.now()
    for n in range(30):
        ArticleFactory(status="published", publish_at=now - timedelta(hours=n), topics=[topic])
        if n % 5 == 0:  # Drafts, scheduled and taken-down stories in between.
            ArticleFactory(topics=[topic])
            ArticleFactory(status="published", publish_at=now + timedelta(hours=n + 1),
                           topics=[topic])  # fmt: skip
            gone = ArticleFactory(
                status="published", publish_at=now - timedelta(hours=n, minutes=30), topics=[topic]
            )
            Article.objects.filter(pk=gone.pk).update(status="unpublished")
    stories = Article.objects.published()
    every = list(stories.in_topic(topic))
    assert len(every) == 30
    pages = stories.in_topic_pages(topic)
    assert pages[0:11] == every[0:11]
    assert pages[20:31] == every[20:30]
    assert pages[40:51] == []


def test_a_page_of_a_topic_is_read_from_the_stream_index_alone(django_assert_num_queries):
    topic = TopicFactory(name="Energy")
    for _ in range(3):
        ArticleFactory(published=True, topics=[topic])
    with django_assert_num_queries(1) as captured:
        Article.objects.published().in_topic_pages(topic)[1:3]
    (query,) = captured.captured_queries
    # The window is taken inside the stream subquery, not over the stories.
    assert "OFFSET 1 LIMIT 2" in " ".join(query["sql"].split())
    assert not query["sql"].rstrip().endswith(("LIMIT 2", "OFFSET 1"))


def test_a_window_of_a_topic_s_stories_is_the_slice_asked_for():
    topic = TopicFactory(name="Energy")
    now = timezone.now()
    stories = [
        ArticleFactory(published=True, topics=[topic], publish_at=now - timedelta(hours=n))
        for n in range(1, 6)
    ]
    pages = Article.objects.published().in_topic_pages(topic)
    assert pages[0:2] == stories[0:2]
    assert pages[3:10] == stories[3:5]
    assert pages[1:] == stories[1:]
    assert pages[5:8] == []
    with pytest.raises(ValueError):
        pages[-2:]
