"""Purging the front cache once a change is committed, and what happens when it fails.

A purge runs in the request (or command) that made the change, right after its
transaction commits: an unpublished story is gone from the front cache before
the editor's next page loads. A purge the cache did not confirm is logged,
handed to the task worker to try again (`frontcache.tasks.retry_purge`), and
reported to whoever asked for it through `purge_failures()` (the admin shows
it as a warning).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction

from frontcache import keys as surrogate
from frontcache.backends import PurgeError, get_backend

logger = logging.getLogger(__name__)

_failures: ContextVar[list[set[str]] | None] = ContextVar("front_cache_failures", default=None)


def purge(keys: Iterable[str]) -> bool:
    """Purge `keys` (and the catch-alls of their kinds) now; return whether the cache confirmed.

    A failure is retried by the task worker and reported to `purge_failures()`.
    """
    keys = surrogate.with_catch_alls(keys)
    if not keys:
        return True
    try:
        get_backend().purge(keys)
    except PurgeError as error:
        logger.error("Front cache purge of %s failed: %s", " ".join(sorted(keys)), error)
        failures = _failures.get()
        if failures is not None:
            failures.append(keys)
        from frontcache.tasks import retry_purge

        retry_purge.enqueue(sorted(keys), 1)
        return False
    return True


def purge_on_commit(keys: Iterable[str] | Callable[[], Iterable[str]]) -> None:
    """Purge `keys` once the current transaction commits (at once outside one).

    `keys` may be a function, called after the commit, for keys that depend on
    what the transaction wrote (a story's topics as saved with it).
    """

    def run() -> None:
        purge(keys() if callable(keys) else keys)

    transaction.on_commit(run)


@contextmanager
def purge_failures() -> Iterator[list[set[str]]]:
    """Collect the keys of the purges that fail inside the block (each as a set)."""
    failures: list[set[str]] = []
    token = _failures.set(failures)
    try:
        yield failures
    finally:
        _failures.reset(token)
