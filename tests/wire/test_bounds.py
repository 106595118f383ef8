"""The wire within bounds: one deadline per fetch, feeds fetched side by side, caps per feed."""

import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from sources.models import SourceFeed
from tests.factories import SourceFactory
from tests.wire import feeds
from topics.models import Topic
from wire.models import WireItem
from wire.tasks import ingest_wire

pytestmark = pytest.mark.django_db


def add_feed(url: str, name: str) -> SourceFeed:
    return SourceFeed.objects.create(source=SourceFactory(name=name), url=url)


def run() -> tuple[str, float]:
    """Run `ingest_feeds`; return its output and how long it took."""
    out = StringIO()
    started = time.monotonic()
    call_command("ingest_feeds", stdout=out, stderr=out)
    return out.getvalue(), time.monotonic() - started


def test_a_server_trickling_its_headers_is_cut_at_the_deadline(feed_server, settings):
    settings.NEWSROOM_INGEST_TIMEOUT = 1.5
    # A byte a second never trips a per-read timeout: only a deadline stops it.
    slow = add_feed(feed_server.serve("/trickle", feeds.RSS, trickle_head=1.0), "Slow")
    _, seconds = run()
    slow.refresh_from_db()
    assert slow.last_error == "no answer within 1.5 s"
    assert seconds < 3.5
    # The connection was closed, not left with a thread reading from it.
    for _ in range(40):
        if "/trickle" in feed_server.hung_up:
            break
        time.sleep(0.1)
    assert "/trickle" in feed_server.hung_up


def test_a_slow_body_is_cut_at_the_same_deadline(feed_server, settings):
    settings.NEWSROOM_INGEST_TIMEOUT = 1.0
    slow = add_feed(feed_server.serve("/drip", feeds.RSS, trickle_body=0.1), "Slow")
    run()
    slow.refresh_from_db()
    assert slow.last_error == "took longer than 1.0 s to download"
    assert not WireItem.objects.exists()


def test_the_deadline_covers_every_redirect(feed_server, settings):
    settings.NEWSROOM_INGEST_TIMEOUT = 1.0
    # Each answer comes well within the timeout; the four together do not.
    feed_server.serve("/a", status=302, headers={"Location": "/b"}, delay=0.4)
    feed_server.serve("/b", status=302, headers={"Location": "/c"}, delay=0.4)
    feed_server.serve("/c", feeds.RSS, delay=0.4)
    feed = add_feed(feed_server.url("/a"), "Moved")
    _, seconds = run()
    feed.refresh_from_db()
    assert feed.last_error == "no answer within 1.0 s"
    assert seconds < 2.5


def test_a_fast_feed_is_filed_without_waiting_for_a_slow_one(feed_server, settings):
    settings.NEWSROOM_INGEST_TIMEOUT = 2.0
    # Listed first ("A…" before "Z…"): fetched one after the other, it would hold up the next.
    slow = add_feed(feed_server.serve("/trickle", feeds.RSS, trickle_head=1.0), "A slow agency")
    fast = add_feed(feed_server.serve("/fast", feeds.ATOM), "Z fast agency")
    out, seconds = run()
    slow.refresh_from_db()
    fast.refresh_from_db()
    assert WireItem.objects.filter(feed=fast).count() == 1
    assert slow.last_error == "no answer within 2.0 s"
    assert fast.last_success_at < slow.last_error_at - timedelta(seconds=1)
    assert "1 feeds fetched (0 not modified), 1 items filed" in out
    assert "1 feeds failed" in out
    assert seconds < 4


def test_feeds_are_fetched_a_few_at_a_time(feed_server, settings):
    settings.NEWSROOM_INGEST_CONCURRENCY = 2
    for n in range(5):
        add_feed(feed_server.serve(f"/feed-{n}", feeds.ATOM.replace("501", str(n)), delay=0.3),
                 f"Agency {n}")  # fmt: skip
    out, _ = run()
    assert "5 feeds fetched" in out
    assert feed_server.most_in_flight == 2


def test_a_flooding_feed_is_capped_and_reported(feed_server, settings):
    settings.NEWSROOM_INGEST_MAX_ITEMS = 200
    settings.NEWSROOM_INGEST_MAX_NEW_TOPICS = 50
    flood = add_feed(feed_server.serve("/flood", feeds.flood(40_000)), "Flood")
    out, _ = run()
    flood.refresh_from_db()
    report = (
        "40,000 items, 200 taken, 39,800 skipped over the cap: 200 filed, 0 already filed; "
        "50 new topics proposed, 150 not (over the cap)"
    )
    assert flood.last_report == report
    assert f"{flood.source.slug} {flood.url}: {report}" in out
    assert "over the caps: 39,800 items skipped, 150 new topics not proposed" in out
    assert WireItem.objects.count() == 200
    assert Topic.objects.filter(status=Topic.Status.PENDING).count() == 50
    # Undated items: the first in the feed count as the newest.
    assert set(WireItem.objects.values_list("guid", flat=True)) == {str(n) for n in range(200)}


def test_the_names_most_items_carry_are_proposed_first(feed_server, settings):
    settings.NEWSROOM_INGEST_MAX_NEW_TOPICS = 2
    carried = {"g1": ["Rare", "Drones"], "g2": ["Drones", "Grain"], "g3": ["Grain", "Drones"]}
    items = "".join(
        f"<item><title>{guid}</title><guid>{guid}</guid>"
        + "".join(f"<category>{name}</category>" for name in names)
        + "</item>"
        for guid, names in carried.items()
    )
    url = feed_server.serve("/feed", f'<rss version="2.0"><channel>{items}</channel></rss>')
    add_feed(url, "Agency")
    run()
    assert sorted(Topic.objects.values_list("name", flat=True)) == ["Drones", "Grain"]
    # The name left over stays on the item, to be proposed by hand.
    rare = WireItem.objects.get(guid="g1")
    assert rare.categories == ["Rare", "Drones"]
    assert [t.name for t in rare.topics.all()] == ["Drones"]


def test_a_second_run_reports_what_it_found_already_filed(feed_server, settings):
    settings.NEWSROOM_INGEST_MAX_ITEMS = 1
    feed = add_feed(feed_server.serve("/rss", feeds.RSS), "Agency")
    run()
    run()
    feed.refresh_from_db()
    assert feed.last_report == (
        "2 items, 1 taken, 1 skipped over the cap: 0 filed, 1 already filed; 0 new topics proposed"
    )


def test_a_feed_not_modified_says_so(feed_server):
    feed = add_feed(feed_server.serve("/rss", feeds.RSS, etag='"v1"'), "Agency")
    run()
    run()
    feed.refresh_from_db()
    assert feed.last_report == "not modified"


def test_the_scheduled_ingest_files_and_reports_each_feed(feed_server):
    feed = add_feed(feed_server.serve("/rss", feeds.RSS), "Agency")
    result = ingest_wire.call()
    assert result.startswith("1 feeds fetched (0 not modified), 2 items filed")
    feed.refresh_from_db()
    assert feed.last_report == "2 items: 2 filed, 0 already filed; 3 new topics proposed"


def test_the_last_run_is_shown_on_the_source_page(feed_server, settings, client, admin_user):
    settings.NEWSROOM_INGEST_MAX_ITEMS = 1
    feed = add_feed(feed_server.serve("/rss", feeds.RSS), "Agency")
    run()
    client.force_login(admin_user)
    page = client.get(reverse("admin:sources_source_change", args=[feed.source_id]))
    assert "2 items, 1 taken, 1 skipped over the cap" in page.content.decode()
