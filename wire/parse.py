"""Read the items of an RSS 2.0 or Atom 1.0 feed, refusing anything dangerous or broken.

The XML goes through defusedxml, which refuses document type declarations, so
entity-expansion bombs and external entities never get parsed. Malformed XML is
an error for the whole feed (nothing of it is filed), not a best guess.

The document is read as a stream: each item is read, kept only if it is among the
newest `limit` so far, and dropped from the tree, so a feed of 40,000 items costs
the memory of `limit` of them, not of the whole tree.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from io import BytesIO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from newsroom.datetimes import in_utc

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"
# An item naming hundreds of categories is a flood, not tagging: the rest are not read.
CATEGORIES_PER_ENTRY = 20


class FeedError(Exception):
    """A feed could not be read; the message says why, in one line."""


@dataclass
class Entry:
    guid: str
    link: str
    title: str
    summary: str = ""  # HTML, when the feed gives a summary beside the full text
    body: str = ""  # HTML, as the feed gave it: clean it before storing.
    published: datetime | None = None
    categories: list[str] = field(default_factory=list)
    author: str = ""


def text(element: Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def raw(element: Element | None) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


def rfc822(value: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    # In UTC, or none: a feed's offset may be one PostgreSQL refuses, its year 1 or 9999.
    return in_utc(parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC))


def rfc3339(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return in_utc(parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC))


@dataclass
class Parsed:
    entries: list[Entry]  # The newest first, at most the limit asked for.
    total: int  # Stories in the feed, taken or not.


@dataclass(frozen=True)
class Format:
    """How one kind of feed names its items, dates them and reads them."""

    item_depth: int  # Below the root: RSS items sit in <channel>, Atom entries in <feed>.
    item_tag: str
    is_story: Callable[[Element], bool]
    date: Callable[[Element], datetime | None]
    entry: Callable[[Element], Entry | None]


class Newest:
    """The newest `limit` items offered; undated ones rank by their place in the feed.

    Only the items kept are read in full, once the whole feed has been seen; the
    others are only dated and counted.
    """

    OLDEST = datetime.min.replace(tzinfo=UTC)

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.heap: list[tuple[datetime, int, Element]] = []
        self.total = 0

    def offer(self, item: Element, date: datetime | None) -> None:
        self.total += 1
        # Feeds list their newest first: among equal dates, earlier in the feed wins.
        candidate = (date or self.OLDEST, -self.total, item)
        if self.limit is None or len(self.heap) < self.limit:
            heapq.heappush(self.heap, candidate)
        elif candidate[:2] > self.heap[0][:2]:
            heapq.heapreplace(self.heap, candidate)

    def result(self, read: Callable[[Element], Entry | None]) -> Parsed:
        newest = sorted(self.heap, key=lambda candidate: candidate[:2], reverse=True)
        entries = [entry for *_, item in newest if (entry := read(item))]
        return Parsed(entries=entries, total=self.total)


def parse(content: bytes, limit: int | None = None) -> Parsed:
    """Return the newest `limit` entries of an RSS 2.0 or Atom feed; raise FeedError otherwise."""
    newest = Newest(limit)
    path: list[Element] = []  # The open elements, from the root down.
    kind = channel = None
    try:
        events = iterparse(BytesIO(content), events=("start", "end"), forbid_dtd=True)
        for event, element in events:
            if event == "start":
                if kind is None:
                    kind = FORMATS.get(element.tag)
                    if kind is None:
                        raise FeedError(
                            f"neither RSS 2.0 nor Atom: the document is <{element.tag[:60]}>"
                        )
                elif len(path) == 1 and element.tag == "channel" and channel is None:
                    channel = element
                path.append(element)
                continue
            path.pop()
            depth = len(path)
            if (
                depth == kind.item_depth
                and element.tag == kind.item_tag
                and (kind is ATOM_FORMAT or path[-1] is channel)  # RSS: the first channel's.
                and kind.is_story(element)  # Something to identify and show.
            ):
                newest.offer(element, kind.date(element))
            if 0 < depth <= kind.item_depth:
                path[-1].remove(element)  # Seen: out of the tree, to keep memory flat.
    except DefusedXmlException as error:
        raise FeedError(f"refused: the XML declares {type(error).__name__}") from None
    except ParseError as error:
        raise FeedError(f"malformed XML: {error}") from None
    if kind is RSS_FORMAT and channel is None:
        raise FeedError("an RSS document without a <channel>")
    return newest.result(kind.entry)


def rss_guid(item: Element) -> str:
    return text(item.find("guid")) or text(item.find("link"))


def rss_date(item: Element) -> datetime | None:
    return rfc822(text(item.find("pubDate"))) or rfc3339(text(item.find(f"{DC}date")))


def rss_entry(item: Element) -> Entry | None:
    link = text(item.find("link"))
    guid = text(item.find("guid")) or link
    title = text(item.find("title"))
    if not guid or not title:
        return None  # Nothing to identify or show: not a story.
    description = raw(item.find("description"))
    encoded = raw(item.find(f"{CONTENT}encoded"))
    return Entry(
        guid=guid,
        link=link if link.startswith(("http://", "https://")) else "",
        title=title,
        # With full text in content:encoded, the description is the summary.
        summary=description if encoded else "",
        body=encoded or description,
        published=rss_date(item),
        categories=[name for c in item.findall("category") if (name := text(c))][
            :CATEGORIES_PER_ENTRY
        ],
        author=text(item.find(f"{DC}creator")) or text(item.find("author")),
    )


def atom_alternate(item: Element) -> str:
    return next(
        (
            link.get("href", "")
            for link in item.findall(f"{ATOM}link")
            if link.get("rel", "alternate") == "alternate"
        ),
        "",
    )


def atom_date(item: Element) -> datetime | None:
    return rfc3339(text(item.find(f"{ATOM}published"))) or rfc3339(
        text(item.find(f"{ATOM}updated"))
    )


def atom_entry(item: Element) -> Entry | None:
    alternate = atom_alternate(item)
    guid = text(item.find(f"{ATOM}id")) or alternate
    title = text(item.find(f"{ATOM}title"))
    if not guid or not title:
        return None
    summary = raw(item.find(f"{ATOM}summary"))
    content = raw(item.find(f"{ATOM}content"))
    return Entry(
        guid=guid,
        link=alternate if alternate.startswith(("http://", "https://")) else "",
        title=title,
        summary=summary if content else "",
        body=content or summary,
        published=atom_date(item),
        categories=[
            name
            for c in item.findall(f"{ATOM}category")
            if (name := (c.get("label") or c.get("term") or "").strip())
        ][:CATEGORIES_PER_ENTRY],
        author=text(item.find(f"{ATOM}author/{ATOM}name")),
    )


RSS_FORMAT = Format(
    item_depth=2,
    item_tag="item",
    is_story=lambda item: bool(rss_guid(item) and text(item.find("title"))),
    date=rss_date,
    entry=rss_entry,
)
ATOM_FORMAT = Format(
    item_depth=1,
    item_tag=f"{ATOM}entry",
    is_story=lambda item: bool(
        (text(item.find(f"{ATOM}id")) or atom_alternate(item)) and text(item.find(f"{ATOM}title"))
    ),
    date=atom_date,
    entry=atom_entry,
)
FORMATS = {"rss": RSS_FORMAT, f"{ATOM}feed": ATOM_FORMAT}
