"""How the stories use each topic: counts and a few examples, for moderators.

Everything is an annotation computed by the database for the rows shown, so a
list of topics costs one query however long it is.
"""

from __future__ import annotations

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, JSONObject

from articles.models import Article, ArticleTopic, published_q
from topics.models import Topic

SAMPLE_SIZE = 3


def _count_links(condition: Q | None = None) -> Coalesce:
    links = (
        ArticleTopic.objects.filter(condition or Q(), tag=OuterRef("pk"))
        .order_by()
        .values("tag")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(links, output_field=IntegerField()), 0)


def with_usage(topics: QuerySet[Topic], shown: QuerySet[Article] | None = None) -> QuerySet[Topic]:
    """Annotate each topic with `published_stories`, `all_stories` and `sample_stories`.

    `published_stories` counts the stories readers can see (`published_q`);
    `all_stories` every story, drafts included; `sample_stories` holds up to
    `SAMPLE_SIZE` of the most recently changed ones as {"id", "headline", "status"},
    taken from `shown` when given (the stories the user may read).
    """
    links = ArticleTopic.objects.filter(tag=OuterRef("pk"))
    if shown is not None:
        links = links.filter(content_object__in=shown.values("pk"))
    sample = ArraySubquery(
        links.order_by("-content_object__updated_at", "-content_object_id").values(
            story=JSONObject(
                id="content_object_id",
                headline="content_object__headline",
                status="content_object__status",
            )
        )[:SAMPLE_SIZE]
    )
    return topics.annotate(
        published_stories=_count_links(published_q("content_object__")),
        all_stories=_count_links(),
        # None of the stories when the user may read none: an empty list, not NULL.
        sample_stories=Coalesce(sample, Value([], output_field=sample.output_field)),
    )


def topics_in_use(topic_ids) -> set[int]:
    """Return which of `topic_ids` at least one story, of any status, is tagged with."""
    return set(
        ArticleTopic.objects.filter(tag__in=topic_ids).values_list("tag", flat=True).distinct()
    )
