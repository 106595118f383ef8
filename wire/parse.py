"""Read the items of an RSS 2.0 or Atom 1.0 feed, refusing anything dangerous or broken.

The XML goes through defusedxml, which refuses document type declarations, so
entity-expansion bombs and external entities never get parsed. Malformed XML is
an error for the whole feed (nothing of it is filed), not a best guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"


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
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def rfc3339(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse(content: bytes) -> list[Entry]:
    """Return the entries of an RSS 2.0 or Atom feed; raise FeedError otherwise."""
    try:
        root = fromstring(content, forbid_dtd=True)
    except DefusedXmlException as error:
        raise FeedError(f"refused: the XML declares {type(error).__name__}") from None
    except ParseError as error:
        raise FeedError(f"malformed XML: {error}") from None
    if root.tag == "rss":
        channel = root.find("channel")
        if channel is None:
            raise FeedError("an RSS document without a <channel>")
        return [entry for item in channel.findall("item") if (entry := rss_entry(item))]
    if root.tag == f"{ATOM}feed":
        return [entry for item in root.findall(f"{ATOM}entry") if (entry := atom_entry(item))]
    raise FeedError(f"neither RSS 2.0 nor Atom: the document is <{root.tag[:60]}>")


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
        published=rfc822(text(item.find("pubDate"))) or rfc3339(text(item.find(f"{DC}date"))),
        categories=[name for c in item.findall("category") if (name := text(c))],
        author=text(item.find(f"{DC}creator")) or text(item.find("author")),
    )


def atom_entry(item: Element) -> Entry | None:
    links = item.findall(f"{ATOM}link")
    alternate = next(
        (link.get("href", "") for link in links if link.get("rel", "alternate") == "alternate"),
        "",
    )
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
        published=rfc3339(text(item.find(f"{ATOM}published")))
        or rfc3339(text(item.find(f"{ATOM}updated"))),
        categories=[
            name
            for c in item.findall(f"{ATOM}category")
            if (name := (c.get("label") or c.get("term") or "").strip())
        ],
        author=text(item.find(f"{ATOM}author/{ATOM}name")),
    )
