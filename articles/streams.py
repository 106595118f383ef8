"""Story streams read from the indexes alone: the SQL and the classes that page through them.

A topic's stories, a section's newest and a story's related ones are read
newest first from the topic stream index (`article_topic_stream_idx`) or the
sections' listing indexes, in fixed SQL whose values are all parameters
(`RELATED_RANKED_SQL`, `SECTIONS_LATEST_SQL`, `TOPIC_STREAM_SQL`), and only the
stories found are fetched, through a queryset that applies the visibility rule
again. `ArticleQuerySet` (`articles.models`) builds its `related_to`,
`latest_in_sections` and `in_topic_pages` on what is here; this module needs
no model at import time.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models.expressions import RawSQL
from django.utils import timezone

from topics.models import Topic

if TYPE_CHECKING:
    from articles.models import Article, ArticleQuerySet

# Related stories are ranked among this many of the newest stories of each topic.
RELATED_PER_TOPIC = 20
# The newest RELATED_PER_TOPIC stories of each of a story's topics but the story
# itself, one LATERAL lookup per topic in the topic stream index
# (`article_topic_stream_idx`), ranked by how many of those lists each is in, then
# newest first. Read from the index alone: no story row is visited to rank. The
# stream holds published stories only; the stories are then fetched through a
# queryset that applies the visibility rule again, for one unpublished since.
RELATED_RANKED_SQL = """
    SELECT newest.content_object_id FROM unnest(%s::bigint[]) AS topic(id)
    CROSS JOIN LATERAL (
        SELECT link.content_object_id, link.publish_at FROM articles_articletopic AS link
          JOIN articles_article AS story ON story.id = link.content_object_id
         WHERE link.tag_id = topic.id AND link.publish_at <= %s
           AND link.content_object_id <> %s AND story.language = %s
         ORDER BY link.publish_at DESC, link.content_object_id DESC
         LIMIT %s
    ) AS newest
    GROUP BY newest.content_object_id
    ORDER BY count(*) DESC, max(newest.publish_at) DESC, newest.content_object_id DESC
    LIMIT %s
"""
# The rows of `newest`, a query of a section's newest stories, for each section
# of the array, the section being `featured.id` (`latest_in_sections`).
SECTIONS_LATEST_SQL = """
    SELECT newest.* FROM unnest(%s::bigint[]) AS featured(id)
    CROSS JOIN LATERAL ({newest}) AS newest
"""
# A window of a topic's public stories, newest first, read from the topic stream
# index (`TopicStream`), in one language: each candidate's language is read
# through its primary key. Written out: as a queryset it cost more to build than to run.
TOPIC_STREAM_SQL = """
    SELECT link.content_object_id FROM articles_articletopic AS link
      JOIN articles_article AS story ON story.id = link.content_object_id
     WHERE link.tag_id = %s AND link.publish_at <= %s AND story.language = %s
     ORDER BY link.publish_at DESC, link.content_object_id DESC
    OFFSET %s LIMIT %s
"""


def array_of_ids(ids: Iterable[int]) -> RawSQL:
    """Return `ids` as a subquery of one array parameter, for `pk__in=`.

    The SQL is then the same whatever the number of ids.
    """
    return RawSQL("SELECT unnest(%s::bigint[])", (list(ids),))


def stream_window(window: slice) -> tuple[int, int | None]:
    """Return the offset and size (None: to the end) of a slice of a story stream.

    Streams are read a page at a time, counted from the newest story.
    """
    if not isinstance(window, slice) or window.step is not None:
        raise TypeError("A stream of stories is read a page at a time.")
    start, stop = window.start or 0, window.stop
    if start < 0 or (stop is not None and stop < 0):
        raise ValueError("A stream of stories is counted from the newest.")
    return start, None if stop is None else max(0, stop - start)


class TopicStream:
    """The stories of a topic, newest first, each slice taken from its stream index alone.

    Slicing `in_topic` fetches every story it skips to check that it is public:
    page 100 reads 2,000 stories to show 20. The stream index holds the public
    stories of each topic in order, so the window is taken there (an index-only
    read) and only the stories in it are fetched, still through `stories`.
    """

    ordered = True  # For Django's paginator: the order is fixed.

    def __init__(self, stories: ArticleQuerySet, topic: Topic | int, language: str) -> None:
        self.stories = stories
        self.topic = topic
        self.language = language

    def __getitem__(self, window: slice) -> list[Article]:
        start, size = stream_window(window)
        topic_id = self.topic.pk if isinstance(self.topic, Topic) else self.topic
        # Fixed text, values as parameters only.
        params = (topic_id, timezone.now(), self.language, start, size)
        stream = RawSQL(TOPIC_STREAM_SQL, params)  # noqa: S611
        return list(self.stories.filter(pk__in=stream).latest_first())
