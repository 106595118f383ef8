"""Reader search: find, rank and highlight published stories.

Every story carries a stored, GIN-indexed search vector kept by the database
(`Article.search_vector`: headline weighted A, standfirst B, body text C), in
the words of its own language (see `articles.textsearch`). Each edition searches
its own language's stories. The reader's text becomes a `websearch_to_tsquery`
of that language's configuration, or for a lemmatised language (Ukrainian) a
query of the lemmas of the reader's words, in the same syntax: "quoted phrases",
-exclusions and `or` work as on web search engines, and nothing a reader types
is a syntax error. Results are ranked by relevance and freshness; highlighted
snippets are made for the shown page only.

Some searches the index cannot narrow: a phrase of common words ("grain
corridor exports"), or words to leave out only ("-ukraine"). PostgreSQL then
reads story after story, newest first, and over a million stories that took
minutes. Searches run under a time limit (`time_limited`); one that exceeds it is
run again over the newest `NARROWED_STORIES` stories only (`narrowed_start`),
and the page says so.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.postgres.search import (
    SearchConfig,
    SearchHeadline,
    SearchQuery,
    SearchRank,
)
from django.db import OperationalError, connections, router, transaction
from django.db.models import F, FloatField, Func, QuerySet, TextField, Value
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from psycopg.errors import QueryCanceled

from articles.languages import language_codes, reader_language
from articles.models import Article, Section
from articles.subjects import SECTION, SOURCE, TOPIC
from articles.textsearch import (
    FALLBACK_CONFIG,
    SEARCH_CONFIG,
    highlight_forms,
    html_text,
    is_lemmatised,
    lemma_query,
    quoted,
    search_config,
)
from sources.models import Source
from topics.models import Topic

# How many of the newest matches are ranked (see `search`).
CANDIDATES = 200
# A story this old counts half as much as the same match published now (see `search`).
FRESHNESS_HALF_LIFE = timedelta(days=90)

# How many of the newest stories a search too broad for the time limit is run over.
NARROWED_STORIES = 20_000

# ts_headline wraps matches in these. Control characters, because no story text needs
# them: the text around them is escaped, and only whole pairs become <mark> elements.
START_MARK, STOP_MARK = "\x02", "\x03"
HIGHLIGHTED = re.compile(f"{START_MARK}([^{START_MARK}{STOP_MARK}]*){STOP_MARK}")


class LexemeQuery(SearchQuery):
    """A text search query written as tsquery text, its lexemes taken as they are.

    No configuration parses them again: they are lemmas or word forms already
    (see `articles.textsearch`). The text is made by this module, never by a reader.
    """

    def __init__(self, value: str) -> None:
        super().__init__(value, search_type="raw")

    def as_sql(self, compiler, connection, function=None, template=None):
        return super().as_sql(compiler, connection, template="(%(expressions)s)::tsquery")


def reader_query(text: str, language: str | None = None) -> SearchQuery:
    """Return the text search query for what a reader typed, in web search syntax.

    In the words of `language` (by default the reader's): stemmed by its
    configuration, or reduced to lemmas for a lemmatised language.
    """
    language = language or reader_language()
    if is_lemmatised(language):
        return LexemeQuery(lemma_query(text, language))
    return SearchQuery(text, config=search_config(language), search_type="websearch")


def any_language_query(text: str) -> SearchQuery:
    """Return a query for `text` in the words of every language of the site, for the desk.

    Editors search all stories at once: a story matches if it matches in its own
    language's words or in another's.
    """
    queries = [reader_query(text, code) for code in language_codes()]
    combined = queries[0]
    for query in queries[1:]:
        combined |= query
    return combined


def search(stories: QuerySet[Article], text: str, language: str | None = None) -> QuerySet[Article]:
    """Return the `stories` matching `text`, the most relevant and freshest first.

    `stories` are of one `language` (by default the reader's), which tells how
    the words of `text` are read (see `reader_query`).

    score = ts_rank_cd(search_vector, query) / (1 + age / FRESHNESS_HALF_LIFE)

    ts_rank_cd weighs each match by where it is (headline 1.0, standfirst 0.4,
    body 0.2) and how close the query's words stand. The freshness factor is 1
    for a story published now, 1/2 at 90 days, 1/5 at a year: it never reaches
    zero, so a headline match a few months old still beats a passing mention
    today, and of two equal matches the fresher wins. `stories` start from
    `Article.objects.published()`, so no publish time lies in the future.
    A query of stop words or punctuation alone matches nothing.

    Only the newest `CANDIDATES` matches are ranked. A common word matches half
    a million stories at newsroom scale; ranking them all takes seconds, and a
    reader looking for "Ukraine" wants this month's stories anyway. PostgreSQL
    finds the candidates either from the GIN index (rare words) or by walking
    the newest published stories until enough match (common words).
    """
    query = reader_query(text, language)
    candidates = (stories.filter(search_vector=query).order_by("-publish_at", "-pk").values("pk"))[
        :CANDIDATES
    ]
    age_in_seconds = Func(
        Value(timezone.now()) - F("publish_at"),
        template="EXTRACT(EPOCH FROM %(expressions)s)",
        output_field=FloatField(),
    )
    freshness = 1.0 / (1.0 + age_in_seconds / FRESHNESS_HALF_LIFE.total_seconds())
    relevance = SearchRank(F("search_vector"), query, cover_density=True)
    # Matching on the stored column (not on an expression) lets the GIN index answer.
    return (
        stories.filter(pk__in=candidates)
        .annotate(score=relevance * freshness)
        .order_by("-score", "-publish_at", "-pk")
    )


def find_stories(
    stories: QuerySet[Article],
    *,
    q: str = "",
    topic: Topic | None = None,
    source: Source | None = None,
    section: Section | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    since: datetime | None = None,
    language: str | None = None,
) -> QuerySet[Article]:
    """Narrow `stories` by the filters given, then search them for `q` if there is one.

    Only the stories of `language` (by default the reader's: each edition of the
    site finds its own language's stories) are searched, in that language's words.

    Without `q`, the filtered stories come newest first, e.g. everything on a topic
    in one week. Dates are days in the site's time zone, both ends included;
    `since` is a moment (see `narrowed_start`).
    """
    language = language or reader_language()
    stories = stories.filter(language=language)
    if since is not None:
        stories = stories.filter(publish_at__gte=since)
    # Each subject's stories as its page and feeds find them (`articles.subjects`).
    for subject_type, subject in ((TOPIC, topic), (SOURCE, source), (SECTION, section)):
        if subject is not None:
            stories = subject_type.filter(stories, subject)
    if date_from is not None:
        stories = stories.filter(publish_at__gte=start_of_day(date_from))
    if date_to is not None and date_to < date.max:
        stories = stories.filter(publish_at__lt=start_of_day(date_to + timedelta(days=1)))
    if q:
        return search(stories, q, language)
    return stories.order_by("-publish_at", "-pk")


class SearchTooBroad(Exception):
    """A search query ran past the time limit and was cancelled."""


@contextmanager
def time_limited(milliseconds: int | None = None) -> Iterator[None]:
    """Cancel any query run inside that takes longer than `milliseconds`.

    The limit is `settings.NEWSROOM_SEARCH_TIME_LIMIT` unless given. Raises
    SearchTooBroad for a cancelled query; the connection stays usable. The queries
    run in a transaction, whose `SET LOCAL` ends with it; inside a transaction
    already (tests, ATOMIC_REQUESTS) the limit is lifted again on the way out.

    The limit is set on the connection the stories are read from: a reader's search
    runs on a replica (see `newsroom.replicas`), which is chosen before the
    transaction opens (inside one, reads go to the primary).
    """
    limit = settings.NEWSROOM_SEARCH_TIME_LIMIT if milliseconds is None else milliseconds
    using = router.db_for_read(Article)
    connection = connections[using]
    nested = connection.in_atomic_block
    try:
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [f"{limit}ms"])
            yield
            if nested:
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL statement_timeout TO DEFAULT")
    except OperationalError as error:
        if isinstance(error.__cause__, QueryCanceled):
            raise SearchTooBroad from error
        raise


def narrowed_start(stories: QuerySet[Article]) -> datetime | None:
    """Return when the oldest of the newest `NARROWED_STORIES` of `stories` was published.

    Pass the stories the reader's filters let through (`find_stories` without
    words). None if there are no more than that: nothing to narrow.
    """
    newest = stories.order_by("-publish_at", "-pk").values_list("publish_at", flat=True)
    oldest = list(newest[NARROWED_STORIES - 1 : NARROWED_STORIES])
    return oldest[0] if oldest else None


def start_of_day(day: date) -> datetime:
    """Return the first moment of `day` in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def highlight(stories: Sequence[Article], text: str, language: str | None = None) -> None:
    """Mark the words of `text` in the headline, standfirst and body of `stories`.

    One query for the shown stories, never the whole result. Each story gets
    `marked_headline`, `marked_standfirst` and `marked_excerpt` (up to two
    passages of the body around the matches, empty when the body has none), all
    safe HTML. `stories` are of one `language`, by default the reader's.
    """
    if not stories or not text:
        return
    language = language or reader_language()
    config = search_config(language)
    query, words = reader_query(text, language), text
    if is_lemmatised(language):
        # The text holds the words as written, the query lemmas: mark every written
        # form of the reader's words instead, matched word for word.
        forms = highlight_forms(text, language)
        config, query = FALLBACK_CONFIG, LexemeQuery(" | ".join(map(quoted, forms)))
        words = " ".join([text, *forms])
    marks = {"config": config, "start_sel": START_MARK, "stop_sel": STOP_MARK}
    rows = (
        Article.objects.filter(pk__in=[story.pk for story in stories])
        .annotate(
            headline_marks=SearchHeadline("headline", query, highlight_all=True, **marks),
            standfirst_marks=SearchHeadline("standfirst", query, highlight_all=True, **marks),
            body_marks=BodyExcerpt(query, words, config=config),
        )
        .values_list("pk", "headline_marks", "standfirst_marks", "body_marks")
    )
    by_pk = {story.pk: story for story in stories}
    for pk, headline, standfirst, body in rows:
        story = by_pk[pk]
        story.marked_headline = marked_html(headline)
        story.marked_standfirst = marked_html(standfirst)
        # Without a match the body passage is only its opening words: leave it out.
        story.marked_excerpt = marked_html(body, is_html=True) if START_MARK in body else ""


class BodyExcerpt(Func):
    """Up to two passages of a story's body around the reader's words, marked as ts_headline does.

    Through `articles_search_excerpt` (migration 0011): it hands ts_headline the
    thousand characters around the first of the reader's words in the body rather
    than the whole body, and parses the whole body only when that passage shows no
    match although the body matches by itself (its part of the stored vector).
    """

    function = "articles_search_excerpt"
    output_field = TextField()
    # ts_headline's options; a value in double quotes may hold spaces.
    options = (
        'MaxFragments=2, MaxWords=30, MinWords=12, FragmentDelimiter=" … ", '
        f"StartSel={START_MARK}, StopSel={STOP_MARK}"
    )

    def __init__(self, query: SearchQuery, text: str, config: str = SEARCH_CONFIG) -> None:
        super().__init__(
            SearchConfig(Value(config)),
            html_text("body"),
            F("search_vector"),
            query,
            Value(text),
            Value(self.options),
            Value(START_MARK),
        )


def marked_html(fragment: str, *, is_html: bool = False) -> SafeString:
    """Return a ts_headline `fragment` as safe HTML, its highlighted words in <mark>.

    Everything in the fragment is escaped. A fragment of the stored HTML body
    (`is_html`) still holds its entities ("&lt;script&gt;"): they are decoded
    first so that escaping does not show them doubled, and its spacing is tidied.
    """
    if is_html:
        # Tags became spaces and paragraphs end in newlines: one space between words.
        fragment = " ".join(html.unescape(fragment).split())
    # Escaping leaves the marks (control characters) alone, so the fragment is
    # escaped whole, once: a page of results holds hundreds of highlighted words.
    marked = HIGHLIGHTED.sub(r"<mark>\1</mark>", html.escape(fragment))
    # Unpaired marks go; str.replace scans in C, where translate looks up every character.
    stray_dropped = marked.replace(START_MARK, "").replace(STOP_MARK, "")
    return mark_safe(stray_dropped)  # noqa: S308 - escaped above
