"""`load_demo`: a working desk for a fresh checkout, loaded once."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpRequest

from articles.models import Article, Section
from newsroom import demo
from sources.models import Source
from topics.models import Topic
from wire.models import WireItem

pytestmark = pytest.mark.django_db


def load_demo(**options) -> str:
    out = StringIO()
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "articles": Article.objects.count(),
        "sources": Source.objects.count(),
        "sections": Section.objects.count(),
        "topics": Topic.objects.count(),
        "users": get_user_model().objects.count(),
        "links": Article.topics.through.objects.count(),
    }


def test_load_demo_creates_a_working_desk(settings):
    settings.DEBUG = True
    load_demo()
    assert Article.objects.count() == len(demo.STORIES)
    statuses = set(Article.objects.values_list("status", flat=True))
    assert statuses == {"draft", "review", "published", "unpublished"}
    assert Article.objects.scheduled().exists()
    assert Article.objects.published().count() >= 20
    assert Source.objects.filter(kind="international").exists()
    assert Source.objects.filter(kind="ministry").exists()


def test_load_demo_publishes_the_seed_story_with_source_topics_dateline_and_byline(client):
    load_demo()
    article = Article.objects.published().get(slug=demo.STORIES[0].slug)
    assert article.source.slug == "ukrinform"
    assert article.dateline == "Kyiv"
    assert article.authors.count() == 2
    assert {"Russia", "Council of Europe", "Torture"} <= set(article.topics.names())
    home = client.get("/").content.decode()
    assert article.get_absolute_url() in home
    lead = home[home.index('aria-label="Lead story"') : home.index("</section>")]
    assert "Ukrinform" in lead
    assert "KYIV" in lead
    assert "Olena Kovalenko" in lead
    assert 'href="/topics/council-of-europe/"' in lead


def test_load_demo_twice_duplicates_nothing(settings):
    settings.DEBUG = True
    load_demo()
    first = counts()
    output = load_demo()
    assert counts() == first
    assert "Created 0 sources, 0 sections, 0 writers, 0 stories, 0 corrections, 0 wire items" in (
        output
    )
    assert output.rstrip().endswith("0 accounts.")


def test_load_demo_dry_run_changes_nothing():
    output = load_demo(dry_run=True)
    assert "Would create" in output
    assert not Article.objects.exists()


def test_load_demo_creates_log_in_accounts_on_the_embedded_database_in_debug(settings, client):
    settings.DEBUG = True
    settings.EMBEDDED_DATABASE = True
    load_demo()
    for username, group in [
        ("reporter", "Reporters"),
        ("editor", "Editors"),
        ("moderator", "Topic moderators"),
    ]:
        user = get_user_model().objects.get(username=username)
        assert user.is_staff
        assert not user.is_superuser
        assert list(user.groups.values_list("name", flat=True)) == [group]
        # django-axes checks every login against its request; the test client has none.
        login = {"username": username, "password": f"{username}-demo-pass"}
        assert client.login(request=HttpRequest(), **login)


@pytest.mark.parametrize(("debug", "embedded"), [(False, True), (True, False), (False, False)])
def test_load_demo_never_creates_log_in_accounts_elsewhere(settings, debug, embedded):
    settings.DEBUG = debug
    settings.EMBEDDED_DATABASE = embedded
    output = load_demo()
    assert "Demo accounts skipped" in output
    assert (
        not get_user_model()
        .objects.filter(username__in=["reporter", "editor", "moderator"])
        .exists()
    )
    assert not get_user_model().objects.filter(password__startswith="pbkdf2").exists()


def test_load_demo_fills_the_wire_inbox_once():
    load_demo()
    assert WireItem.objects.count() == len(demo.WIRE)
    assert WireItem.objects.filter(topics__name="Energy").exists()
    load_demo()
    assert WireItem.objects.count() == len(demo.WIRE)


def test_load_demo_topics_are_approved():
    load_demo()
    tagged = Topic.objects.filter(article_links__isnull=False).distinct()
    assert set(tagged.values_list("status", flat=True)) == {Topic.Status.APPROVED}
    # The wire copy's unknown categories wait for the moderators, as in real life.
    assert Topic.objects.filter(status=Topic.Status.PENDING, wire_items__isnull=False).exists()
