"""Topic suggestions while tagging: approved topics, and aliases, matching a typed name.

Names match by their normal form (`NormalName`: case, accents and spaces
ignored), best first:

1. names starting with the term, the exact name first, in the byte order of
   their normal form. The prefix indexes (`topic_name_prefix_idx`,
   `topic_alias_name_prefix_idx`) hand them over in that order, so only the
   first few are read however many names share a prefix;
2. then, unless those already fill the list, names with a word starting with
   the term, then names containing it (for a term of at least three characters,
   a trigram), shorter names first. The trigram indexes (`topic_name_trgm_idx`,
   `topic_alias_name_trgm_idx`) find them.

Each is one query (`starting_rows`, `inside_rows`). Only approved topics are
suggested (`approved_q`); an alias is suggested as the topic it leads to.
Writers may still type a new name, which becomes a proposal as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django import forms
from django.db.models import Case, CharField, F, IntegerField, QuerySet, Value, When
from django.db.models.functions import Collate, Concat, Length

from topics.models import NAME_MAX_LENGTH, NormalName, Topic, TopicAlias, approved_q, tidy_name

LIMIT = 10
# Fewer letters than this match too much of the vocabulary to be worth a query.
MIN_LETTERS = 2
# A pg_trgm trigram: a shorter term cannot be looked up as "contains".
TRIGRAM = 3
# Looking for the term inside names needs a word of two letters or digits in it:
# with "a-b-c" the trigram index would hand over most of the vocabulary.
SEARCHABLE_WORD = re.compile(r"[^\W_]{2}")
# What rows are ordered by, each part of the query giving them: step 1 or 2 (see
# above), then within step 2 the rank and length of the name, then the name.
ORDER = ("step", "rank", "length", "sort_name")


@dataclass(frozen=True)
class Suggestion:
    """A topic to offer: `name` is what choosing it types, `alias` the other name that matched."""

    name: str
    alias: str = ""


class SuggestionQuery(forms.Form):
    """The name being typed: at most a topic name long, and no NUL characters."""

    q = forms.CharField(required=False, max_length=NAME_MAX_LENGTH)


def _number(value: int) -> Value:
    return Value(value, output_field=IntegerField())


def _starting_with(queryset: QuerySet, key: NormalName) -> QuerySet:
    """Narrow `queryset` (topics or aliases) to names starting with `key`, in byte order."""
    # The prefix indexes' expression: in the "C" collation LIKE 'term%' can use them.
    return (
        queryset.annotate(sort_name=Collate(NormalName("name"), "C"))
        .filter(sort_name__startswith=key)
        .annotate(step=_number(1), rank=_number(0), length=_number(0))
        .order_by("sort_name")
    )


def _inside(queryset: QuerySet, key: NormalName, term: str) -> QuerySet:
    """Narrow `queryset` to names with a word starting with `key` (rank 1), then names
    containing it (rank 2), shorter names first."""
    word = Concat(Value(" "), key, output_field=CharField())
    queryset = queryset.alias(name_key=NormalName("name"))
    if len(term) < TRIGRAM:
        queryset = queryset.filter(name_key__contains=word).annotate(rank=_number(1))
    else:
        queryset = queryset.filter(name_key__contains=key).annotate(
            rank=Case(When(name_key__contains=word, then=_number(1)), default=_number(2))
        )
    return queryset.annotate(step=_number(2), length=Length("name"), sort_name=F("name")).order_by(
        "rank", "length", "name"
    )


def _best_inside(queryset: QuerySet, key: NormalName, term: str, limit: int) -> QuerySet:
    """Return the best `limit` of `_inside`, picked in a subquery.

    A condition on the result is then tested before the subquery runs, and can
    spare it; on a single query PostgreSQL may start parallel workers first.
    """
    inside = _inside(queryset, key, term)
    return inside.filter(pk__in=inside.values("pk")[:limit])


def _topic_rows(queryset: QuerySet) -> QuerySet:
    empty = Value("", output_field=CharField())
    return queryset.values(*ORDER, topic_name=F("name"), alias_name=empty)


def _alias_rows(queryset: QuerySet) -> QuerySet:
    return queryset.values(*ORDER, topic_name=F("topic__name"), alias_name=F("name"))


def starting_rows(term: str, limit: int = LIMIT) -> QuerySet:
    """Return the topics and aliases whose names start with `term`, best first (step 1).

    One query; each row has `topic_name`, `alias_name` (empty for a topic's own
    name) and the `ORDER` columns.
    """
    key = NormalName(Value(term))
    topics = _topic_rows(_starting_with(Topic.objects.filter(approved_q()), key))[:limit]
    aliases = _alias_rows(_starting_with(TopicAlias.objects.filter(approved_q("topic__")), key))
    return topics.union(aliases[:limit], all=True).order_by(*ORDER)


def inside_rows(term: str, limit: int = LIMIT) -> QuerySet | None:
    """Return the topics and aliases with `term` inside their names, best first (step 2).

    One query, rows as `starting_rows`; names starting with the term are among
    them too, so twice `limit` of each are read. None for a term with no word
    worth looking for inside names.
    """
    if not SEARCHABLE_WORD.search(term):
        return None
    key = NormalName(Value(term))
    topics = Topic.objects.filter(approved_q())
    aliases = TopicAlias.objects.filter(approved_q("topic__"))
    return (
        _topic_rows(_best_inside(topics, key, term, 2 * limit))
        .union(_alias_rows(_best_inside(aliases, key, term, 2 * limit)), all=True)
        .order_by(*ORDER)
    )


def suggest(term: str, limit: int = LIMIT) -> list[Suggestion]:
    """Return at most `limit` approved topics for the name being typed, best first.

    An alias is offered as the topic it leads to, unless that topic is offered
    already. None for a term with fewer than two letters or digits.

    Names starting with the term are asked for first: with tens of thousands of
    topics they fill the list for almost every term. Only when they do not are
    names with the term inside asked for, in a second query.
    """
    term = tidy_name(term)
    if sum(char.isalnum() for char in term) < MIN_LETTERS:
        return []
    rows = list(starting_rows(term, limit))
    # `inside_rows` has no query for a term without a searchable word (see there).
    if sum(1 for row in rows if not row["alias_name"]) < limit and SEARCHABLE_WORD.search(term):
        rows += list(inside_rows(term, limit))
    found: dict[str, Suggestion] = {}
    for row in rows:
        found.setdefault(row["topic_name"], Suggestion(row["topic_name"], row["alias_name"]))
    return list(found.values())[:limit]
