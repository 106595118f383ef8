"""A newsroom at work: readers spread over the site as readers are, while stories go out.

Readers ask for a thousand URLs of every kind (home, feeds, sections, sources,
topics, stories), some far more than others: by a Zipf law of exponent about 1,
the home page most, then the next URL half as often, the next a third, and so
on. wrk draws from a long list of paths sampled by that law beforehand
(`zipf_sample`), so the load is the same from one run to the next.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence


def zipf_sample(
    items: Sequence[str], count: int, exponent: float = 1.0, seed: int = 11
) -> list[str]:
    """Draw `count` of `items`, the one of rank r (from 1) with weight 1 / r ** `exponent`."""
    if not items:
        raise ValueError("nothing to draw from")
    weights = list(itertools.accumulate(1.0 / rank**exponent for rank in range(1, len(items) + 1)))
    return random.Random(seed).choices(items, cum_weights=weights, k=count)


def hit_ratio(hits: int, misses: int) -> float | None:
    """Return the share of answers the front cache gave from memory, or None without any."""
    total = hits + misses
    return hits / total if total else None


def reader_paths(count: int = 1000, seed: int = 13) -> list[str]:
    """Return `count` public paths of every kind, the home page and the main feed first.

    Stories make up most of the list, the newest ones as readers prefer them;
    the rest (sections, sources, topics of recent stories, their feeds) are
    mixed in among them at random, so that popularity does not follow the kind.
    """
    from django.conf import settings

    from articles.models import Article, ArticleTopic, Section
    from sources.models import Source
    from topics.models import Topic

    rng = random.Random(seed)
    sections = [s.get_absolute_url() for s in Section.objects.order_by("pk")]
    sources = [s.get_absolute_url() for s in Source.objects.order_by("pk")]
    newest = list(Article.objects.published().order_by("-publish_at", "-pk")[: count * 2])
    # Topic pages of the default edition: topics its newest stories carry.
    used = (
        ArticleTopic.objects.filter(
            content_object__in=[a.pk for a in newest if a.language == settings.LANGUAGE_CODE]
        )
        .values_list("tag_id", flat=True)
        .distinct()
    )
    topics = [t.get_absolute_url() for t in Topic.objects.filter(pk__in=used).order_by("pk")]
    subjects = [
        "/feed/atom/",
        *sections,
        *(f"{path}feed/" for path in sections),
        *sources,
        *(f"{path}feed/" for path in sources[:20]),
        *topics[: count // 5],
        *(f"{path}feed/" for path in topics[:20]),
    ]
    stories = [a.get_absolute_url() for a in newest]
    rest = subjects[: count // 3] + stories[: count - 2 - min(len(subjects), count // 3)]
    rng.shuffle(rest)
    return ["/", "/feed/", *rest][:count]
