"""Version counters in the shared cache: bump one to retire everything stored under it.

The public page cache and the story fragments both store entries under the
current value of a counter, and retire them all at once by bumping it. A cache
may lose a counter (eviction, a flush, a restart of a memory cache); counting
starts again from the clock, not from 1, so entries stored under an earlier
count never match again.
"""

from __future__ import annotations

import time

from django.core.cache import cache


def _clock() -> int:
    return time.time_ns() // 1000


class VersionCounter:
    """A counter kept in the default cache under `key`, never expiring."""

    def __init__(self, key: str) -> None:
        self.key = key

    def current(self) -> int:
        """Return the current value, starting the counter if the cache has none."""
        value = cache.get(self.key)
        if value is None:
            cache.add(self.key, _clock(), timeout=None)
            value = cache.get(self.key, 0)
        return value

    def bump(self) -> None:
        """Move the counter on, retiring everything stored under earlier values."""
        try:
            cache.incr(self.key)
        except ValueError:  # No counter yet: nothing is stored under one either.
            cache.add(self.key, _clock(), timeout=None)
