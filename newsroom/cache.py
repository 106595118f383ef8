"""The shared cache on Redis, built so that Redis down or slow makes pages slower, never broken.

`ResilientRedisCache` is Django's `RedisCache` with three differences:

- Short timeouts: OPTIONS `socket_timeout` and `socket_connect_timeout` default to a quarter
  of a second (redis-py waits five), so a stalled Redis costs a request little.
- Every Redis error reads as a miss (`get`), a no-op (`set`, `delete`) or `False` (`add`,
  `touch`, `has_key`); `incr` raises ValueError as for a missing key. A warning is logged at
  most once every `LOG_INTERVAL` seconds per process, with the number of failures since.
- A circuit breaker per process and Redis: after a connection error or timeout the cache is
  left alone for OPTIONS `retry_after` seconds (default 5), then one call tries it again. A
  paused Redis costs one timeout per process per pause, not one per request.

Keys written or deleted while Redis could not be reached are deleted as soon as it answers
again: a change made during the outage (a renamed section) is not hidden behind the copy
Redis may still hold from before it (a paused server keeps its data).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

SOCKET_TIMEOUT = 0.25
RETRY_AFTER = 5.0
LOG_INTERVAL = 30.0
# Keys to delete once Redis is back; past this many, the rest expire on their own.
MAX_STALE_KEYS = 10_000

# No Redis answer: what a call returns instead (`incr` raises instead).
_UNAVAILABLE = object()


class Breaker:
    """What one process knows about one Redis: whether to leave it alone, and what to delete."""

    def __init__(self, name: str, retry_after: float) -> None:
        self.name = name
        self.retry_after = retry_after
        self.lock = threading.Lock()
        self.down_since: float | None = None
        self.open_until = 0.0  # Monotonic time before which Redis is not asked.
        self.stale_keys: set[str] = set()
        self.unreported = 0
        self.last_report = float("-inf")

    def allows(self) -> bool:
        """Whether a call may go to Redis now; after a pause, let one caller try."""
        if self.down_since is None:
            return True
        with self.lock:
            now = time.monotonic()
            if now < self.open_until:
                return False
            # This caller tries; the others keep away until it knows.
            self.open_until = now + self.retry_after
            return True

    def failed(self, error: RedisError, keys: Iterable[str]) -> None:
        """Record a failed call; stop asking Redis for a while if it could not be reached."""
        with self.lock:
            now = time.monotonic()
            if isinstance(error, RedisConnectionError | RedisTimeoutError):
                self.open_until = now + self.retry_after
                if self.down_since is None:
                    self.down_since = now
            self._remember(keys)
            self.unreported += 1
            if now - self.last_report < LOG_INTERVAL:
                return
            failures, self.unreported, self.last_report = self.unreported, 0, now
        logger.warning(
            "Redis cache at %s failed (%s: %s); serving without it, trying again in %g s "
            "(%d failures since the last warning)",
            self.name,
            type(error).__name__,
            error,
            self.retry_after,
            failures,
        )

    def skipped(self, keys: Iterable[str]) -> None:
        """Record a call not made while the breaker is open."""
        with self.lock:
            self._remember(keys)
            self.unreported += 1

    def succeeded(self) -> None:
        """Record an answer from Redis: close the breaker if it was open."""
        if self.down_since is None:
            return
        with self.lock:
            if self.down_since is None:
                return
            seconds = time.monotonic() - self.down_since
            self.down_since, self.open_until = None, 0.0
        logger.warning("Redis cache at %s answers again after %.1f s", self.name, seconds)

    def take_stale_keys(self) -> list[str]:
        with self.lock:
            keys = list(self.stale_keys)
            self.stale_keys.clear()
        return keys

    def give_back(self, keys: Iterable[str]) -> None:
        with self.lock:
            self._remember(keys)

    def _remember(self, keys: Iterable[str]) -> None:
        for key in keys:
            if len(self.stale_keys) >= MAX_STALE_KEYS:
                break
            self.stale_keys.add(key)


_breakers: dict[tuple[str, ...], Breaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(servers: list[str], retry_after: float) -> Breaker:
    """Return this process's breaker for `servers`, shared by every thread's cache object."""
    with _breakers_lock:
        breaker = _breakers.get(tuple(servers))
        if breaker is None:
            name = ",".join(address(server) for server in servers)
            breaker = _breakers[tuple(servers)] = Breaker(name, retry_after)
        return breaker


def address(url: str) -> str:
    """Return where a Redis URL points (host and port, or socket), for logs: no password."""
    parts = urlsplit(url)
    if parts.hostname:
        return f"{parts.hostname}:{parts.port or 6379}"
    return parts.path


class ResilientRedisCache(RedisCache):
    """Django's RedisCache, with short timeouts, errors read as misses and a circuit breaker."""

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        options = dict(self._options)
        retry_after = float(options.pop("retry_after", RETRY_AFTER))
        options.setdefault("socket_timeout", SOCKET_TIMEOUT)
        options.setdefault("socket_connect_timeout", options["socket_timeout"])
        self._options = options
        self.breaker = breaker_for(self._servers, retry_after)

    def _call(
        self,
        method: Callable[..., Any],
        *args: Any,
        written: Callable[[], Iterable[str]] = tuple,
        **kwargs: Any,
    ) -> Any:
        """Call Redis through `method`; return _UNAVAILABLE if it fails or is left alone.

        `written` gives the Redis keys the call changes, made only when it is not made.
        """
        if not self.breaker.allows():
            self.breaker.skipped(written())
            return _UNAVAILABLE
        try:
            if self.breaker.stale_keys:
                self._delete_stale_keys()
            result = method(*args, **kwargs)
        except RedisError as error:
            self.breaker.failed(error, written())
            return _UNAVAILABLE
        self.breaker.succeeded()
        return result

    def _delete_stale_keys(self) -> None:
        keys = self.breaker.take_stale_keys()
        try:
            self._cache.delete_many(keys)
        except RedisError:
            self.breaker.give_back(keys)
            raise

    def _keys(self, keys: Iterable[Any], version: int | None) -> Callable[[], list[str]]:
        return lambda: [self.make_key(key, version=version) for key in keys]

    @staticmethod
    def _or(result: Any, fallback: Any) -> Any:
        return fallback if result is _UNAVAILABLE else result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(self._call(super().add, key, value, timeout, version), False)

    def get(self, key, default=None, version=None):
        return self._or(self._call(super().get, key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call(super().set, key, value, timeout, version, written=self._keys([key], version))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(self._call(super().touch, key, timeout, version), False)

    def delete(self, key, version=None):
        result = self._call(super().delete, key, version, written=self._keys([key], version))
        return self._or(result, False)

    def get_many(self, keys, version=None):
        return self._or(self._call(super().get_many, keys, version), {})

    def has_key(self, key, version=None):
        return self._or(self._call(super().has_key, key, version), False)

    def incr(self, key, delta=1, version=None):
        result = self._call(super().incr, key, delta, version, written=self._keys([key], version))
        if result is _UNAVAILABLE:
            raise ValueError(f"Key {key!r} not found: the cache is unavailable.")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        written = self._keys(list(data), version)
        result = self._call(super().set_many, data, timeout, version, written=written)
        # Django's contract: the keys that were not stored.
        return self._or(result, list(data))

    def delete_many(self, keys, version=None):
        keys = list(keys)
        self._call(super().delete_many, keys, version, written=self._keys(keys, version))

    def clear(self):
        return self._or(self._call(super().clear), False)
