"""Surrogate keys: the names a public answer gives to what it shows.

- `story-<id>`: answers showing the story (its page, card, feed entry, API item);
  purged when it is edited, corrected, published or taken down.
- `topic-<id>`, `section-<id>`, `source-<id>`, `author-<id>`: answers showing the
  subject's name; purged when it is renamed, approved, rejected or merged.
- `list-topic-<id>` (and section, source, author): the subject's list of stories;
  purged when a story joins or leaves it.
- `latest`: lists of the newest stories (home, feeds, search, API); purged when a
  story joins or leaves the public site.
- `updates`: dates of last change (sitemaps, the API's change order); purged when
  any public story changes.
- `home`: the home page's pins. `nav`: the site navigation, on every page; purged
  when a section changes.

A header holds at most `MAX_HEADER_LENGTH` characters: past that, the keys of
the most numerous kind give way to that kind's catch-all (`story-all`), which
every purge of a key of that kind also purges.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.http import HttpRequest

LATEST = "latest"
UPDATES = "updates"
HOME = "home"
NAVIGATION = "nav"
# Varnish refuses response headers past 8 KB (http_resp_hdr_len); CDNs allow less.
MAX_HEADER_LENGTH = 4000


def story(pk: int) -> str:
    return f"story-{pk}"


def subject(kind: str, pk: int) -> str:
    """Return the key of a topic's, section's, source's or author's name."""
    return f"{kind}-{pk}"


def listing(kind: str, pk: int) -> str:
    """Return the key of the list of stories of a topic, section, source or author."""
    return f"list-{kind}-{pk}"


def every(kind: str) -> str:
    """Return the catch-all key of a kind: it stands for every key of that kind."""
    return f"{kind}-all"


def catch_all(key: str) -> str | None:
    """Return the catch-all of `key`'s kind, or None for a key of no kind (`latest`)."""
    kind, dash, _ = key.partition("-")
    return every(kind) if dash else None


def tag(request: HttpRequest, *keys: str) -> None:
    """Name what the answer to `request` shows (see `decorators.cache_in_front`)."""
    if not hasattr(request, "surrogate_keys"):
        request.surrogate_keys = set()
    request.surrogate_keys.update(keys)


def of_story(article) -> list[str]:
    """Return the keys of a story as shown: itself, its section, source, topics and byline.

    Reads what the story has loaded (`public_topics`, prefetched `authors`);
    nothing is queried.
    """
    keys = [story(article.pk)]
    if article.section_id:
        keys.append(subject("section", article.section_id))
    if article.source_id:
        keys.append(subject("source", article.source_id))
    keys.extend(subject("topic", topic.pk) for topic in getattr(article, "public_topics", ()))
    prefetched = getattr(article, "_prefetched_objects_cache", {})
    keys.extend(subject("author", author.pk) for author in prefetched.get("authors", ()))
    return keys


def tag_stories(request: HttpRequest, stories: Iterable) -> None:
    """Name the stories an answer shows, with the names they show (see `of_story`)."""
    tag(request, *(key for article in stories for key in of_story(article)))


def header_value(keys: Iterable[str]) -> str:
    """Return the keys as one header value, within `MAX_HEADER_LENGTH`."""
    keys = set(keys)
    while len(" ".join(keys)) > MAX_HEADER_LENGTH:
        kinds = Counter(catch_all(key) for key in keys if catch_all(key) and key != catch_all(key))
        if not kinds:
            break
        widest = kinds.most_common(1)[0][0]
        keys = {key for key in keys if catch_all(key) != widest} | {widest}
    return " ".join(sorted(keys))


def with_catch_alls(keys: Iterable[str]) -> set[str]:
    """Return `keys` with the catch-all of every kind among them, as a purge needs."""
    keys = set(keys)
    return keys | {catch_all(key) for key in keys if catch_all(key)}
