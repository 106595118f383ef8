"""The server-side cache of public pages, and when it forgets them.

Every cached page is stored under the current *content version*, a number kept
in the cache itself. Any change readers could see (a story published, edited or
unpublished, a pin, a correction, a renamed topic) bumps the version, so every
page rendered before the change is ignored at once, on every worker sharing the
cache. Entries also expire after `PAGE_TIMEOUT` seconds and browsers keep a page
no longer than that: a scheduled story, which becomes public without any save,
reaches every reader within two timeouts, i.e. within a minute.

Pages are the same for every reader (no session is read, no cookie is set), so
one copy serves everyone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, set_response_etag

PAGE_TIMEOUT = 30
VERSION_KEY = "public-pages:version"


def content_version() -> int:
    """Return the current content version, starting one if the cache has none."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def content_changed(**kwargs) -> None:
    """Forget every cached public page (usable directly as a signal receiver)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # No version yet: nothing is cached under one either.
        cache.add(VERSION_KEY, 1, timeout=None)


def _cacheable(response: HttpResponse) -> bool:
    return (
        response.status_code in (200, 301)
        and not response.cookies
        and not response.has_header("Vary")
        and "no-cache" not in response.get("Cache-Control", "")
        and "private" not in response.get("Cache-Control", "")
    )


def cached_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a public page from the shared cache; render and store it on a miss.

    Responses carry `Cache-Control: public, max-age` and an ETag, so browsers and
    proxies revalidate cheaply (ConditionalGetMiddleware answers 304).
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or not settings.NEWSROOM_PAGE_CACHE:
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        # The version is read once, before rendering: a change during rendering
        # leaves this page under the old version, where nobody looks for it.
        key = f"public-pages:{content_version()}:{path}"
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if _cacheable(response):
                # One chunk, not the thousands a feed writer appends: every hit is
                # then a single write to the socket.
                response.content = response.content
                patch_cache_control(response, public=True, max_age=PAGE_TIMEOUT)
                if not response.has_header("ETag") and not response.streaming:
                    set_response_etag(response)
                cache.set(key, response, PAGE_TIMEOUT)
        return response

    return wrapper
