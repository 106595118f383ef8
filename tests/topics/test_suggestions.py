"""Topic suggestions: which approved topics a typed name brings up, in which order, how cheaply."""

import pytest
from django.db import connection

from tests.factories import TopicFactory
from topics.models import TopicAlias
from topics.suggestions import (
    Suggestion,
    inside_rows,
    starting_rows,
    suggest,
)

pytestmark = pytest.mark.django_db


def names(term: str) -> list[str]:
    return [suggestion.name for suggestion in suggest(term)]


def plan(term: str, *, analyze: bool = False, bitmaps_only: bool = False) -> str:
    with connection.cursor() as cursor:
        # A test table is tiny: take away the plans that only a tiny table makes
        # cheaper (reading it all; with `bitmaps_only`, walking a B-tree as well).
        cursor.execute("SET LOCAL enable_seqscan = off")
        if bitmaps_only:
            cursor.execute("SET LOCAL enable_indexscan = off")
        else:
            # Whether a bitmap or a plain index scan is cheaper for the prefix depends on
            # the statistics earlier tests left behind; either way it reads the index.
            cursor.execute("SET LOCAL enable_bitmapscan = off")
    return "\n".join(
        rows.explain(analyze=analyze) for rows in (starting_rows(term), inside_rows(term))
    )


# --- Order --------------------------------------------------------------------------------


def test_names_starting_with_the_term_come_in_the_order_of_their_normal_form():
    for name in ["Grains", "Grain corridor", "GRAIN", "Grain Exports"]:
        TopicFactory(name=name)
    assert names("grain") == ["GRAIN", "Grain corridor", "Grain Exports", "Grains"]


def test_a_word_starting_with_the_term_comes_before_the_term_inside_a_word():
    for name in ["Chelsea", "Black Sea"]:
        TopicFactory(name=name)
    assert names("sea") == ["Black Sea", "Chelsea"]


def test_a_two_letter_term_finds_words_starting_with_it_only():
    for name in ["Museum", "European Union", "EU"]:
        TopicFactory(name=name)
    assert names("eu") == ["EU", "European Union"]


def test_cyrillic_names_match_whatever_their_case():
    TopicFactory(name="Київ")
    TopicFactory(name="Київська область")
    assert names("КИЇВ") == ["Київ", "Київська область"]


# --- Aliases ------------------------------------------------------------------------------


def test_an_alias_brings_its_topic_up_with_the_alias_that_matched():
    TopicAlias.objects.create(name="Russian Federation", topic=TopicFactory(name="Russia"))
    assert suggest("russian fed") == [Suggestion("Russia", "Russian Federation")]


def test_a_topic_already_suggested_is_not_suggested_again_through_its_alias():
    TopicAlias.objects.create(name="Russian Federation", topic=TopicFactory(name="Russia"))
    assert suggest("russ") == [Suggestion("Russia")]


# --- Compiled once ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "term", ["ru", "rus", "Sea", "sea ports 1", "50%", "a_b", "o'brien", "back\\slash", "ꙮꙮ"]
)
def test_the_sql_compiled_once_finds_what_the_querysets_find(term):
    for name in ["Russia", "Sea ports 1", "Black Sea", "50% off", "a_b", "axb", "O'Brien"]:
        TopicAlias.objects.create(name=f"{name} (alias)", topic=TopicFactory(name=name))
    rows = list(starting_rows(term))
    if inside_rows(term) is not None:
        rows += inside_rows(term)
    expected = []
    for row in rows:
        if row["topic_name"] not in [s.name for s in expected]:
            expected.append(Suggestion(row["topic_name"], row["alias_name"]))
    assert suggest(term) == expected[:10]


def test_each_term_is_looked_up_with_its_own_value_after_the_first():
    TopicFactory(name="Grain")
    TopicFactory(name="Energy")
    assert names("grain") == ["Grain"]
    assert names("energy") == ["Energy"]
    assert names("grain") == ["Grain"]


# --- Cost ---------------------------------------------------------------------------------


def test_a_term_without_two_letters_or_digits_costs_no_query(django_assert_num_queries):
    TopicFactory(name="A")
    with django_assert_num_queries(0):
        assert suggest("a -") == []


@pytest.mark.parametrize(("topics", "queries"), [(3, 2), (30, 1), (300, 1)])
def test_suggesting_is_one_query_when_names_starting_with_the_term_fill_the_list(
    django_assert_num_queries, topics, queries
):
    for n in range(topics):
        topic = TopicFactory(name=f"Sea ports {n}")
        TopicAlias.objects.create(name=f"Harbour of the sea {n}", topic=topic)
    with django_assert_num_queries(queries):
        found = suggest("sea")
    assert len(found) == min(topics, 10)


def test_names_starting_with_the_term_are_read_through_the_prefix_indexes():
    TopicAlias.objects.create(name="Russian Federation", topic=TopicFactory(name="Russia"))
    found = plan("russ")
    assert "Index Scan using topic_name_prefix_idx" in found
    assert "Index Scan using topic_alias_name_prefix_idx" in found


def test_names_with_the_term_inside_are_found_through_the_trigram_indexes():
    TopicAlias.objects.create(name="Russian Federation", topic=TopicFactory(name="Russia"))
    found = plan("federation", bitmaps_only=True)
    assert "Bitmap Index Scan on topic_name_trgm_idx" in found
    assert "Bitmap Index Scan on topic_alias_name_trgm_idx" in found
