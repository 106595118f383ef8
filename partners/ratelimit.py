"""How often a partner key may call the API: a counter per key and minute in the default cache.

The default cache is Redis in production, shared by every origin, so a key's count
is the same whichever origin answers. A fixed window (the calendar minute) costs
one atomic increment per request; a burst across a minute's end may reach twice the
limit for a moment, which a per-minute limit tolerates.
"""

from __future__ import annotations

import logging
import math
import time

from django.core.cache import cache

WINDOW_SECONDS = 60

logger = logging.getLogger(__name__)


def hit(bucket: str, limit: int, *, now: float | None = None) -> int | None:
    """Count one request in `bucket` for the current minute.

    Return None while the minute's count is within `limit`, else the seconds to
    the minute's end (`Retry-After`). A cache that fails lets the request through:
    a cache outage must not shut partners out.
    """
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS)
    counter = f"ratelimit:{bucket}:{window}"
    try:
        # The counter outlives its minute a little: a clock a second behind another
        # origin's still counts into it.
        if cache.add(counter, 1, timeout=WINDOW_SECONDS + 5):
            count = 1
        else:
            try:
                count = cache.incr(counter)
            except ValueError:  # Expired between add and incr.
                cache.add(counter, 1, timeout=WINDOW_SECONDS + 5)
                count = 1
    except Exception:  # Any cache backend's error: serve rather than refuse.
        logger.warning("Rate limit not counted for %s: the cache failed", bucket, exc_info=True)
        return None
    if count <= limit:
        return None
    return max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))
