from django.core.cache import cache
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from articles.models import Section
from newsroom.page_cache import content_version


def navigation_sections() -> list[Section]:
    """Return the sections of the site navigation, kept in the cache until content changes.

    Every page shows them and they change a few times a year: a cache read, not
    a query, on each page rendered.
    """
    return cache.get_or_set(
        f"nav-sections:{content_version()}", lambda: list(Section.objects.all()), 3600
    )


def sections(request: HttpRequest) -> dict:
    """Expose the sections for the site navigation, looked up only if a page shows them."""
    return {"nav_sections": SimpleLazyObject(navigation_sections)}
