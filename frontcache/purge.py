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
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from frontcache import keys as surrogate
from frontcache.backends import get_backend
from newsroom.replicas import wait_for_replicas

logger = logging.getLogger(__name__)

_failures: ContextVar[list[set[str]] | None] = ContextVar("front_cache_failures", default=None)


def purge(keys: Iterable[str]) -> bool:
    """Purge `keys` (and the catch-alls of their kinds) now; return whether the cache confirmed.

    A failure is retried by the task worker and reported to `purge_failures()`.
    With read replicas, it first waits (up to DATABASE_REPLICA_MAX_LAG) until they
    have applied the change, so that the pages fetched again are not filled from
    one that has not (`newsroom.replicas.wait_for_replicas`).
    """
    keys = surrogate.with_catch_alls(keys)
    if not keys:
        return True
    wait_for_replicas()
    try:
        get_backend().purge(keys)
    except Exception as error:  # The change is committed: a purge failure must not undo the answer.
        logger.error("Front cache purge of %s failed: %s", " ".join(sorted(keys)), error)
        failures = _failures.get()
        if failures is not None:
            failures.append(keys)
        retry_later(keys)
        return False
    return True


def retry_later(keys: set[str]) -> None:
    """Hand the purge of `keys` to the task worker, which tries again with growing waits."""
    from frontcache.tasks import RETRY_WAITS, retry_purge

    try:
        later = timezone.now() + timedelta(seconds=RETRY_WAITS[0])
        retry_purge.using(run_after=later).enqueue(sorted(keys), 1)
    except Exception:  # Logged with the keys; an operator can purge them by hand.
        logger.exception("Could not queue the purge of %s again", " ".join(sorted(keys)))


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
