"""Django's Redis cache, with one Redis client per connection pool instead of one per call.

`django.core.cache.backends.redis` builds a new `redis.Redis` for every cache
operation, and building one costs more than the round trip it makes (redis-py
sets up its table of response callbacks each time). A client only wraps its
pool and is safe to share between threads, so each pool keeps one. Every page
served from the cache makes one such call.

Its serializer reads every value as an integer first and unpickles it when
that fails; a page rendered from twenty cached story cards then raises and
catches twenty `ValueError`s, each carrying the repr of a card. Ours looks at
the first byte instead: a pickle starts with the PROTO opcode, an integer
(stored unpickled, for `incr`) never does.

Django also checks every character of every key for what memcached would refuse
(spaces, control characters, more than 250 characters); Redis takes any key, and
a page of forty story cards asks for forty keys, so that check is left out.
"""

from __future__ import annotations

import pickle
from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from django.core.cache.backends.redis import RedisSerializer as DjangoRedisSerializer

PICKLE_PROTO = pickle.PROTO  # b"\x80", the first byte of every pickle of protocol 2 and up


class RedisSerializer(DjangoRedisSerializer):
    def loads(self, data: bytes) -> Any:
        if data[:1] == PICKLE_PROTO:
            return pickle.loads(data)  # noqa: S301 - written by `dumps`, as Django's
        return super().loads(data)


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("serializer", RedisSerializer)
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: str | None = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient

    def validate_key(self, key: str) -> None:
        """Accept any key: the memcached portability warnings do not apply to Redis."""
