"""Cached public pages: fast for readers, never showing what has been taken down."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article, Correction, Pin
from moderation import actions
from newsroom.page_cache import PAGE_TIMEOUT, content_version
from tests.factories import ArticleFactory, TopicFactory
from topics.models import Topic, TopicAlias, TopicRedirect

pytestmark = pytest.mark.django_db


def test_a_second_request_is_served_from_the_cache_without_sql(
    client, published_article, django_assert_num_queries
):
    url = published_article.get_absolute_url()
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.content == first.content


def test_public_pages_are_cacheable_by_browsers_and_proxies(client, published_article):
    response = client.get("/")
    assert response["Cache-Control"] == f"public, max-age={PAGE_TIMEOUT}"
    assert response.has_header("ETag")


def test_an_unchanged_page_answers_304_to_a_conditional_request(client, published_article):
    etag = client.get("/")["ETag"]
    assert client.get("/", headers={"if-none-match": etag}).status_code == 304


def test_an_article_page_answers_304_when_not_modified_since(client, published_article):
    url = published_article.get_absolute_url()
    last_modified = client.get(url)["Last-Modified"]
    assert client.get(url, headers={"if-modified-since": last_modified}).status_code == 304


def test_publishing_a_story_shows_it_at_once(client, published_article):
    client.get("/")
    ArticleFactory(published=True, headline="Breaking: grid restored")
    assert "Breaking: grid restored" in client.get("/").content.decode()


def test_unpublishing_a_story_removes_it_from_cached_pages_at_once(client, published_article):
    url = published_article.get_absolute_url()
    assert published_article.headline in client.get("/").content.decode()
    assert client.get(url).status_code == 200
    published_article.status = Article.Status.UNPUBLISHED
    published_article.save()
    assert published_article.headline not in client.get("/").content.decode()
    assert client.get(url).status_code == 404


def test_editing_a_story_shows_the_new_text_at_once(client, published_article):
    url = published_article.get_absolute_url()
    client.get(url)
    published_article.standfirst = "A corrected lead."
    published_article.save()
    assert "A corrected lead." in client.get(url).content.decode()


def test_a_correction_or_a_pin_retires_cached_pages(client, published_article):
    url = published_article.get_absolute_url()
    client.get(url)
    Correction.objects.create(article=published_article, note="Fixed the dateline.")
    assert "Fixed the dateline." in client.get(url).content.decode()
    other = ArticleFactory(published=True, headline="Pinned analysis")
    client.get("/")
    Pin.objects.create(article=published_article, ends_at=timezone.now() + timedelta(hours=1))
    assert client.get("/").context["lead"] == published_article
    assert other.headline in client.get("/").content.decode()


def test_a_scheduled_story_reaches_cached_pages_within_a_minute(client, published_article):
    publish_at = timezone.now() + timedelta(seconds=10)
    ArticleFactory(status=Article.Status.PUBLISHED, publish_at=publish_at, headline="On schedule")
    assert "On schedule" not in client.get("/").content.decode()
    # Nothing is saved at publish time: the cached page must expire on its own.
    with time_machine.travel(publish_at + timedelta(seconds=PAGE_TIMEOUT)):
        assert "On schedule" in client.get("/").content.decode()


def test_error_pages_are_not_cached(client, django_assert_num_queries):
    client.get("/topics/nothing-here/")
    # Rendered again: the topic lookup and the old-slug lookup (the 404 page's
    # navigation sections come from the cache).
    with django_assert_num_queries(2):
        assert client.get("/topics/nothing-here/").status_code == 404


def test_pages_of_different_query_strings_are_cached_apart(client):
    for hours in range(25):
        ArticleFactory(
            status=Article.Status.PUBLISHED, publish_at=timezone.now() - timedelta(hours=hours + 1)
        )
    first, second = client.get("/"), client.get("/?page=2")
    assert first.content != second.content
    assert client.get("/?page=2").content == second.content


def test_a_response_written_in_pieces_is_served_from_the_cache_in_one(rf):
    from django.http import HttpResponse

    from newsroom.page_cache import cached_public_page

    @cached_public_page
    def feed_like(request):
        response = HttpResponse()
        for n in range(100):
            response.write(f"<item>{n}</item>")
        return response

    assert len(list(feed_like(rf.get("/pieces/")))) == 1  # rendered, then stored whole
    assert len(list(feed_like(rf.get("/pieces/")))) == 1  # from the cache


def test_approving_a_topic_shows_it_on_cached_pages_at_once(
    client, moderator, django_capture_on_commit_callbacks
):
    proposal = TopicFactory(name="Grain corridor", status=Topic.Status.PENDING)
    article = ArticleFactory(published=True, topics=[proposal])
    assert "Grain corridor" not in client.get(article.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        actions.approve(moderator, [proposal])
    assert "Grain corridor" in client.get(article.get_absolute_url()).content.decode()


def test_a_changed_old_topic_address_retires_cached_redirects(client):
    first, second = TopicFactory(slug="russia"), TopicFactory(slug="russian-federation")
    ArticleFactory(published=True, topics=[first, second])
    redirect = TopicRedirect.objects.create(old_slug="rossiya", topic=first)
    assert client.get("/topics/rossiya/")["Location"] == "/topics/russia/"
    redirect.topic = second
    redirect.save()
    assert client.get("/topics/rossiya/")["Location"] == "/topics/russian-federation/"


def test_a_new_alias_retires_cached_pages():
    before = content_version()
    TopicAlias.objects.create(name="Russian Federation", topic=TopicFactory(name="Russia"))
    assert content_version() > before


def test_a_cache_hit_is_answered_before_sessions_and_the_url_resolver(
    client, published_article, monkeypatch
):
    url = published_article.get_absolute_url()
    first = client.get(url)

    def fail(*args, **kwargs):
        raise AssertionError("the view ran for a cached page")

    monkeypatch.setattr("articles.views.ArticleDetailView.get", fail)
    second = client.get(url)
    assert second.content == first.content
    assert second["X-Frame-Options"] == "DENY"
    assert second["X-Content-Type-Options"] == "nosniff"


def test_a_cache_hit_still_refuses_an_unexpected_host(client, published_article):
    url = published_article.get_absolute_url()
    client.get(url)
    assert client.get(url, headers={"host": "evil.example"}).status_code == 400


def test_a_worker_serves_busy_pages_from_its_own_memory(client, published_article, monkeypatch):
    url = published_article.get_absolute_url()
    first = client.get(url)

    def fail(*args, **kwargs):
        raise AssertionError("the shared cache was asked")

    monkeypatch.setattr("newsroom.page_cache.cache.get_many", fail)
    assert client.get(url).content == first.content


def test_a_change_in_another_worker_reaches_this_one_within_the_version_check(
    client, published_article, monkeypatch
):
    from django.core.cache import cache

    from newsroom import page_cache

    url = published_article.get_absolute_url()
    client.get(url)
    # Another process edits the story: the shared rows and version change, this
    # process's signal receivers never run.
    Article.objects.filter(pk=published_article.pk).update(
        standfirst="Changed elsewhere.", updated_at=timezone.now()
    )
    cache.incr(page_cache.VERSION_KEY)
    assert "Changed elsewhere." not in client.get(url).content.decode()
    now = page_cache.time.monotonic()
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: now + page_cache.VERSION_CHECK)
    assert "Changed elsewhere." in client.get(url).content.decode()


def test_pages_kept_in_memory_stay_within_their_budget():
    from newsroom.page_cache import LocalPages, StoredPage

    pages = LocalPages(max_bytes=8_000)
    for n in range(10):
        pages.put(f"page-{n}", StoredPage(1, 200, (), b"x" * 1_000, stored_at=time.time()))
    assert pages.get("page-0", 1) is None  # the least recently used went first
    assert pages.get("page-9", 1) is not None
    assert pages._bytes <= 8_000
    pages.put("huge", StoredPage(1, 200, (), b"x" * 5_000, stored_at=time.time()))
    assert pages.get("huge", 1) is None  # bigger than an eighth of the budget: not kept


def test_a_copy_kept_in_memory_expires_with_the_shared_one():
    from newsroom.page_cache import LocalPages, StoredPage

    pages = LocalPages()
    pages.put("old", StoredPage(1, 200, (), b"", stored_at=time.time() - PAGE_TIMEOUT))
    assert pages.get("old", 1) is None


def test_emptying_the_shared_cache_retires_the_copies_workers_keep(client, published_article):
    from django.core.cache import cache

    from newsroom.page_cache import content_versions

    url = published_article.get_absolute_url()
    client.get(url)
    cache.clear()  # e.g. Redis restarted
    Article.objects.filter(pk=published_article.pk).update(standfirst="After the restart.")
    content_versions.forget()  # as after VERSION_CHECK seconds
    assert "After the restart." in client.get(url).content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_change_retires_pages_again_when_its_transaction_commits():
    from django.db import transaction

    from newsroom import page_cache

    before = page_cache.content_version()
    with transaction.atomic():
        page_cache.content_changed()
        during = page_cache.content_version()
        assert during == before + 1
    assert page_cache.content_version() == during + 1
