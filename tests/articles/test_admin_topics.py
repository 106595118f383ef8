"""Topics in the article form: proposals, aliases and rejected names."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.articles.test_admin import ADD, article_form
from tests.factories import ArticleFactory, TopicFactory
from topics.models import Topic, TopicAlias

pytestmark = pytest.mark.django_db


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def test_a_new_name_becomes_a_proposal_by_the_writer(client, reporter):
    client.force_login(reporter)
    client.post(ADD, article_form(topics="Grain corridor, Odesa"))
    topic = Topic.objects.get(name="Grain corridor")
    assert (topic.status, topic.proposed_by) == (Topic.Status.PENDING, reporter)


def test_the_form_tells_the_writer_which_topics_await_a_moderator(client, reporter):
    article = ArticleFactory(topics=[TopicFactory(name="Energy")], authors=[reporter])
    article.topics.add(TopicFactory(name="Grain corridor", status=Topic.Status.PENDING))
    client.force_login(reporter)
    content = client.get(change_url(article)).content.decode()
    assert "Awaiting a topic moderator, not shown to readers yet: Grain corridor." in content


def test_an_existing_approved_topic_is_reused_whatever_its_spelling(client, reporter):
    energy = TopicFactory(name="Energy")
    client.force_login(reporter)
    client.post(ADD, article_form(topics="ENERGY , Grain exports"))
    assert energy in Article.objects.get().topics.all()
    assert Topic.objects.filter(name__iexact="energy").count() == 1


def test_an_alias_in_the_form_attaches_its_topic(client, reporter):
    russia = TopicFactory(name="Russia")
    TopicAlias.objects.create(name="Russian Federation", topic=russia)
    client.force_login(reporter)
    client.post(ADD, article_form(topics="Russian Federation, Odesa"))
    assert set(Article.objects.get().topics.names()) == {"Russia", "Odesa"}
    assert not Topic.objects.filter(name="Russian Federation").exists()


@pytest.mark.parametrize("typed", ["Russia today", "RUSSIA  TODAY", "Rússia today"])
def test_a_rejected_name_is_refused_with_a_message(client, reporter, typed):
    TopicFactory(name="Russia today", status=Topic.Status.REJECTED)
    client.force_login(reporter)
    response = client.post(ADD, article_form(topics=f'"{typed}", Odesa'))
    assert response.status_code == 200
    assert "The topic moderators turned down “" in response.content.decode()
    assert not Article.objects.exists()


def test_a_rejected_topic_leaves_the_story_on_the_next_save_and_the_form_says_so(client, reporter):
    article = ArticleFactory(topics=[TopicFactory(name="Odesa")], authors=[reporter])
    article.topics.add(TopicFactory(name="Spam topic", status=Topic.Status.REJECTED))
    client.force_login(reporter)
    content = client.get(change_url(article)).content.decode()
    assert "removed from this story when you save: Spam topic." in content
    assert 'value="Odesa"' in content


def test_a_topic_name_too_long_is_refused(client, reporter):
    client.force_login(reporter)
    response = client.post(ADD, article_form(topics="x" * 101))
    assert "A topic name has at most 100 characters" in response.content.decode()
    assert not Topic.objects.filter(name__startswith="xxx").exists()
