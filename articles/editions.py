"""A story's piece of news in every language, read with the story itself.

Translations point at the original, so one piece of news is the original and
its translations (`articles.models.editions_q`). `published_editions` is the
annotation that lists the public ones with each story, for the pages' hreflang
links, the sitemaps' xhtml:link and the API's associations.
"""

from __future__ import annotations

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from django.db.models.functions import Coalesce, JSONObject

from articles.models import Article, editions_q


def published_editions() -> ArraySubquery:
    """Return, for a story, its piece of news's published editions, itself included.

    An annotation (`editions=published_editions()`): a list of {"pk", "slug",
    "language", "headline"}, by language, read with the story in the same query,
    from the translations index. An unpublished edition is in no list. Pages link
    them with hreflang, sitemaps with xhtml:link, the API as ninjs associations.
    """
    original = Coalesce(OuterRef("translation_of_id"), OuterRef("pk"))
    editions = (
        Article.objects.published()
        .filter(editions_q(original))
        .order_by("language", "pk")
        .values(edition=JSONObject(pk="pk", slug="slug", language="language", headline="headline"))
    )
    return ArraySubquery(editions)
