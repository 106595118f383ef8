"""Version counters in the shared cache: bump one to retire everything stored under it.

The public page cache and the story fragments both store entries under the
current value of a counter, and retire them all at once by bumping it. A cache
may lose a counter (eviction, a flush, a restart of a memory cache); counting
starts again from the clock, not from 1, so entries stored under an earlier
count never match again.

A page rendered afresh reads each counter at least once; a counter may trust
the value it last read for `trusted_for` seconds instead of asking the cache
again. A bump made in this process is seen at once; one made in another process
reaches this one within that time.
"""

from __future__ import annotations

import time

from django.core.cache import cache


def _clock() -> int:
    return time.time_ns() // 1000


class VersionCounter:
    """A counter kept in the default cache under `key`, never expiring."""

    def __init__(self, key: str, trusted_for: float = 0.0) -> None:
        self.key = key
        self.trusted_for = trusted_for
        # (value, time.monotonic() it was read at), or None.
        self._last_read: tuple[int, float] | None = None

    def current(self) -> int:
        """Return the current value, starting the counter if the cache has none."""
        value = self.trusted()
        if value is not None:
            return value
        value = cache.get(self.key)
        if value is None:
            cache.add(self.key, _clock(), timeout=None)
            value = cache.get(self.key, 0)
        self.remember(value)
        return value

    def trusted(self) -> int | None:
        """Return the value read less than `trusted_for` seconds ago, or None."""
        last_read = self._last_read
        if last_read is not None and time.monotonic() - last_read[1] < self.trusted_for:
            return last_read[0]
        return None

    def remember(self, value: int) -> None:
        """Trust `value`, just read from the cache by other means, for `trusted_for` seconds."""
        self._last_read = (value, time.monotonic())

    def bump(self) -> None:
        """Move the counter on, retiring everything stored under earlier values."""
        try:
            cache.incr(self.key)
        except ValueError:  # No counter yet: nothing is stored under one either.
            cache.add(self.key, _clock(), timeout=None)
        self.forget()

    def forget(self) -> None:
        """Ask the cache on the next read (the value there may have moved)."""
        self._last_read = None
