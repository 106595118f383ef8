"""Querysets compiled once per process and run again with new values."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from newsroom.prepared import (
    OTHER_STAND_IN_IDS,
    STAND_IN_IDS,
    STAND_IN_TIME,
    PreparedQuery,
    array_of_ids,
)
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def stories(size, *, now, leave_out):
    return (
        Article.objects.published(now=now)
        .exclude(pk__in=array_of_ids(leave_out))
        .order_by("publish_at")[:size]
    )


def counting(build):
    calls = []

    def counted(*args, **kwargs):
        calls.append(args)
        return build(*args, **kwargs)

    return counted, calls


def test_it_runs_the_queryset_s_sql_with_each_call_s_values():
    now = timezone.now()
    old, new, newer = (
        ArticleFactory(published=True, publish_at=now - timedelta(hours=h)) for h in (3, 2, 1)
    )
    prepared = PreparedQuery(stories, now=STAND_IN_TIME, leave_out=STAND_IN_IDS)
    assert list(prepared(2, now=now, leave_out=[])) == [old, new]
    assert list(prepared(2, now=now, leave_out=[old.pk])) == [new, newer]
    assert list(prepared(5, now=now - timedelta(minutes=90), leave_out=[])) == [old, new]
    assert list(prepared(5, now=now, leave_out=[])) == list(stories(5, now=now, leave_out=[]))


def test_it_builds_and_compiles_once_for_each_shape():
    build, calls = counting(stories)
    prepared = PreparedQuery(build, now=STAND_IN_TIME, leave_out=STAND_IN_IDS)
    for leave_out in ([], [1], [1, 2, 3]):
        list(prepared(2, now=timezone.now(), leave_out=leave_out))
    list(prepared(3, now=timezone.now(), leave_out=[]))
    assert calls == [(2,), (3,)]


def test_values_are_parameters_never_sql():
    prepared = PreparedQuery(stories, now=STAND_IN_TIME, leave_out=STAND_IN_IDS)
    list(prepared(2, now=timezone.now(), leave_out=[7, 8]))
    sql = prepared.compiled[(2,)].sql
    assert "424242" not in sql and "1900" not in sql and sql.count("%s") >= 3


def test_instances_defer_what_the_query_does_not_fetch():
    story = ArticleFactory(published=True)
    prepared = PreparedQuery(
        lambda *, now: Article.objects.published(now=now).card_keys(), now=STAND_IN_TIME
    )
    [found] = prepared(now=timezone.now())
    assert found == story and "headline" in found.get_deferred_fields()


def test_values_must_be_those_with_stand_ins():
    prepared = PreparedQuery(stories, now=STAND_IN_TIME, leave_out=STAND_IN_IDS)
    with pytest.raises(TypeError):
        prepared(2, now=timezone.now())
    with pytest.raises(TypeError):
        prepared(2, now=timezone.now(), leave_out=[], more=1)


def test_a_stand_in_the_query_does_not_take_is_an_error():
    def ignoring_also(size, *, now, leave_out, also):
        return stories(size, now=now, leave_out=leave_out)

    prepared = PreparedQuery(
        ignoring_also, now=STAND_IN_TIME, leave_out=STAND_IN_IDS, also=OTHER_STAND_IN_IDS
    )
    with pytest.raises(RuntimeError, match="also"):
        prepared(2, now=timezone.now(), leave_out=[], also=[])


def test_two_values_with_one_stand_in_is_an_error():
    def two_lists(*, now, leave_out, keep):
        kept = Article.objects.published(now=now).filter(pk__in=array_of_ids(keep))
        return kept.exclude(pk__in=array_of_ids(leave_out))

    same = PreparedQuery(two_lists, now=STAND_IN_TIME, leave_out=STAND_IN_IDS, keep=STAND_IN_IDS)
    with pytest.raises(RuntimeError, match="stand-in"):
        same(now=timezone.now(), leave_out=[], keep=[])
    distinct = PreparedQuery(
        two_lists, now=STAND_IN_TIME, leave_out=STAND_IN_IDS, keep=OTHER_STAND_IN_IDS
    )
    story, other = ArticleFactory(published=True), ArticleFactory(published=True)
    assert list(distinct(now=timezone.now(), leave_out=[other.pk], keep=[story.pk, other.pk])) == [
        story
    ]


def test_a_value_written_into_the_sql_is_an_error():
    def written(*, headline):
        stories = Article.objects.filter(headline=headline)
        return stories.extra(where=[f"slug <> '{headline}'"])  # noqa: S610 - the defect tested

    prepared = PreparedQuery(written, headline="ꙮꙮꙮ")
    with pytest.raises(RuntimeError, match="headline"):
        prepared.rows(headline="Zeppelin")


def test_rows_are_dictionaries_of_the_columns_asked_for():
    story = ArticleFactory(published=True, headline="Zeppelin lands")
    prepared = PreparedQuery(
        lambda *, now: Article.objects.published(now=now).values("pk", "headline"),
        now=STAND_IN_TIME,
    )
    assert prepared.rows(now=timezone.now()) == [{"pk": story.pk, "headline": "Zeppelin lands"}]
