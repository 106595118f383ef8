import logging

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from articles.models import Section

logger = logging.getLogger(__name__)

NAVIGATION_KEY = "navigation-sections-named"  # Sections carry their names per language.
# A change deletes the entry (`forget_navigation`); the timeout bounds a render that
# read the sections just before a change and stored them just after.
NAVIGATION_TIMEOUT = 300


def navigation_sections() -> list[Section]:
    """Return the sections of the site navigation, from the cache when it has them.

    Every page shows them and they change a few times a year. The entry is filled
    from the primary: a replica that has not yet applied a rename would otherwise
    put the old names back, shared by every origin, just after the change dropped them.
    """
    try:
        return cache.get_or_set(
            NAVIGATION_KEY,
            lambda: list(Section.objects.using(DEFAULT_DB_ALIAS)),
            NAVIGATION_TIMEOUT,
        )
    except Exception:  # A cache that is down makes pages slower, never broken.
        logger.warning("The cache is unavailable; reading the sections", exc_info=True)
        return list(Section.objects.all())


def forget_navigation(**kwargs) -> None:
    """Drop the cached navigation now and once the change commits (a signal receiver).

    A page rendered in between, from the sections as they were, is dropped at the commit.
    """
    delete_navigation()
    transaction.on_commit(delete_navigation)


def delete_navigation() -> None:
    """Delete the cached navigation; a cache that is down must not fail the save."""
    try:
        cache.delete(NAVIGATION_KEY)
    except Exception:  # The entry expires within NAVIGATION_TIMEOUT anyway.
        logger.warning("The cache is unavailable; the navigation was not dropped", exc_info=True)


def sections(request: HttpRequest) -> dict:
    """Expose the sections for the site navigation, looked up only if a page shows them."""
    return {"nav_sections": SimpleLazyObject(navigation_sections)}
