from django.core.cache import caches
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from articles.fragments import markup_digest
from articles.models import Section
from newsroom.page_cache import content_version


def navigation_sections() -> list[Section]:
    """Return the sections of the site navigation, kept in the cache until content changes.

    Every page shows them and they change a few times a year: a read from this
    process's memory (CACHES["local"]), not a query, on each page rendered.
    """
    return caches["local"].get_or_set(
        f"nav-sections:{content_version()}", lambda: list(Section.objects.all()), 3600
    )


def navigation_version() -> str:
    """Return what keys the site header's markup: the content version, the deployed templates."""
    return f"{content_version()}:{markup_digest()}"


def sections(request: HttpRequest) -> dict:
    """Expose the sections for the site navigation, looked up only if a page shows them.

    `nav_version` keys the site header's rendered markup, navigation included (`{% cache %}` in
    `base.html`): while it is cached, the sections are not read at all.
    """
    return {
        "nav_sections": SimpleLazyObject(navigation_sections),
        "nav_version": SimpleLazyObject(navigation_version),
    }
