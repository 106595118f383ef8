"""What `/healthz` checks: each part the site runs on, cheaply, without ever raising."""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection


def database_answers() -> bool:
    """Whether the database answers a query (pages cannot be served without it)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # Any failure means "unavailable", never a 500.
        return False
    return True


def cache_answers() -> bool:
    """Whether the shared cache keeps a value (pages are served without it, only slower).

    The cache backend reads Redis errors as misses, so only a round trip tells; the key
    is the caller's own, so that concurrent checks do not read each other's values.
    """
    key = f"healthz-{os.getpid()}-{threading.get_ident()}"
    token = secrets.token_hex(8)
    try:
        cache.set(key, token, 30)
        return cache.get(key) == token
    except Exception:  # Another backend's failure: "unavailable" too, never a 500.
        return False


CHECKS: dict[str, Callable[[], bool]] = {"database": database_answers, "cache": cache_answers}


def report(parts: list[str]) -> dict[str, object]:
    """Check `parts` (names in CHECKS); say "ok" or "unavailable" for each and which are down."""
    states = {part: "ok" if CHECKS[part]() else "unavailable" for part in parts}
    down = [part for part, state in states.items() if state != "ok"]
    if down:
        return {"status": "error", **states, "down": down}
    return {"status": "ok", **states}
