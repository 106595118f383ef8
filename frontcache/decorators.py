"""`cache_in_front`: mark a public view's answers as the front cache's to keep."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

from frontcache import keys as surrogate

# How long a reader's browser keeps a page (a purge cannot reach it).
BROWSER_MAX_AGE = 30
# How long the front cache keeps a page it is never told about; purges end it sooner.
FRONT_MAX_AGE = 3600
# Statuses the front cache may keep: a page, and a stale slug's redirect.
CACHEABLE_STATUSES = frozenset({200, 301})


def cache_in_front(
    view: Callable[..., HttpResponse] | None = None,
    *,
    keys: tuple[str, ...] = (),
    max_age: int = FRONT_MAX_AGE,
) -> Callable[..., HttpResponse]:
    """Let the front cache keep the view's answers for `max_age`, tagged with what they show.

    The view names what it shows with `keys.tag()`/`keys.tag_stories()`; `keys`
    are added to every answer. Answers that set a cookie, vary on one, or are
    not a 200 or 301 are marked never to be kept.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            surrogate.tag(request, *keys)
            response = view(request, *args, **kwargs)
            if callable(getattr(response, "add_post_render_callback", None)):
                response.add_post_render_callback(lambda rendered: mark(request, rendered))
            else:
                mark(request, response)
            return response

        def mark(request: HttpRequest, response: HttpResponse) -> None:
            if request.method not in ("GET", "HEAD") or not cacheable(response):
                add_never_cache_headers(response)
                return
            patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE, s_maxage=max_age)
            if request.surrogate_keys:
                response["Surrogate-Key"] = surrogate.header_value(request.surrogate_keys)

        return wrapper

    return decorator if view is None else decorator(view)


def cacheable(response: HttpResponse) -> bool:
    return (
        response.status_code in CACHEABLE_STATUSES
        and not response.cookies
        and "cookie" not in response.get("Vary", "").lower()
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )
