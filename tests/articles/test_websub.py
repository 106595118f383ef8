"""WebSub: feeds name the hub, and a real hub on 127.0.0.1 hears of the feeds a change updates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import parse_qs
from xml.etree import ElementTree

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from articles import websub, workflow
from frontcache.tasks import purge_due
from tests.factories import (
    ArticleFactory,
    SectionFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
)
from tests.servers import LocalServer, QuietHandler

pytestmark = pytest.mark.django_db

SITE_URL = "http://127.0.0.1:8000"
ATOM = "{http://www.w3.org/2005/Atom}"
LOOPBACK = ["127.0.0.0/8"]


@dataclass
class Notice:
    path: str
    content_type: str
    form: dict[str, list[str]]


class Hub(LocalServer):
    """A WebSub hub that records the publish notices it receives and answers `status`."""

    def __init__(self) -> None:
        self.notices: list[Notice] = []
        self.status = 204
        hub = self

        class Handler(QuietHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                hub.notices.append(
                    Notice(self.path, self.headers.get("Content-Type", ""), parse_qs(body.decode()))
                )
                self.send_response(hub.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        super().__init__(Handler)

    @property
    def url(self) -> str:
        return self.address("/hub")


@pytest.fixture(scope="session")
def hub_server():
    hub = Hub()
    yield hub
    hub.stop()


@pytest.fixture
def hub(hub_server, settings) -> Hub:
    settings.NEWSROOM_WEBSUB_HUB = hub_server.url
    # The hub is on loopback, which production refuses, and speaks plain http.
    settings.NEWSROOM_PUSH_ALLOWED_NETWORKS = LOOPBACK
    settings.NEWSROOM_PUSH_ALLOW_HTTP = True
    settings.NEWSROOM_PUSH_TIMEOUT = 5.0
    settings.NEWSROOM_PUSH_RETRY_WAITS = [30, 120]
    hub_server.notices.clear()
    hub_server.status = 204
    return hub_server


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def queued() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=websub.publish.module_path).order_by("pk"))


def run_queued() -> list[str]:
    """Run the queued notices, as the task worker would; return what each reported."""
    return [websub.publish.call(*task.args_kwargs["args"]) for task in queued()]


def feeds_of(story, language: str = "en") -> set[str]:
    """Return the absolute addresses of every feed carrying `story`, RSS and Atom."""
    topic = story.topics.get()
    author = story.authors.get()
    kinds = {
        "feed": {},
        "section_feed": {"slug": story.section.slug},
        "source_feed": {"slug": story.source.slug},
        "topic_feed": {"slug": topic.slug_in(language)},
        "author_feed": {"pk": author.pk},
    }
    with translation.override(language):
        return {
            SITE_URL + reverse(f"articles:{name}{atom}", kwargs=kwargs)
            for name, kwargs in kinds.items()
            for atom in ("", "_atom")
        }


@pytest.fixture
def draft(reporter):
    return workflow.create_draft(
        reporter,
        headline="Grain ships leave Odesa",
        section=SectionFactory(slug="economy"),
        source=SourceFactory(slug="ukrinform"),
        topics=[TopicFactory(name="Grain")],
        authors=[reporter],
    )


# --- Telling the hub ---------------------------------------------------------------------


def test_publishing_sends_one_notice_naming_the_feeds_the_story_is_on(
    hub, draft, editor, on_commit
):
    other = ArticleFactory(published=True, section=SectionFactory(slug="sport"))
    with on_commit():
        workflow.publish(draft, editor)
    assert len(queued()) == 1
    assert run_queued() == ["told the hub of 10 feeds"]
    [notice] = hub.notices
    assert notice.path == "/hub"
    assert notice.content_type == "application/x-www-form-urlencoded"
    assert notice.form["hub.mode"] == ["publish"]
    assert set(notice.form["hub.url"]) == feeds_of(draft)
    # Lists the story is not on did not change.
    assert f"{SITE_URL}/sections/{other.section.slug}/feed/" not in notice.form["hub.url"]


def test_a_story_in_another_language_names_that_editions_feeds(hub, reporter, editor, on_commit):
    story = workflow.create_draft(
        reporter,
        headline="Зерновози вийшли з Одеси",
        language="uk",
        section=SectionFactory(),
        source=SourceFactory(),
        topics=[TopicFactory(name="Зерно")],
        authors=[reporter],
    )
    with on_commit():
        workflow.publish(story, editor)
    run_queued()
    [notice] = hub.notices
    assert set(notice.form["hub.url"]) == feeds_of(story, "uk")
    assert all(url.startswith(f"{SITE_URL}/uk/") for url in notice.form["hub.url"])


def test_moving_a_story_names_the_section_it_left_and_the_one_it_joined(
    hub, draft, editor, on_commit
):
    workflow.publish(draft, editor)
    draft.refresh_from_db()
    old_section, draft.section = draft.section, SectionFactory(slug="world")
    with on_commit():
        workflow.save(draft, editor)
    run_queued()
    [notice] = hub.notices
    urls = set(notice.form["hub.url"])
    assert {
        f"{SITE_URL}/sections/{old_section.slug}/feed/",
        f"{SITE_URL}/sections/world/feed/atom/",
    } <= urls


def test_withdrawing_names_the_feeds_the_story_left(hub, draft, editor, on_commit):
    workflow.publish(draft, editor)
    with on_commit():
        workflow.withdraw(draft, editor, "The figures were wrong.")
    run_queued()
    [notice] = hub.notices
    assert set(notice.form["hub.url"]) == feeds_of(draft)


def test_saving_a_draft_tells_the_hub_nothing(hub, draft, reporter, on_commit):
    draft.headline = "Grain ships leave Odesa at dawn"
    with on_commit():
        workflow.save(draft, reporter)
    assert queued() == []


def test_a_rolled_back_change_tells_the_hub_nothing(hub, draft, editor):
    workflow.publish(draft, editor)  # The test's transaction is never committed.
    assert queued() == []


@pytest.mark.parametrize("embargoed", [False, True])
def test_a_scheduled_story_tells_the_hub_when_its_time_comes(
    hub, draft, editor, on_commit, embargoed
):
    draft.embargoed = embargoed
    draft.save()
    at = timezone.now() + timedelta(minutes=10)
    with on_commit():
        workflow.publish(draft, editor, at=at)
    assert queued() == []  # Released to partners, perhaps; to readers, not yet.
    with time_machine.travel(at + timedelta(seconds=5)):
        purge_due.call((at - timedelta(seconds=15)).isoformat())
        assert run_queued() == ["told the hub of 10 feeds"]
    [notice] = hub.notices
    assert set(notice.form["hub.url"]) == feeds_of(draft)


def test_no_hub_no_notice(hub, draft, editor, on_commit, settings):
    settings.NEWSROOM_WEBSUB_HUB = ""
    with on_commit():
        workflow.publish(draft, editor)
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        purge_due.call((timezone.now() - timedelta(seconds=30)).isoformat())
    assert queued() == []
    assert hub.notices == []


# --- Failures ----------------------------------------------------------------------------


def test_a_hub_at_a_private_address_is_refused_without_the_allow_list(hub, settings):
    settings.NEWSROOM_PUSH_ALLOWED_NETWORKS = []
    outcome = websub.publish.call([f"{SITE_URL}/feed/"], 1)
    assert outcome.startswith("attempt 1 failed (refused to connect to 127.0.0.1")
    assert hub.notices == []
    [retry] = queued()
    assert retry.args_kwargs["args"] == [[f"{SITE_URL}/feed/"], 2]
    assert retry.run_after > timezone.now() + timedelta(seconds=25)


def test_a_failing_hub_is_tried_again_with_growing_waits_then_given_up(hub):
    hub.status = 503
    urls = [f"{SITE_URL}/feed/"]
    assert websub.publish.call(urls, 1).startswith("attempt 1 failed (the hub answered 503)")
    assert websub.publish.call(urls, 2).endswith("trying again in 0:02:00")
    assert websub.publish.call(urls, 3).startswith("gave up after 3 attempts")
    assert len(hub.notices) == 3
    retries = sorted(queued(), key=lambda task: task.args_kwargs["args"][1])
    assert [task.args_kwargs["args"][1] for task in retries] == [2, 3]
    waits = [(task.run_after - task.enqueued_at).total_seconds() for task in retries]
    assert waits == pytest.approx([30, 120], abs=2)


def test_a_hub_that_recovers_is_told(hub):
    hub.status = 503
    websub.publish.call([f"{SITE_URL}/feed/"], 1)
    hub.status = 202
    [retry] = queued()
    assert websub.publish.call(*retry.args_kwargs["args"]) == "told the hub of 1 feeds"
    assert len(hub.notices) == 2


# --- Discovery in the feeds --------------------------------------------------------------

FEED_NAMES = [
    ("feed", None),
    ("topic_feed", "topic"),
    ("source_feed", "source"),
    ("section_feed", "section"),
    ("author_feed", "author"),
]


def feed_address(name: str, subject: str | None, story, language: str, atom: bool) -> str:
    kwargs = {
        None: {},
        "topic": {"slug": story.topics.get().slug_in(language)},
        "source": {"slug": story.source.slug},
        "section": {"slug": story.section.slug},
        "author": {"pk": story.authors.get().pk},
    }[subject]
    with translation.override(language):
        return reverse(f"articles:{name}{'_atom' if atom else ''}", kwargs=kwargs)


def discovery_links(client, path: str) -> dict[str, str]:
    """Return the feed's own links by relation, after parsing it as XML."""
    response = client.get(path)
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    if root.tag == "rss":
        found = root.find("channel").findall(f"{ATOM}link")
    else:
        found = root.findall(f"{ATOM}link")
    return {link.get("rel"): link.get("href") for link in found}


@pytest.mark.parametrize("language", ["en", "uk"])
@pytest.mark.parametrize("atom", [False, True], ids=["rss", "atom"])
@pytest.mark.parametrize(("name", "subject"), FEED_NAMES)
def test_every_feed_names_the_hub_and_itself(client, hub, language, atom, name, subject):
    story = ArticleFactory(
        published=True, language=language, topics=["Grain"], authors=[UserFactory()]
    )
    path = feed_address(name, subject, story, language, atom)
    links = discovery_links(client, path)
    assert links["hub"] == hub.url
    assert links["self"] == SITE_URL + path


@pytest.mark.parametrize("atom", [False, True], ids=["rss", "atom"])
def test_without_a_hub_feeds_name_none(client, settings, atom):
    settings.NEWSROOM_WEBSUB_HUB = ""
    ArticleFactory(published=True)
    links = discovery_links(client, "/feed/atom/" if atom else "/feed/")
    assert "hub" not in links
    assert links["self"] == SITE_URL + ("/feed/atom/" if atom else "/feed/")
