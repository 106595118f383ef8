"""The addresses of the public pages in one edition of the site.

Each language edition has its own URL prefix: a page's address is reversed in
that language. `edition_url` remembers what it reversed, as every card links
several pages; `section_url` and `author_url` give the reader's edition.
"""

from __future__ import annotations

from functools import lru_cache

from django.urls import reverse
from django.utils import translation

from articles.languages import reader_language


def section_url(slug: str) -> str:
    """Return the address of a section page in the reader's edition."""
    return edition_url("articles:section", reader_language(), slug=slug)


def author_url(pk: int) -> str:
    """Return the address of an author's page in the reader's edition."""
    return edition_url("articles:author", reader_language(), pk=pk)


@lru_cache(maxsize=100_000)
def edition_url(name: str, language: str, **kwargs) -> str:
    """Return the address of a page of one edition (remembered: every card links several)."""
    with translation.override(language):
        return reverse(name, kwargs=kwargs)
