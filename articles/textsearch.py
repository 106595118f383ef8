"""How the words of each language become search terms.

PostgreSQL stems the languages it has a text search configuration for
(`SEARCH_CONFIGS`): "sanctions" and "sanction" meet as "sanction". It has none
for Ukrainian, whose words change their endings far more (Київ, Києва, Києві).
Ukrainian words are reduced to their dictionary forms (lemmas) here, in Python,
with pymorphy3 and its Ukrainian dictionary, and the story's lemmas are stored
with it as a ready `tsvector` (`Article.search_lemmas`); a reader's words are
reduced the same way (`lemma_query`). Nothing is installed on the database
server, so this works on the embedded server and on any PostgreSQL alike. Any
other language is matched word for word (the `simple` configuration).

A word form may belong to more than one dictionary word ("Києві" is a form of
"Київ", and of "кий", a cue): every candidate lemma is stored at the word's
position, and a reader's word matches any of its candidates.
"""

from __future__ import annotations

import html
import re
from functools import cache, lru_cache

from django.contrib.postgres.search import SearchConfig
from django.db import models
from django.db.models import Case, F, Func, Value, When

# The languages PostgreSQL stems with a configuration of its own (every version
# from 13 on has these). Fixed here, not in settings: the stored search vector
# is built from this table, and a change to it is a migration.
SEARCH_CONFIGS = {
    "ar": "arabic",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hu": "hungarian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "pt-br": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}
# Any other language: words as written, lower-cased.
FALLBACK_CONFIG = "simple"
# The languages reduced to lemmas here, each with its pymorphy3 dictionary.
LEMMATISED = {"uk": "uk"}

# The text search configuration of English stories' search vectors and of searches
# in English; each language has its own (see `articles.textsearch`).
SEARCH_CONFIG = SEARCH_CONFIGS["en"]
# A tag in a sanitised body (see `articles.sanitize`): text carries "&lt;", so a raw "<"
# always opens a tag, and attribute values are double-quoted and may hold a ">".
HTML_TAG_PATTERN = r'<(?:[^>"]|"[^"]*")*>'

# A word: letters and digits, with apostrophes inside (п'ять, сім'я).
WORD = re.compile(r"[^\W_]+(?:['’ʼ`][^\W_]+)*")
APOSTROPHE_VARIANTS = ("’", "ʼ", "`")
APOSTROPHES = str.maketrans(dict.fromkeys(APOSTROPHE_VARIANTS, "'"))
# Longer "words" (a URL, a run of digits) are not search terms.
MAX_WORD = 100
# PostgreSQL's limits: positions up to 16,383, at most 256 positions per lexeme.
MAX_POSITION = 16383
MAX_POSITIONS = 256
# A reader's word matches at most this many written forms when it is highlighted.
MAX_FORMS = 400
HTML_TAG = re.compile(r'<(?:[^>"]|"[^"]*")*>')

# Words too common to find anything by (prepositions, conjunctions, particles,
# pronouns): left out of the stored lemmas and of queries, as PostgreSQL leaves out
# "the" and "of" in English. They still count as positions, so phrases keep their gaps.
UKRAINIAN_STOP_WORDS = """
а аби або адже б би бо в від вже все всі де для до же з за зі і із й та як коли крізь
ледь лише між на над не ні о об од от перед по поза під при про се так також те ти то
тобто тощо у це цей ці чи що щоб я ми ви він вона воно вони його її їх їм нам вам мене
тебе себе був була було були є бути ж ось навіть хоча якщо поки через біля після
"""
STOP_WORDS = {"uk": frozenset(UKRAINIAN_STOP_WORDS.split())}


def search_config(language: str) -> str:
    """Return the PostgreSQL text search configuration for a language's stories."""
    return SEARCH_CONFIGS.get(language, FALLBACK_CONFIG)


def is_lemmatised(language: str) -> bool:
    """Whether a language's words are reduced to lemmas in Python (see `lemma_vector`)."""
    return language in LEMMATISED


@cache
def analyzer(language: str):
    """Return the morphological analyser of a language, loaded once per process."""
    import pymorphy3  # Loaded on first use: only lemmatised languages need it.

    return pymorphy3.MorphAnalyzer(lang=LEMMATISED[language])


def words(text: str) -> list[str]:
    """Return the words of plain `text`, lower-cased, apostrophes made alike."""
    text = text.lower()
    for apostrophe in APOSTROPHE_VARIANTS:  # str.replace: translate is slow on Cyrillic.
        text = text.replace(apostrophe, "'")
    found = WORD.findall(text)
    return [word for word in found if len(word) <= MAX_WORD]


def html_words(fragment: str) -> list[str]:
    """Return the words of an HTML fragment, its tags and attributes left out."""
    return words(html.unescape(HTML_TAG.sub(" ", fragment)))


@lru_cache(maxsize=200_000)
def lemmas(word: str, language: str) -> tuple[str, ...]:
    """Return the lemmas a lower-cased word may be a form of; none for a stop word."""
    if word in STOP_WORDS.get(language, ()):
        return ()
    candidates = dict.fromkeys(
        parse.normal_form.translate(APOSTROPHES) for parse in analyzer(language).parse(word)
    )
    return tuple(sorted(candidates)) or (word,)


@lru_cache(maxsize=20_000)
def forms(word: str, language: str) -> tuple[str, ...]:
    """Return every written form of every dictionary word a word may be a form of."""
    found = {word, *lemmas(word, language)}
    for parse in analyzer(language).parse(word):
        found.update(form.word.translate(APOSTROPHES) for form in parse.lexeme)
    return tuple(sorted(found))


@lru_cache(maxsize=200_000)
def quoted(lexeme: str) -> str:
    """Return a lexeme as tsvector and tsquery text write it."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def lemma_vector(language: str, headline: str, standfirst: str, body: str) -> str | None:
    """Return the stored search vector of a story, as tsvector text, or None.

    None for a language PostgreSQL reads by itself. Lemmas of the headline are
    weighted A, of the standfirst B, of the body (HTML) C, at their words'
    positions, as `setweight(to_tsvector(...))` joined with `||` would make them.
    """
    if not is_lemmatised(language):
        return None
    positions: dict[str, list[int]] = {}
    position, ends = 0, []
    for part in (words(headline), words(standfirst), html_words(body)):
        for word in part:
            position = min(position + 1, MAX_POSITION)
            for lemma in lemmas(word, language):
                held = positions.get(lemma)
                if held is None:
                    positions[lemma] = [position]
                # Past the last position every word lands on it: keep it once.
                elif held[-1] != position and len(held) < MAX_POSITIONS:
                    held.append(position)
        ends.append(position)
    headline_end, standfirst_end, _ = ends
    return " ".join(
        quoted(lemma)
        + ":"
        + ",".join(
            [
                f"{at}A" if at <= headline_end else f"{at}B" if at <= standfirst_end else f"{at}C"
                for at in held
            ]
        )
        for lemma, held in positions.items()
    )


# "or" between two terms, as in web search; "або" too in a Ukrainian search box.
OR_WORDS = frozenset({"or", "або"})
# What a reader types, in web search syntax: "a phrase", -word, -"a phrase", or.
READER_TERM = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


def reader_terms(text: str) -> list[tuple[str, bool, list[str]]]:
    """Split a reader's search into (operator, negated, words) terms.

    The operator ("&" or "|") joins the term to the one before. As in PostgreSQL's
    `websearch_to_tsquery`, words are all required unless `or` stands between
    them, a leading "-" leaves a word or phrase out, and nothing is a syntax error.
    """
    terms: list[tuple[str, bool, list[str]]] = []
    operator = "&"
    for match in READER_TERM.finditer(text):
        minus, phrase, word_minus, word = match.groups()
        if phrase is None and word.lower() in OR_WORDS and not word_minus:
            if terms:
                operator = "|"
            continue
        negated = bool(minus if phrase is not None else word_minus)
        found = words(phrase if phrase is not None else word)
        if found:
            terms.append((operator, negated, found))
            operator = "&"
    return terms


def lemma_query(text: str, language: str) -> str:
    """Return a reader's search as tsquery text over the lemmas of `language`.

    Each word matches any of its lemmas, or itself; a phrase (or a word written with a
    hyphen, "covid-19") keeps its words in order, stop words as gaps. Empty when
    nothing in `text` is searchable: such a query matches nothing.
    """
    query = ""
    for operator, negated, found in reader_terms(text):
        term, gap = "", 0
        for word in found:
            alternatives = lemmas(word, language)
            if not alternatives:
                gap += 1 if term else 0
                continue
            # The word as typed too: a story saved without lemmas holds its words as
            # written (see `Article.search_lemmas`).
            alternatives = tuple(dict.fromkeys((*alternatives, word)))
            words_sql = " | ".join(quoted(lemma) for lemma in alternatives)
            operand = f"({words_sql})" if len(alternatives) > 1 else words_sql
            term = f"{term} <{gap + 1}> {operand}" if term else operand
            gap = 0
        if not term:
            continue
        term = f"!({term})" if negated else f"({term})"
        query = f"{query} {operator} {term}" if query else term
    return query


def highlight_forms(text: str, language: str) -> list[str]:
    """Return the written forms of the words a reader searched for, to mark in the text.

    Stories hold the words as written ("Києві") and the query is made of lemmas
    ("київ"): highlighting looks for every form of the reader's words instead.
    Words left out ("-word") are not marked.
    """
    found: dict[str, None] = {}
    for _operator, negated, term_words in reader_terms(text):
        if negated:
            continue
        for word in term_words:
            if lemmas(word, language):
                found.update(dict.fromkeys(forms(word, language)))
    return list(found)[:MAX_FORMS]


# --- In the database's terms ----------------------------------------------------------


def html_text(field: str) -> Func:
    """Return an expression for the text of the HTML in `field`, each tag replaced by a space.

    Entities such as "&amp;" stay: the text search parser skips them, and the
    highlighted snippets unescape them before escaping again.
    """
    return Func(
        F(field),
        Value(HTML_TAG_PATTERN),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=models.TextField(),
    )


def story_search_config() -> Case:
    """Return an expression for the text search configuration of a story's language.

    Each branch is a constant of type regconfig: a cast from text would look the
    name up at run time, which a generated column may not do.
    """
    return Case(
        *(
            When(language=code, then=SearchConfig(Value(config)))
            for code, config in SEARCH_CONFIGS.items()
        ),
        default=SearchConfig(Value(FALLBACK_CONFIG)),
        output_field=models.TextField(),
    )
