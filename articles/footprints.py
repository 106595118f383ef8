"""Where a public story shows: its `Footprint` (publish time, section, source, topics, authors).

Taken before and after each change (`articles.signals.story_changed`), it tells
the front cache which pages to purge and the WebSub hub which feeds changed. A
story readers cannot see has none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef

from articles.models import Article, ArticleQuerySet, ArticleTopic
from topics.models import Topic


@dataclass(frozen=True)
class Footprint:
    """Where a public story shows: its publish time and the subjects whose lists carry it."""

    pk: int
    publish_at: datetime
    section_id: int | None
    source_id: int | None
    topic_ids: frozenset[int]
    author_ids: frozenset[int]


def public_footprints(stories: ArticleQuerySet) -> dict[int, Footprint]:
    """Return where each public story of `stories` shows now, by id (one query).

    A story readers cannot see has none.
    """
    links = ArticleTopic.objects.filter(
        content_object=OuterRef("pk"), tag__in=Topic.objects.public()
    )
    bylines = Article.authors.through.objects.filter(article=OuterRef("pk"))
    rows = (
        stories.published()
        .values("pk", "publish_at", "section_id", "source_id")
        .annotate(
            topic_ids=ArraySubquery(links.values("tag_id")),
            author_ids=ArraySubquery(bylines.values("user_id")),
        )
        .order_by()
    )
    return {
        row["pk"]: Footprint(
            pk=row["pk"],
            publish_at=row["publish_at"],
            section_id=row["section_id"],
            source_id=row["source_id"],
            topic_ids=frozenset(row["topic_ids"]),
            author_ids=frozenset(row["author_ids"]),
        )
        for row in rows
    }


def public_footprint(pk: int) -> Footprint | None:
    """Return where the story `pk` shows now, or None if readers cannot see it (one query)."""
    return public_footprints(Article.objects.filter(pk=pk)).get(pk)
