"""The site through a real Varnish (deploy/varnish/newsroom.vcl), purged by the origin.

The origin is pytest-django's live server; the front cache is Varnish in front
of it, and the origin purges it as in production (`VarnishBackend`). Skipped
where Varnish or vmod_xkey is missing, except in CI (see conftest.py).
"""

import time
from urllib.parse import urlsplit

import httpx
import pytest
from django.urls import reverse

from articles import workflow
from tests.factories import (
    ArticleFactory,
    SectionFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
    hidden_articles,
)

pytestmark = pytest.mark.django_db(transaction=True)

# How long a change may take to reach every surface through the front cache.
WITHIN = 1.0


@pytest.fixture
def varnish(live_server, varnish_in_front, settings):
    origin = urlsplit(live_server.url)
    varnish = varnish_in_front((origin.hostname, origin.port), probe_interval=0.2)
    settings.NEWSROOM_FRONT_CACHE = {
        "BACKEND": "frontcache.backends.VarnishBackend",
        "LOCATIONS": [varnish.url],
    }
    return varnish


@pytest.fixture
def reader(varnish):
    with httpx.Client(base_url=varnish.url, timeout=10) as client:
        yield client


@pytest.fixture
def editor_account():
    return UserFactory(username="desk-editor", groups=["Editors"])


@pytest.fixture
def filed_story(editor_account):
    """A draft filed with a section, source, topic and byline, and an older public story."""
    section, topic = SectionFactory(name="Economy"), TopicFactory(name="Grain")
    ArticleFactory(published=True, section=section, topics=[topic], headline="Older grain news")
    return workflow.create_draft(
        editor_account,
        headline="Grain ships leave Odesa under escort",
        section=section,
        source=SourceFactory(),
        topics=[topic],
        authors=[editor_account],
    )


def surfaces(story) -> list[str]:
    topic = story.topics.get()
    return [
        "/",
        "/feed/",
        "/feed/atom/",
        story.section.get_absolute_url(),
        f"{story.section.get_absolute_url()}feed/",
        topic.get_absolute_url(),
        f"{topic.get_absolute_url()}feed/",
        story.source.get_absolute_url(),
        "/api/v1/articles/",
        "/sitemap-news.xml",
    ]


def shows(reader, path: str, story) -> bool:
    return story.headline in reader.get(path).text


def wait_until(check, within: float = WITHIN) -> float:
    """Return how long `check()` took to become true, failing past `within` seconds."""
    start = time.monotonic()
    while not check():
        if time.monotonic() - start > within:
            pytest.fail(f"not true within {within} s")
        time.sleep(0.02)
    return time.monotonic() - start


def warm(reader, paths: list[str]) -> None:
    for path in paths:
        reader.get(path)
        assert reader.get(path).headers["X-Cache"] == "HIT", path


def test_a_published_story_is_on_every_surface_within_a_second(reader, filed_story, editor_account):
    other = SectionFactory(name="Culture")
    ArticleFactory(published=True, section=other)
    unrelated = other.get_absolute_url()
    warm(reader, [*surfaces(filed_story), unrelated])
    workflow.publish(filed_story, editor_account)
    for path in surfaces(filed_story):
        wait_until(lambda path=path: shows(reader, path, filed_story))
    assert reader.get(filed_story.get_absolute_url()).status_code == 200
    # A page the story is not on was not purged.
    assert reader.get(unrelated).headers["X-Cache"] == "HIT"


def test_an_unpublished_story_is_gone_from_every_surface_within_a_second(
    reader, filed_story, editor_account
):
    workflow.publish(filed_story, editor_account)
    page = filed_story.get_absolute_url()
    warm(reader, [*surfaces(filed_story), page])
    assert all(shows(reader, path, filed_story) for path in surfaces(filed_story))
    workflow.unpublish(filed_story, editor_account)
    for path in surfaces(filed_story):
        wait_until(lambda path=path: not shows(reader, path, filed_story))
    assert reader.get(page).status_code == 404


def test_a_withdrawn_story_is_gone_from_every_surface_within_a_second(
    reader, filed_story, editor_account
):
    workflow.publish(filed_story, editor_account)
    page = filed_story.get_absolute_url()
    warm(reader, [*surfaces(filed_story), page])
    workflow.withdraw(filed_story, editor_account, "The casualty figures were wrong.")
    for path in surfaces(filed_story):
        wait_until(lambda path=path: not shows(reader, path, filed_story))
    assert reader.get(page).status_code == 404


def test_a_partner_s_answers_never_enter_the_front_cache(reader, filed_story, editor_account):
    from partners.models import Partner, PartnerKey

    embargoed = ArticleFactory(
        headline="Budget figures under embargo",
        status="published",
        embargoed=True,
        publish_at=filed_story.created_at.replace(year=filed_story.created_at.year + 1),
    )
    _, key = PartnerKey.issue(Partner.objects.create(name="Kyiv Daily"))
    keyed = {"Authorization": f"Bearer {key}"}
    for _ in range(2):
        response = reader.get("/api/v1/articles/", headers=keyed)
        assert response.headers["X-Cache"] == "MISS"
        assert embargoed.headline in response.text
        # Readers after the partner get the public answer, from the cache the second time.
        public = reader.get("/api/v1/articles/")
        assert embargoed.headline not in public.text
    assert public.headers["X-Cache"] == "HIT"
    wrong = reader.get("/api/v1/articles/", headers={"Authorization": "Bearer nrp_wrong"})
    assert wrong.status_code == 401
    assert embargoed.headline not in wrong.text


def test_an_edited_headline_replaces_the_old_one_everywhere(reader, filed_story, editor_account):
    workflow.publish(filed_story, editor_account)
    filed_story.refresh_from_db()
    warm(reader, surfaces(filed_story))
    old_headline = filed_story.headline
    filed_story.headline = "Grain convoy reaches the Bosphorus"
    workflow.save(filed_story, editor_account)
    for path in surfaces(filed_story):
        wait_until(lambda path=path: old_headline not in reader.get(path).text)


def test_nothing_unpublished_ever_reaches_a_cached_surface(reader, filed_story):
    hidden = hidden_articles(section=filed_story.section, source=filed_story.source)
    for story in hidden:
        story.topics.set([filed_story.topics.get()])
    paths = [*surfaces(filed_story), "/sitemap.xml", "/sitemap-articles.xml", "/search/?q=story"]
    for _ in range(2):  # Rendered, then from the cache.
        for path in paths:
            text = reader.get(path).text
            for story in hidden:
                assert story.headline not in text, (path, story.headline)
    for story in hidden:
        response = reader.get(f"/articles/{story.pk}/{story.slug}/")
        assert response.status_code == 404


def test_admin_previews_and_signed_in_pages_are_never_cached(reader, filed_story, live_server):
    for path in [reverse("admin:login"), "/healthz"]:
        for _ in range(2):
            assert reader.get(path).headers["X-Cache"] == "MISS", path
    signed_in = {"Cookie": "sessionid=an-editor-session"}
    for _ in range(2):
        assert reader.get("/", headers=signed_in).headers["X-Cache"] == "MISS"
    link = ArticleFactory(headline="Draft under legal review").preview_links.create(
        expires_at=filed_story.created_at.replace(year=filed_story.created_at.year + 1)
    )
    from articles import previews

    token = previews.token_for(link)
    for path in (f"/preview/{token}/", f"/uk/preview/{token}/"):
        for _ in range(2):
            response = reader.get(path)
            assert response.headers["X-Cache"] == "MISS", path
            assert "Draft under legal review" in response.text


def test_a_reader_s_cookie_never_reaches_a_cached_page(reader, filed_story):
    reader.get("/")
    response = reader.get("/", headers={"Cookie": "csrftoken=x; tracker=reader-42"})
    assert response.headers["X-Cache"] == "HIT"
    assert "set-cookie" not in response.headers


def test_a_purge_the_cache_refuses_tells_the_editor_and_is_retried(
    live_server, varnish_in_front, settings, filed_story
):
    from django_tasks_db.models import DBTaskResult

    from frontcache.tasks import retry_purge

    origin = urlsplit(live_server.url)
    # This Varnish takes purges only from an address the origin does not have.
    refusing = varnish_in_front((origin.hostname, origin.port), purgers=["192.0.2.1"])
    settings.NEWSROOM_FRONT_CACHE = {
        "BACKEND": "frontcache.backends.VarnishBackend",
        "LOCATIONS": [refusing.url],
    }
    admin = UserFactory(username="chief", is_staff=True, is_superuser=True)
    ArticleFactory(published=True)
    login, changelist = reverse("admin:login"), reverse("admin:articles_article_changelist")
    with httpx.Client(base_url=live_server.url, follow_redirects=True) as desk:
        desk.get(login)
        desk.post(
            login,
            data={
                "username": admin.username,
                "password": "correct-horse-battery",
                "csrfmiddlewaretoken": desk.cookies["csrftoken"],
            },
            headers={"Referer": live_server.url + login},
        )
        workflow.publish(filed_story, admin)
        response = desk.post(
            changelist,
            data={
                "action": "unpublish_selected",
                "_selected_action": [filed_story.pk],
                "csrfmiddlewaretoken": desk.cookies["csrftoken"],
            },
            headers={"Referer": live_server.url + changelist},
        )
    assert "front cache did not confirm" in response.text
    assert DBTaskResult.objects.filter(task_path=retry_purge.module_path).exists()
