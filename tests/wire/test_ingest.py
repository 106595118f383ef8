"""`ingest_feeds`: filing wire copy from well-behaved, broken and hostile feed servers."""

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction

from sources.models import SourceFeed
from tests.factories import SourceFactory, TopicFactory
from tests.wire import feeds
from topics.models import Topic, TopicAlias
from wire.ingest import active_feeds, ingest
from wire.models import WireItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def ukrinform():
    return SourceFactory(name="Ukrinform", slug="ukrinform")


def add_feed(source, url: str) -> SourceFeed:
    return SourceFeed.objects.create(source=source, url=url)


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("ingest_feeds", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_rss_items_are_filed_as_wire_copy(feed_server, ukrinform):
    energy = TopicFactory(name="Energy")
    coe = TopicFactory(name="Council of Europe")
    add_feed(ukrinform, feed_server.serve("/rss", feeds.RSS))
    out, _ = run()
    assert "1 feeds fetched (0 not modified), 2 items filed, 0 skipped" in out
    grain = WireItem.objects.get(guid="ukrinform-1001")
    assert grain.source == ukrinform
    assert grain.headline == "Grain ships leave Odesa ports"
    assert grain.link == "https://www.ukrinform.net/rubric-economy/1001-grain.html"
    assert grain.summary == "Three ships left port this morning."
    assert grain.published_at == datetime(2026, 11, 24, 7, 30, tzinfo=UTC)
    assert grain.categories == ["Energy", "Grain exports"]
    assert list(grain.topics.public()) == [energy]
    # Without a GUID the link identifies the item; categories match ignoring case.
    visit = WireItem.objects.get(guid="https://www.ukrinform.net/rubric-polytics/1002-coe.html")
    assert list(visit.topics.all()) == [coe]


def test_filed_bodies_are_sanitised(feed_server, ukrinform):
    add_feed(ukrinform, feed_server.serve("/rss", feeds.RSS))
    run()
    body = WireItem.objects.get(guid="ukrinform-1001").body
    assert "<p>Three ships left port.</p>" in body
    for hostile in ("<script", "onclick", "javascript:"):
        assert hostile not in body


def test_unknown_categories_become_pending_proposals(feed_server, ukrinform):
    add_feed(ukrinform, feed_server.serve("/rss", feeds.RSS))
    run()
    proposal = Topic.objects.get(name="Grain exports")
    assert proposal.status == Topic.Status.PENDING
    assert proposal in WireItem.objects.get(guid="ukrinform-1001").topics.all()
    assert not Topic.objects.public().exists()


def test_categories_resolve_through_aliases_and_normal_forms(feed_server, ukrinform):
    coe = TopicFactory(name="Council of Europe")
    TopicAlias.objects.create(name="Grain exports", topic=TopicFactory(name="Grain"))
    add_feed(ukrinform, feed_server.serve("/rss", feeds.RSS))
    run()
    grain = WireItem.objects.get(guid="ukrinform-1001")
    assert [t.name for t in grain.topics.order_by("name")] == ["Energy", "Grain"]
    visit = WireItem.objects.exclude(pk=grain.pk).get()
    assert list(visit.topics.all()) == [coe]


def test_atom_entries_are_filed(feed_server):
    coe = SourceFactory(name="Council of Europe", slug="council-of-europe")
    rights = TopicFactory(name="Human rights")
    add_feed(coe, feed_server.serve("/atom", feeds.ATOM))
    run()
    item = WireItem.objects.get()
    assert item.guid == "tag:coe.int,2026:news/501"
    assert item.link == "https://www.coe.int/en/news/501"
    assert item.summary == "The committee set out its findings."
    assert item.body == "<p>The committee set out its findings after a visit.</p>"
    assert item.byline == "Press office"
    assert list(item.topics.all()) == [rights]


@pytest.mark.parametrize("document", [feeds.RSS, feeds.ATOM], ids=["rss", "atom"])
def test_a_second_run_files_nothing_twice(feed_server, ukrinform, document):
    add_feed(ukrinform, feed_server.serve("/feed", document))
    run()
    filed = WireItem.objects.count()
    out, _ = run()
    assert WireItem.objects.count() == filed
    assert f"0 items filed, {filed} skipped as already filed" in out


@pytest.mark.parametrize("document", [feeds.RSS, feeds.ATOM], ids=["rss", "atom"])
def test_conditional_get_is_honoured(feed_server, ukrinform, document):
    feed = add_feed(ukrinform, feed_server.serve("/feed", document, etag='"v1"'))
    run()
    feed.refresh_from_db()
    assert feed.etag == '"v1"'
    out, _ = run()
    assert feed_server.requests[-1][1].get("If-None-Match") == '"v1"'
    assert "1 feeds fetched (1 not modified), 0 items filed" in out


def test_the_database_refuses_a_second_copy_of_an_item(ukrinform):
    WireItem.objects.create(source=ukrinform, guid="g-1", headline="One")
    with pytest.raises(IntegrityError, match="wire_item_source_guid_unique"), transaction.atomic():
        WireItem.objects.create(source=ukrinform, guid="g-1", headline="One again")


def failure(feed_server, ukrinform, path: str, body: str | bytes = b"", **route) -> str:
    """Ingest one bad feed next to a good one; return the bad feed's recorded error."""
    bad = add_feed(ukrinform, feed_server.serve(path, body, **route))
    good = add_feed(SourceFactory(), feed_server.serve("/good", feeds.ATOM))
    out, err = run()
    bad.refresh_from_db()
    good.refresh_from_db()
    assert "1 feeds failed" in out
    assert bad.last_error and bad.last_error in err
    assert "\n" not in bad.last_error
    assert good.last_error == ""
    assert bad.last_report == f"failed: {bad.last_error}"
    # Nothing of the bad feed is filed; the good one's items are.
    assert not WireItem.objects.filter(feed=bad).exists()
    assert WireItem.objects.filter(feed=good).count() == 1
    return bad.last_error


def test_malformed_xml_is_a_clear_error(feed_server, ukrinform):
    assert failure(feed_server, ukrinform, "/bad", feeds.MALFORMED).startswith("malformed XML")


def test_an_entity_expansion_bomb_is_refused(feed_server, ukrinform):
    message = failure(feed_server, ukrinform, "/bomb", feeds.ENTITY_BOMB)
    assert message.startswith("refused: the XML declares")


def test_external_entities_are_refused(feed_server, ukrinform):
    message = failure(feed_server, ukrinform, "/xxe", feeds.EXTERNAL_ENTITY)
    assert message.startswith("refused: the XML declares")


def test_a_feed_over_the_size_cap_is_refused(feed_server, ukrinform, settings):
    settings.NEWSROOM_INGEST_MAX_BYTES = 1000
    message = failure(feed_server, ukrinform, "/big", feeds.RSS + " " * 2000)
    assert "over the 1,000" in message


def test_a_server_that_never_answers_times_out(feed_server, ukrinform, settings):
    settings.NEWSROOM_INGEST_TIMEOUT = 1.0
    message = failure(feed_server, ukrinform, "/slow", feeds.RSS, delay=4)
    assert message == "no answer within 1.0 s"


def test_a_redirect_to_a_private_address_is_refused(feed_server, ukrinform):
    message = failure(
        feed_server,
        ukrinform,
        "/moved",
        status=302,
        headers={"Location": "http://169.254.169.254/latest/meta-data/"},
    )
    assert message == "refused to connect to 169.254.169.254: not a public address"


def test_redirects_are_followed_a_few_times_only(feed_server, ukrinform):
    message = failure(feed_server, ukrinform, "/loop", status=301, headers={"Location": "/loop"})
    assert message == "more than 5 redirects"


def test_a_redirect_to_a_feed_is_followed(feed_server, ukrinform):
    feed_server.serve("/new", feeds.RSS)
    add_feed(ukrinform, feed_server.serve("/old", status=301, headers={"Location": "/new"}))
    run()
    assert WireItem.objects.count() == 2


def test_loopback_is_refused_unless_allowed(feed_server, ukrinform, settings):
    feed = add_feed(ukrinform, feed_server.serve("/rss", feeds.RSS))
    settings.NEWSROOM_INGEST_ALLOWED_NETWORKS = []
    run()
    feed.refresh_from_db()
    assert feed.last_error == "refused to connect to 127.0.0.1: not a public address"
    assert not WireItem.objects.exists()


def test_an_http_error_is_recorded(feed_server, ukrinform):
    assert failure(feed_server, ukrinform, "/gone", status=410) == "HTTP 410 Gone"


def test_inactive_sources_and_feeds_are_not_fetched(feed_server):
    add_feed(SourceFactory(is_active=False), feed_server.serve("/a", feeds.RSS))
    SourceFeed.objects.create(
        source=SourceFactory(), url=feed_server.serve("/b", feeds.RSS), is_active=False
    )
    assert not active_feeds().exists()
    assert "0 feeds fetched" in run()[0]
    assert feed_server.requests == []


def test_one_source_only(feed_server, ukrinform):
    add_feed(ukrinform, feed_server.serve("/rss", feeds.RSS))
    add_feed(SourceFactory(slug="other"), feed_server.serve("/atom", feeds.ATOM))
    run("--source", "other")
    assert list(WireItem.objects.values_list("source__slug", flat=True)) == ["other"]


def test_an_unknown_source_is_a_clear_error(ukrinform):
    with pytest.raises(CommandError, match=r"Unknown source “nope”\. Known sources: ukrinform\."):
        run("--source", "nope")


def test_filing_is_set_based(feed_server, ukrinform, settings, django_assert_max_num_queries):
    settings.NEWSROOM_INGEST_MAX_ITEMS = 300
    TopicFactory(name="Energy")
    items = "".join(
        f"<item><title>Story {n}</title><guid>g{n}</guid><category>Energy</category></item>"
        for n in range(300)
    )
    add_feed(ukrinform, feed_server.serve("/many", f'<rss version="2.0"><channel>{items}'
                                                   "</channel></rss>"))  # fmt: skip
    # feeds, lock, known GUIDs, INSERT, topics, links, feed status (+ savepoints)
    with django_assert_max_num_queries(12):
        report = ingest(active_feeds())
    assert report.filed == 300
    assert WireItem.topics.through.objects.count() == 300
