"""Rendered stories kept in the cache: story cards and the story part of the article page.

A publish retires every cached page (`newsroom.page_cache`), so during breaking
news pages are mostly rendered afresh; most of that work is the same stories
rendered the same way again. Each story's card (one per style it is shown in;
a search result's byline, time, source and topics are one such style, its
highlighted text is not) and the story part of its page (head tags, JSON-LD, topic feeds and the
`<article>` itself; not a preview's banner) are kept in Django's cache under a
key made of

- the story's id and `updated_at`, which moves on every save of the story
  (publishing and unpublishing included) and when a correction is added;
- the style (`card-h3-compact`, `story`, ...);
- the *fragment version*, a counter in the cache like the page cache's content
  version, bumped by every change a fragment shows that is not a save of the
  story itself: a section, source, topic, alias, old topic address, photo,
  correction, topic link, byline or author's name, and every moderation action.
  Publishing or editing one story leaves it alone, so the other stories' cards
  stay cached;
- a digest of the templates and settings fragments are rendered with, so new
  markup after a deploy (or a template edit in development) is never served
  old.

The related stories at the foot of a story's page depend on other stories: they
are kept under the page cache's content version instead, which every story
published, edited or withdrawn moves, and no longer than a cached page.

Fragments are only looked up for stories a `published()` query has just
returned, so nothing unpublished is ever shown through one; previews never read
or write them. The version is read before the stories are: a change committed
meanwhile then bumps it past whatever is rendered from the rows read before the
change. Each process trusts the version it last read for `VERSION_CHECK`
seconds, as the page cache does: a change made in another process reaches this
one's pages within that time (one made here, at once). Entries also expire after
`FRAGMENT_TIMEOUT`.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from articles import structured_data
from articles.models import Article, public_topics
from newsroom.page_cache import PAGE_TIMEOUT, VERSION_CHECK
from newsroom.versions import VersionCounter

FRAGMENT_TIMEOUT = 60 * 60
VERSION_KEY = "story-fragments:version"
CARD_TEMPLATE = "includes/article_card.html"
DETAILS_TEMPLATE = "includes/card_details.html"
STORY_TEMPLATES = {
    "head": "articles/story_head.html",
    "feeds": "articles/story_feeds.html",
    "body": "articles/story.html",
}
RELATED_TEMPLATE = "includes/related_stories.html"
# How many related stories a story's page shows.
RELATED_COUNT = 4
# Every template a fragment is rendered from, its includes too, and the page
# frame, whose header is cached as one (`articles.context_processors`).
MARKUP_TEMPLATES = (
    "base.html",
    CARD_TEMPLATE,
    DETAILS_TEMPLATE,
    "includes/byline.html",
    "includes/lead_image.html",
    *STORY_TEMPLATES.values(),
    RELATED_TEMPLATE,
)
# Bump when what is stored under a key changes shape.
STORAGE_FORMAT = "1"


# --- The fragment version ------------------------------------------------------------


fragment_versions = VersionCounter(VERSION_KEY, trusted_for=VERSION_CHECK)


def version() -> int:
    """Return the current fragment version, starting one if the cache has none.

    Read it before fetching the stories to render (see the module docstring).
    """
    return fragment_versions.current()


def fragments_changed(**kwargs) -> None:
    """Retire every stored fragment (usable directly as a signal receiver).

    Bumps the version now, and again once the transaction commits: a page
    rendered in between from the rows as they were is stored under a version
    nobody asks for any more.
    """
    fragment_versions.bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(fragment_versions.bump)


def _template_digest() -> str:
    sources = "\0".join(get_template(name).template.source for name in MARKUP_TEMPLATES)
    return hashlib.sha256(sources.encode()).hexdigest()


# Templates change with a deploy, which starts new processes; in development an
# edited template is read again on the next request.
_deployed_template_digest = functools.cache(_template_digest)


def markup_digest() -> str:
    """Return a short digest of the templates and settings fragments are rendered with."""
    templates = _template_digest() if settings.DEBUG else _deployed_template_digest()
    parts = [templates, settings.SITE_URL, settings.NEWSROOM_SITE_NAME, settings.TIME_ZONE]
    return hashlib.sha256("\0".join([*parts, STORAGE_FORMAT]).encode()).hexdigest()[:16]


def fragment_key(article: Article, style: str, fragment_version: int, digest: str) -> str:
    """Return the cache key of one rendering of a story."""
    updated = article.updated_at.isoformat()
    return f"story-fragments:{digest}:{fragment_version}:{article.pk}:{updated}:{style}"


# --- Story cards ---------------------------------------------------------------------


@dataclass(frozen=True)
class CardStyle:
    """How a story card is shown (the variables of `includes/article_card.html`)."""

    level: int = 2  # of its headline
    lead: bool = False  # the page's lead, with its photo
    compact: bool = False  # headline, time and source only
    # Byline, time, source and topics alone: the part of a search result that
    # does not depend on what the reader searched for.
    details_only: bool = False

    @property
    def name(self) -> str:
        if self.details_only:
            return "card-details"
        lead = "-lead" if self.lead else ""
        compact = "-compact" if self.compact else ""
        return f"card-h{self.level}{lead}{compact}"

    @property
    def template(self) -> str:
        return DETAILS_TEMPLATE if self.details_only else CARD_TEMPLATE


def attach_cards(placed: Iterable[tuple[Article | None, CardStyle]], fragment_version: int) -> None:
    """Give each story its rendered card as `article.card`, from the cache where it can.

    `placed` pairs the stories of a page (None is skipped) with the style each
    is shown in; pass only stories a `published()` query has just returned,
    fetched whole (`for_cards`) or only as `card_keys`. One cache read for all
    of them. For the cards the cache lacks, the stories fetched in part are
    fetched whole (one query, which applies the visibility rule again: a story
    gone since shows no card), bylines and topics are fetched (compact cards show
    neither), and the cards rendered are stored in one write.
    """
    placed = [(article, style) for article, style in placed if article is not None]
    if not placed:
        return
    digest = markup_digest()
    keys = [fragment_key(a, style.name, fragment_version, digest) for a, style in placed]
    found = cache.get_many(keys)
    missing = []
    for (article, style), key in zip(placed, keys, strict=True):
        html = found.get(key)
        if isinstance(html, str):
            article.card = mark_safe(html)  # noqa: S308 - rendered by us, see render below
        else:
            missing.append((article, style))
    if not missing:
        return
    # `for_cards` leaves out only the body (and the search vector, which no query reads).
    keys_only = {a.pk for a, _ in missing if a.get_deferred_fields() - {"body", "search_vector"}}
    whole = Article.objects.published().for_cards().in_bulk(keys_only) if keys_only else {}
    to_render = []
    for article, style in missing:
        story = whole.get(article.pk) if article.pk in keys_only else article
        if story is None:
            article.card = ""
        else:
            to_render.append((article, story, style))
    needs_details = {id(story): story for _, story, style in to_render if not style.compact}
    prefetch_related_objects(list(needs_details.values()), "authors", public_topics())
    rendered = {}
    for article, story, style in to_render:
        article.card = get_template(style.template).render(
            {
                "article": story,
                "level": style.level,
                "is_lead": style.lead,
                "compact": style.compact,
            }
        )
        # Keyed by the row it was rendered from, which may be newer than the page's.
        rendered[fragment_key(story, style.name, fragment_version, digest)] = str(article.card)
    cache.set_many(rendered, FRAGMENT_TIMEOUT)


def joined_cards(stories: Iterable[Article]) -> SafeString:
    """Return the cards `attach_cards` gave `stories`, one after another, as one piece of markup.

    A list page passes its cards to the template joined: a template loop over
    forty stories costs more than the join.
    """
    return mark_safe("".join(story.card for story in stories))  # noqa: S308 - each is safe


# --- The story on its page ------------------------------------------------------------


@dataclass(frozen=True)
class StoryParts:
    """The story part of the article page, rendered."""

    head: SafeString  # meta tags and JSON-LD
    feeds: SafeString  # links to the story's topic feeds
    body: SafeString  # the <article> element
    topic_ids: tuple[int, ...]  # its public topics, for the related stories


def render_story(article: Article) -> StoryParts:
    """Render the story part of a story's page, neither from nor into the cache.

    Previews use this directly: a draft's rendering must never be stored.
    Fetches the story's bylines and public topics (two queries) unless loaded.
    """
    prefetch_related_objects([article], "authors", public_topics())
    context = {
        "article": article,
        "json_ld": structured_data.news_article(article),
        "site_name": settings.NEWSROOM_SITE_NAME,
        "site_url": settings.SITE_URL,
    }
    parts = {name: get_template(path).render(context) for name, path in STORY_TEMPLATES.items()}
    return StoryParts(**parts, topic_ids=tuple(topic.pk for topic in article.public_topics))


def find_story_page(
    article: Article, fragment_version: int, content_version: int
) -> tuple[StoryParts | None, SafeString | None]:
    """Return the story part and the related stories of a public story's page.

    Each is None if the cache lacks it; one cache read for both. Only the
    story's id and `updated_at` are read: the article page looks them up before
    fetching the rest of the story, which it then rarely needs.
    """
    digest = markup_digest()
    story_key = fragment_key(article, "story", fragment_version, digest)
    related_key = _related_key(article, content_version, digest)
    found = cache.get_many([story_key, related_key])
    stored, related = found.get(story_key), found.get(related_key)
    parts = None
    if isinstance(stored, dict):
        parts = StoryParts(
            # Rendered by us (see `keep_story_parts`), stored as plain strings.
            head=mark_safe(stored["head"]),  # noqa: S308
            feeds=mark_safe(stored["feeds"]),  # noqa: S308
            body=mark_safe(stored["body"]),  # noqa: S308
            topic_ids=tuple(stored["topic_ids"]),
        )
    # Rendered by us too (see `keep_related_stories`).
    return parts, mark_safe(related) if isinstance(related, str) else None  # noqa: S308


def keep_story_parts(article: Article, fragment_version: int) -> StoryParts:
    """Render the story part of a public story's page and keep it in the cache.

    Pass only a whole story (see `articles.views.for_article_page`) that a
    `published()` query has just returned.
    """
    parts = render_story(article)
    stored = {
        "head": str(parts.head),
        "feeds": str(parts.feeds),
        "body": str(parts.body),
        "topic_ids": list(parts.topic_ids),
    }
    key = fragment_key(article, "story", fragment_version, markup_digest())
    cache.set(key, stored, FRAGMENT_TIMEOUT)
    return parts


# --- The related stories on a story's page --------------------------------------------


def render_related_stories(article: Article, topic_ids: Iterable[int]) -> SafeString:
    """Render the stories related to `article` (its public `topic_ids`), not from the cache.

    Two queries (see `ArticleQuerySet.related_to`); previews use this directly.
    """
    related = (
        Article.objects.published()
        .only("pk", "slug", "headline", "publish_at")
        .related_to(article, RELATED_COUNT, topic_ids=topic_ids)
    )
    return get_template(RELATED_TEMPLATE).render({"related": related})


def keep_related_stories(
    article: Article, topic_ids: Iterable[int], content_version: int
) -> SafeString:
    """Render the stories related to a public story and keep them in the cache.

    Kept under the content version read before any story was, and for no longer
    than a cached page: a scheduled story becomes public without a save.
    """
    html = render_related_stories(article, topic_ids)
    cache.set(_related_key(article, content_version, markup_digest()), str(html), PAGE_TIMEOUT)
    return html


def _related_key(article: Article, content_version: int, digest: str) -> str:
    return f"related-stories:{digest}:{content_version}:{article.pk}"


# --- What retires them (wired in `articles.apps`) -------------------------------------


def shown_row_changed(sender, created: bool = False, **kwargs) -> None:
    """Retire fragments when a section, source, topic or photo is changed or deleted.

    A new one is on no story yet: the story it is put on is saved, and so keyed anew.
    """
    if not created:
        fragments_changed()


def _may_have_fragments(article_ids: Iterable[int]) -> bool:
    # Only a published story has fragments under its current `updated_at`: no
    # other state is ever rendered into one, and only a save publishes a story.
    # A draft gaining topics or a byline therefore retires nothing.
    return Article.objects.filter(pk__in=article_ids, status=Article.Status.PUBLISHED).exists()


def topic_link_changed(sender, instance, **kwargs) -> None:
    """Retire fragments when a published story gains or loses a topic."""
    if _may_have_fragments([instance.content_object_id]):
        fragments_changed()


def byline_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """Retire fragments when a published story's byline changes."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action != "post_clear" and not pk_set:
        return
    if reverse:  # Stories added to or removed from a user's bylines.
        if action == "post_clear" or _may_have_fragments(pk_set):
            fragments_changed()
    elif _may_have_fragments([instance.pk]):
        fragments_changed()


def author_changed(sender, instance, created: bool = False, update_fields=None, **kwargs) -> None:
    """Retire fragments when a user's name, which bylines show, may have changed."""
    if created:
        return
    shown = {"first_name", "last_name", get_user_model().USERNAME_FIELD}
    if update_fields is not None and not shown & set(update_fields):
        return  # A login, a password change: no byline changes.
    fragments_changed()
