"""Reading feeds: the newest items within the cap, counted, read as a stream."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.wire import feeds
from wire.parse import CATEGORIES_PER_ENTRY, FeedError, parse

NOON = datetime(2026, 11, 24, 12, tzinfo=UTC)


def guids(content: str, limit: int | None) -> list[str]:
    return [entry.guid for entry in parse(content.encode(), limit=limit).entries]


def test_the_newest_items_are_taken_wherever_they_stand_in_the_feed():
    document = feeds.dated(
        ("old", NOON - timedelta(days=2)),
        ("newest", NOON),
        ("oldest", NOON - timedelta(days=3)),
        ("newer", NOON - timedelta(hours=1)),
    )
    assert guids(document, limit=2) == ["newest", "newer"]


def test_undated_items_rank_by_their_place_in_the_feed():
    document = feeds.dated(("first", None), ("second", None), ("third", None))
    assert guids(document, limit=2) == ["first", "second"]


def test_without_a_limit_every_item_is_read_newest_first():
    document = feeds.dated(("a", NOON - timedelta(hours=2)), ("b", NOON), ("c", None))
    assert guids(document, limit=None) == ["b", "a", "c"]


def test_every_story_is_counted_whether_taken_or_not():
    parsed = parse(feeds.flood(5_000).encode(), limit=10)
    assert parsed.total == 5_000
    assert len(parsed.entries) == 10


def test_items_that_are_not_stories_are_neither_taken_nor_counted():
    document = '<rss version="2.0"><channel><item><guid>no-title</guid></item></channel></rss>'
    assert parse(document.encode(), limit=5).total == 0


def test_an_item_reads_a_limited_number_of_categories():
    names = "".join(f"<category>Name {n}</category>" for n in range(500))
    document = f'<rss version="2.0"><channel><item><title>T</title><guid>g</guid>{names}</item>'
    (entry,) = parse(f"{document}</channel></rss>".encode()).entries
    assert entry.categories == [f"Name {n}" for n in range(CATEGORIES_PER_ENTRY)]


def test_atom_entries_are_read_within_the_limit():
    parsed = parse(feeds.ATOM.encode(), limit=1)
    assert (parsed.total, [e.guid for e in parsed.entries]) == (1, ["tag:coe.int,2026:news/501"])


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            "<html><body>Not a feed</body></html>",
            "neither RSS 2.0 nor Atom: the document is <html>",
        ),
        (
            '<rss version="2.0"><title>No channel</title></rss>',
            "an RSS document without a <channel>",
        ),
        (feeds.MALFORMED, "malformed XML"),
        (feeds.ENTITY_BOMB, "refused: the XML declares"),
    ],
    ids=["not-a-feed", "no-channel", "malformed", "entity-bomb"],
)
def test_what_is_not_a_feed_is_a_clear_error(document, message):
    with pytest.raises(FeedError) as error:
        parse(document.encode(), limit=10)
    assert error.value.args[0].startswith(message)
