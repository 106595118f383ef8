"""Find pairs of topics that are probably the same, for moderators to merge.

Four kinds of evidence, strongest first:

1. the same name once punctuation and spaces are ignored ("C.P.T." and "CPT");
2. a simple plural or possessive form of the other ("Sanction", "Sanctions";
   "Russia", "Russia's");
3. a Cyrillic name whose official transliteration (`topics.transliteration`) is
   spelled like a Latin one ("Київ" and "Kyiv", "Зеленський" and "Zelensky");
4. similar spelling by trigram similarity (`pg_trgm`) of the normal forms
   ("Prisoners of war", "Prisoner of war").

Names are compared within a language: the topics' own (default-language)
names with each other, and their names in each other language (`TopicName`)
with those of other topics in the same language. ("Київ" named in Ukrainian
and "Kyiv" are one topic already; two default names "Київ" and "Kyiv" are
paired by the transliteration check.)

The first two are hash joins over the whole vocabulary (under a second with
100,000 topics). The last two compare `TRIGRAM_PROBES` topics, pending proposals
first and then the newest, where new duplicates come from, with every topic
through the trigram index: each probe costs a few milliseconds, so the page
answers in a couple of seconds however large the vocabulary grows.
Rejected topics are left out: nothing should be merged into or from them here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, When
from django.utils.translation import gettext

from topics.models import Topic, TopicName
from topics.transliteration import has_cyrillic, transliterate

SIMILARITY_THRESHOLD = 0.6
TRIGRAM_PROBES = 500


@dataclass(frozen=True)
class LikelyDuplicate:
    """Two topics that are probably one, why we think so and how sure we are (0 to 1)."""

    first: Topic
    second: Topic
    reason: str
    score: float


def _table() -> str:
    return connection.ops.quote_name(Topic._meta.db_table)


def _names_table() -> str:
    return connection.ops.quote_name(TopicName._meta.db_table)


def _names() -> str:
    """Every name of every topic not rejected, as (id, language, name) rows."""
    return f"""
        SELECT id, %(default)s::text AS language, name FROM {_table()}
        WHERE status <> 'rejected'
        UNION ALL
        SELECT named.topic_id, named.language, named.name
        FROM {_names_table()} AS named JOIN {_table()} AS topic ON topic.id = named.topic_id
        WHERE topic.status <> 'rejected'
    """  # noqa: S608


# Each query returns (id, id, score) rows. Table names come from the model, never input.
def _same_but_punctuation() -> str:
    return f"""
        WITH keyed AS MATERIALIZED (
            SELECT id, language,
                regexp_replace(topic_name_key(name), '[^[:alnum:]]+', '', 'g') AS k
            FROM ({_names()}) AS names
        )
        SELECT a.id, b.id, 1.0 FROM keyed a
        JOIN keyed b ON a.k = b.k AND a.language = b.language AND a.id < b.id
        WHERE a.k <> ''
    """  # noqa: S608


def _plural_or_possessive() -> str:
    return f"""
        WITH keyed AS MATERIALIZED (
            SELECT id, language, topic_name_key(name) AS k FROM ({_names()}) AS names
            WHERE length(topic_name_key(name)) >= 3
        ),
        forms AS (
            SELECT id, language, k || 's' AS form FROM keyed
            UNION ALL SELECT id, language, k || 'es' FROM keyed
            UNION ALL SELECT id, language, k || '''s' FROM keyed
            UNION ALL SELECT id, language, k || 's''' FROM keyed
            UNION ALL SELECT id, language, left(k, -1) || 'ies' FROM keyed WHERE k LIKE '%%y'
        )
        SELECT forms.id, keyed.id, 0.95 FROM forms
        JOIN keyed ON keyed.k = forms.form AND keyed.language = forms.language
            AND keyed.id <> forms.id
    """  # noqa: S608


def _similar_spelling_in_languages() -> str:
    """As `_similar_spelling`, for the names in other languages, each within its language."""
    return f"""
        WITH probe AS (
            SELECT named.topic_id AS id, named.language, topic_name_key(named.name) AS k
            FROM {_names_table()} AS named JOIN {_table()} AS topic ON topic.id = named.topic_id
            WHERE topic.status <> 'rejected'
            ORDER BY topic.status = 'pending' DESC, named.id DESC
            LIMIT %(probes)s
        )
        SELECT probe.id, other.topic_id, similarity(probe.k, topic_name_key(other.name))
        FROM probe JOIN {_names_table()} AS other
            ON topic_name_key(other.name) %% probe.k
            AND other.language = probe.language AND other.topic_id <> probe.id
        JOIN {_table()} AS topic ON topic.id = other.topic_id AND topic.status <> 'rejected'
    """  # noqa: S608


def _similar_spelling() -> str:
    return f"""
        WITH probe AS (
            SELECT id, topic_name_key(name) AS k FROM {_table()}
            WHERE status <> 'rejected' ORDER BY status = 'pending' DESC, id DESC
            LIMIT %(probes)s
        )
        SELECT probe.id, topic.id, similarity(probe.k, topic_name_key(topic.name))
        FROM probe JOIN {_table()} AS topic
            ON topic_name_key(topic.name) %% probe.k
            AND topic.id <> probe.id AND topic.status <> 'rejected'
    """  # noqa: S608


def _transliterated() -> str:
    return f"""
        SELECT probe.id, topic.id, similarity(probe.k, topic_name_key(topic.name))
        FROM unnest(%(ids)s::bigint[], %(keys)s::text[]) AS probe(id, k)
        JOIN {_table()} AS topic
            ON topic_name_key(topic.name) %% probe.k
            AND topic.id <> probe.id AND topic.status <> 'rejected'
    """  # noqa: S608


def likely_duplicates(
    limit: int = 200, *, threshold: float = SIMILARITY_THRESHOLD, probes: int = TRIGRAM_PROBES
) -> list[LikelyDuplicate]:
    """Return up to `limit` likely duplicate pairs, the strongest evidence first."""
    cyrillic = [
        (topic.pk, transliterate(topic.name_key))
        for topic in Topic.objects.exclude(status=Topic.Status.REJECTED)
        .filter(name__regex=r"[\u0400-\u04ff]")
        .with_normal_name()
        .only("pk")
        .order_by(Case(When(status=Topic.Status.PENDING, then=0), default=1), "-pk")[:probes]
        if has_cyrillic(topic.name_key)
    ]
    default = {"default": settings.LANGUAGE_CODE}
    searches = [
        (gettext("Same name apart from punctuation and spaces"), _same_but_punctuation(), default),
        (gettext("Singular and plural, or possessive"), _plural_or_possessive(), default),
        (
            gettext("Cyrillic and Latin spellings"),
            _transliterated(),
            {"ids": [pk for pk, _ in cyrillic], "keys": [key for _, key in cyrillic]},
        ),
        (gettext("Similar spelling"), _similar_spelling(), {"probes": probes}),
        (gettext("Similar spelling"), _similar_spelling_in_languages(), {"probes": probes}),
    ]
    found: dict[tuple[int, int], tuple[int, str, float]] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [str(threshold)]
        )
        for rank, (reason, sql, params) in enumerate(searches):
            if "ids" in params and not params["ids"]:
                continue
            cursor.execute(sql, params)
            for one, other, score in cursor.fetchall():
                pair = (min(one, other), max(one, other))
                if pair not in found:
                    found[pair] = (rank, reason, float(score))
    strongest = sorted(found.items(), key=lambda item: (item[1][0], -item[1][2], item[0]))[:limit]
    topics = Topic.objects.in_bulk({pk for pair, _ in strongest for pk in pair})
    return [
        LikelyDuplicate(topics[one], topics[other], reason, score)
        for (one, other), (_, reason, score) in strongest
    ]
