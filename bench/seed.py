"""Fill the benchmark database with a newsroom's worth of synthetic stories, set-based.

Rows go in with COPY, in parallel streams; the big secondary indexes are dropped
while loading and built once afterwards, as a bulk load should. The data is
deterministic for a given size: the same seed gives the same database.

Shape (issue "Performance at newsroom scale"): `articles` stories of about 600
words, each with 3–6 of 50,000 topics (a few topics very popular, most rare:
Zipf), 1–2 of 500 authors, one of 50 sources and 20 sections; 95% published over
the last three years in about the order of their ids, the rest drafts, stories in
review and scheduled ones. One story in five is in Ukrainian (the Ukrainian
edition), made of inflected Ukrainian news words, with its search lemmas as
`Article.save()` would store them.
"""

from __future__ import annotations

import itertools
import multiprocessing
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from psycopg.types.json import Jsonb

from articles import textsearch

TOPICS = 50_000
SOURCES = 50
SECTIONS = 20
AUTHORS = 500
WORDS_PER_STORY = 600
# Bumped whenever the seeded data changes: a database seeded by another version is
# seeded again rather than reused.
VERSION = 3
# How far a story's publish time strays from its place in id order, in seconds.
PUBLISH_JITTER = 2 * 3600

# The topic "merge" benchmarks fold into another: used by this many stories.
MERGE_TOPIC_STORIES = 100_000
MERGE_TOPIC_NAME = "Bench merge source"
MERGE_TARGET_NAME = "Bench merge target"

# Newsroom words, for headlines and for searches that find something real.
NEWS_WORDS = (
    "ukraine russia council europe convention torture prisoners exchange minister ministry "
    "foreign affairs grain corridor exports harvest ports odesa kyiv kharkiv lviv energy grid "
    "repairs outages sanctions package union commission parliament budget reconstruction "
    "school museum exhibition railway timetable drone border agreement talks delegation "
    "statement report committee inspection detention rights court investigation refugees "
    "housing hospital vaccine weather flood wildfire election reform customs trade tariff"
).split()
# A word that appears in a handful of stories only ("rare term").
RARE_WORD = "zephyrine"

# Every UKRAINIAN_EVERY-th story is in Ukrainian.
UKRAINIAN_EVERY = 5
# Ukrainian news words in several of their forms, so that searches by lemma find
# stories that hold other forms of the word (bench/ukrainian_words.txt).
UKRAINIAN_NEWS_WORDS = tuple(
    (Path(__file__).parent / "ukrainian_words.txt").read_text(encoding="utf-8").split()
)
# A form of a rare adjective; searches ask for another form of it (the query).
UKRAINIAN_RARE_WORD = "гелікоїдного"
UKRAINIAN_RARE_QUERY = "гелікоїдна"
UKRAINIAN_SYLLABLES = tuple(
    (Path(__file__).parent / "ukrainian_syllables.txt").read_text(encoding="utf-8").split()
)
SYLLABLES = (
    "ba be bi bo bu ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu "
    "ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo vu za ze zi zo zu "
    "dan len mor tes vin kal ros pel gar hun"
).split()


@dataclass(frozen=True)
class Plan:
    """What to seed, derived from the article count alone."""

    articles: int
    seed: int = 20_261_125

    @property
    def now(self) -> datetime:
        # A fixed clock: the same plan gives the same rows whenever it runs.
        return datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    """Return pseudo-words ordered from most to least frequent, news words first."""
    words = list(NEWS_WORDS)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def ukrainian_vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    """Return Ukrainian words, news words first, then pseudo-words, each lemmatised once.

    The lemmas are made here, once per process: a story's lemmas are then looked up,
    which keeps seeding fast.
    """
    words = list(UKRAINIAN_NEWS_WORDS)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(UKRAINIAN_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    for word in [*words, UKRAINIAN_RARE_WORD]:
        textsearch.lemmas(word, "uk")
    return words


def zipf_weights(count: int, exponent: float = 1.05) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank**exponent) for rank in range(1, count + 1)))


def completed(table: str, columns: list[str]) -> tuple[list[str], tuple]:
    """Return the columns the seed does not set and the value each takes.

    Django keeps defaults in Python, not in the database: COPY must name every
    NOT NULL column, including ones added after this seeder was written.
    """
    from django.apps import apps

    model = next(m for m in apps.get_models(include_auto_created=True) if m._meta.db_table == table)
    extra, values = [], []
    for field in model._meta.concrete_fields:
        if field.column in columns or field.primary_key or field.generated:
            continue
        value = field.get_default()  # "" for text fields without a default
        if value is None and not field.null:
            raise RuntimeError(f"bench seed: {table}.{field.column} needs a value")
        extra.append(field.column)
        values.append(Jsonb(value) if isinstance(value, dict | list) else value)
    return extra, tuple(values)


def copy_rows(conn: psycopg.Connection, table: str, columns: list[str], rows) -> int:
    extra, values = completed(table, columns)
    count = 0
    with conn.cursor().copy(f"COPY {table} ({', '.join(columns + extra)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row((*row, *values))
            count += 1
    return count


def seed_vocabularies(conn: psycopg.Connection, plan: Plan) -> None:
    """Sources, sections, authors and topics: the small tables."""
    rng = random.Random(plan.seed)
    now = plan.now
    copy_rows(
        conn,
        "sources_source",
        ["id", "name", "slug", "kind", "homepage_url", "attribution", "is_active"],
        (
            (i, f"Agency {i}", f"agency-{i}", "agency", f"https://agency-{i}.example/",
             f"Agency {i} reports", True)
            for i in range(1, SOURCES + 1)
        ),
    )  # fmt: skip
    copy_rows(
        conn,
        "articles_section",
        ["id", "name", "slug", "description", "position"],
        ((i, f"Section {i}", f"section-{i}", "", i) for i in range(1, SECTIONS + 1)),
    )
    copy_rows(
        conn,
        "auth_user",
        ["id", "password", "is_superuser", "username", "first_name", "last_name", "email",
         "is_staff", "is_active", "date_joined"],
        (
            (i, "!", False, f"writer{i}", f"Writer{i}", f"Surname{i}", "", True, True, now)
            for i in range(1, AUTHORS + 1)
        ),
    )  # fmt: skip
    words = vocabulary(rng)
    names = [MERGE_TOPIC_NAME, MERGE_TARGET_NAME]
    seen = {name.lower() for name in names}
    while len(names) < TOPICS:
        name = " ".join(rng.choice(words).capitalize() for _ in range(rng.randint(1, 3)))
        if name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    copy_rows(
        conn,
        "topics_topic",
        ["id", "name", "slug", "status"],
        (
            (i, name, f"{name.lower().replace(' ', '-')}-{i}", "approved")
            for i, name in enumerate(names, 1)
        ),
    )


def story_rows(plan: Plan, first: int, last: int):
    """Yield (article, bylines, topic links) for article ids first..last."""
    rng = random.Random(plan.seed * 1000 + first)
    words = vocabulary(random.Random(plan.seed))
    ukrainian = ukrainian_vocabulary(random.Random(plan.seed))
    word_weights = zipf_weights(len(words))
    topic_weights = zipf_weights(TOPICS - 2, exponent=0.9)
    now = plan.now
    span = timedelta(days=3 * 365).total_seconds()
    merge_every = max(1, plan.articles // MERGE_TOPIC_STORIES)
    for pk in range(first, last + 1):
        language = "uk" if pk % UKRAINIAN_EVERY == 0 else "en"
        lexicon, news, rare = (
            (ukrainian, UKRAINIAN_NEWS_WORDS, UKRAINIAN_RARE_WORD)
            if language == "uk"
            else (words, NEWS_WORDS, RARE_WORD)
        )
        body_words = rng.choices(lexicon, cum_weights=word_weights, k=WORDS_PER_STORY)
        if pk % 997 == 0:
            body_words[rng.randrange(WORDS_PER_STORY)] = rare
        paragraphs = [" ".join(body_words[i : i + 100]) for i in range(0, WORDS_PER_STORY, 100)]
        body = "".join(f"<p>{p.capitalize()}.</p>" for p in paragraphs)
        headline_words = rng.sample(news, 4) + rng.choices(lexicon[:400], k=4)
        headline = " ".join(headline_words).capitalize()
        standfirst = " ".join(rng.choices(lexicon[:2000], cum_weights=word_weights[:2000], k=30))
        standfirst = standfirst.capitalize() + "."
        lemmas = textsearch.lemma_vector(language, headline, standfirst, body)
        roll = rng.random()
        if roll < 0.95:
            # Stories are written and published in about the order of their ids, as in a
            # newsroom (and in the Wagtail peer's seed), so the table's physical order
            # follows time: the newest stories share pages, as they do in production.
            age = span * (1 - pk / plan.articles) + rng.random() * PUBLISH_JITTER
            status, publish_at = "published", now - timedelta(seconds=age)
        elif roll < 0.975:
            status, publish_at = rng.choice(("draft", "review")), None
        else:
            status, publish_at = "published", now + timedelta(days=rng.random() * 30)
        # Edited after publication, or before it for stories still to come: never in the future.
        written = min(publish_at or now, now)
        touched = min(written + timedelta(minutes=rng.randint(0, 120)), now)
        article = (
            pk, headline, f"story-{pk}", standfirst, body,
            "Київ" if language == "uk" else "Kyiv",
            rng.randint(1, SOURCES), "", rng.randint(1, SECTIONS), status, publish_at,
            publish_at if status == "published" else None, touched, touched, language, lemmas,
        )  # fmt: skip
        authors = rng.sample(range(1, AUTHORS + 1), rng.choice((1, 1, 1, 2)))
        topics = set()
        while len(topics) < rng.randint(3, 6):
            topics.add(rng.choices(range(3, TOPICS + 1), cum_weights=topic_weights)[0])
        if pk % merge_every == 0:
            topics.add(1)  # MERGE_TOPIC_NAME
            if pk % (merge_every * 10) == 0:
                topics.add(2)  # also the target: the merge must not tag it twice
        yield article, authors, sorted(topics)


ARTICLE_COLUMNS = [
    "id", "headline", "slug", "standfirst", "body", "dateline", "source_id", "source_url",
    "section_id", "status", "publish_at", "first_published_at", "created_at", "updated_at",
    "language", "search_lemmas",
]  # fmt: skip


def load_stories(dsn: str, plan: Plan, first: int, last: int) -> int:
    """One COPY stream: articles first..last with their bylines and topic links."""
    import django

    django.setup()  # A fresh process: the models tell which columns need defaults.
    bylines, links = [], []
    with psycopg.connect(dsn, autocommit=False) as conn:
        conn.execute("SET synchronous_commit = off")

        def articles():
            for article, authors, topics in story_rows(plan, first, last):
                bylines.extend((article[0], author) for author in authors)
                links.extend((article[0], topic) for topic in topics)
                yield article

        count = copy_rows(conn, "articles_article", ARTICLE_COLUMNS, articles())
        copy_rows(conn, "articles_article_authors", ["article_id", "user_id"], bylines)
        copy_rows(conn, "articles_articletopic", ["content_object_id", "tag_id"], links)
        conn.commit()
    return count


def secondary_indexes(conn: psycopg.Connection, tables: list[str]) -> list[tuple[str, str]]:
    """Return (name, definition) of the indexes that back no constraint on `tables`."""
    return conn.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.tablename = ANY(%s) AND NOT EXISTS (
            SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        """,
        [tables],
    ).fetchall()


def seed(dsn: str, plan: Plan, streams: int = 2, log=print) -> float:
    """Seed an empty, migrated benchmark database; return the seconds it took."""
    started = time.monotonic()
    tables = ["articles_article", "articles_articletopic", "articles_article_authors"]
    with psycopg.connect(dsn, autocommit=True) as conn:
        seed_vocabularies(conn, plan)
        indexes = secondary_indexes(conn, tables)
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
    log(f"seed: vocabularies in {time.monotonic() - started:.0f} s; loading stories")
    chunk = -(-plan.articles // streams)
    ranges = [(i * chunk + 1, min(plan.articles, (i + 1) * chunk)) for i in range(streams)]
    with multiprocessing.get_context("spawn").Pool(streams) as pool:
        pool.starmap(load_stories, [(dsn, plan, first, last) for first, last in ranges])
    log(f"seed: stories in {time.monotonic() - started:.0f} s; building indexes")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '1GB'")
        for _, definition in indexes:
            conn.execute(definition)
        for table in (
            "sources_source",
            "articles_section",
            "auth_user",
            "topics_topic",
            "articles_article",
            "articles_article_authors",
            "articles_articletopic",
        ):
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )  # fmt: skip
        conn.execute("VACUUM ANALYZE")
    return time.monotonic() - started
