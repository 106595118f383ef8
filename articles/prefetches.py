"""What lists of stories load with each story for readers: its byline and its public topics.

Each is one `Prefetch`, one query for any number of stories, with only what the
pages show: `ArticleQuerySet.for_listing` takes both, and the pages, feeds and
API that build their own queries take them from here.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Prefetch

from articles.languages import reader_language
from topics.models import Topic


def public_topics() -> Prefetch:
    """Return the prefetch of a story's approved topics, as `article.public_topics`.

    Readers see these and no others (see `topics.models.approved_q`): cards, the
    article page, JSON-LD, feeds. One query for any number of stories, which
    carries each topic's name and slug in the reader's language (`local_name`,
    `get_absolute_url()`).
    """
    topics = Topic.objects.public().named_in(reader_language()).only("id", "name", "slug", "status")
    return Prefetch("topics", queryset=topics, to_attr="public_topics")


def bylines() -> Prefetch:
    """Return the prefetch of a story's authors, with only what a byline shows."""
    people = get_user_model().objects.only("id", "first_name", "last_name", "username")
    return Prefetch("authors", queryset=people)
