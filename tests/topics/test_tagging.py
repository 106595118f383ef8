"""Tagging through taggit's manager: names resolve through the vocabulary; new ones are
proposals."""

import pytest
from django.db.models import Prefetch

from articles.models import Article
from tests.factories import ArticleFactory, TopicFactory, UserFactory
from topics.models import Topic, TopicAlias
from topics.tagging import proposals_by

pytestmark = pytest.mark.django_db


def test_tagging_with_an_alias_attaches_its_topic():
    russia = TopicFactory(name="Russia")
    TopicAlias.objects.create(name="Russian Federation", topic=russia)
    article = ArticleFactory()
    article.topics.add("Russian Federation")
    assert list(article.topics.all()) == [russia]


def test_setting_topics_resolves_aliases_too():
    russia = TopicFactory(name="Russia")
    TopicAlias.objects.create(name="Russian Federation", topic=russia)
    article = ArticleFactory()
    article.topics.set(["russian federation", "Russia"])
    assert list(article.topics.all()) == [russia]


def test_an_alias_resolves_whatever_its_case_accents_and_spaces():
    russia = TopicFactory(name="Russia")
    TopicAlias.objects.create(name="Russian Federation", topic=russia)
    assert Topic.objects.resolve(["  RUSSIAN  féderation "]) == {"  RUSSIAN  féderation ": russia}


def test_tagging_reuses_the_topic_with_the_same_normal_form():
    human_rights = TopicFactory(name="Human rights")
    article = ArticleFactory()
    article.topics.add("HUMAN  RIGHTS ")
    assert list(article.topics.all()) == [human_rights]
    assert Topic.objects.count() == 1


def test_an_unknown_name_becomes_a_pending_proposal():
    article = ArticleFactory()
    article.topics.add("Grain corridor")
    topic = Topic.objects.get(name="Grain corridor")
    assert topic.status == Topic.Status.PENDING
    assert topic.proposed_by is None


def test_a_proposal_records_who_proposed_it():
    writer = UserFactory()
    article = ArticleFactory()
    with proposals_by(writer):
        article.topics.add("Grain corridor")
    assert Topic.objects.get(name="Grain corridor").proposed_by == writer


def test_tag_kwargs_set_the_fields_of_new_topics_only():
    pending = TopicFactory(name="Energy", status=Topic.Status.PENDING)
    article = ArticleFactory()
    article.topics.add("Energy", "Grid", tag_kwargs={"status": Topic.Status.APPROVED})
    assert Topic.objects.get(name="Grid").status == Topic.Status.APPROVED
    pending.refresh_from_db()
    assert pending.status == Topic.Status.PENDING  # Found, not changed.


def test_removing_by_an_alias_removes_its_topic():
    russia = TopicFactory(name="Russia")
    TopicAlias.objects.create(name="Russian Federation", topic=russia)
    article = ArticleFactory(topics=[russia])
    article.topics.remove("Russian Federation")
    assert not article.topics.exists()


def test_a_prefetch_can_narrow_the_topics_in_one_query(django_assert_num_queries):
    articles = [
        ArticleFactory(topics=[TopicFactory(), TopicFactory(status=Topic.Status.PENDING)])
        for _ in range(3)
    ]
    prefetch = Prefetch("topics", queryset=Topic.objects.public(), to_attr="public_topics")
    with django_assert_num_queries(2):
        fetched = list(
            Article.objects.filter(pk__in=[a.pk for a in articles]).prefetch_related(prefetch)
        )
        statuses = {topic.status for article in fetched for topic in article.public_topics}
    assert statuses == {Topic.Status.APPROVED}


def test_prefetched_topics_keep_the_order_they_were_tagged_in():
    article = ArticleFactory(topics=["Torture", "Council of Europe", "Abkhazia"])
    fetched = Article.objects.prefetch_related("topics").get(pk=article.pk)
    assert [topic.name for topic in fetched.topics.all()] == [
        "Torture",
        "Council of Europe",
        "Abkhazia",
    ]
