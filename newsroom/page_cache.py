"""The server-side cache of public pages, and when it forgets them.

Every cached page is stored with the *content version* it was rendered under, a
number kept in the cache itself. Any change readers could see (a story
published, edited or unpublished, a pin, a correction, a renamed topic) bumps
the version, so every page rendered before the change is ignored at once, on
every worker sharing the cache. Entries also expire after `PAGE_TIMEOUT` seconds
and browsers keep a page no longer than that: a scheduled story, which becomes
public without any save, reaches every reader within two timeouts, i.e. within
a minute.

Pages are the same for every reader (no session is read, no cookie is set), so
one copy serves everyone. Each worker process also keeps the pages it serves most
in its own memory (`LocalPages`, bounded by `LOCAL_BYTES`) and reads the shared
version at most once every `VERSION_CHECK` seconds: a hit on a busy page then
costs no round trip at all. A change made in another process therefore reaches
this one's readers up to `VERSION_CHECK` seconds later; a change made in this
process (an editor's save) is seen at once.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import parse_http_date_safe

from newsroom.versions import VersionCounter

PAGE_TIMEOUT = 30
VERSION_KEY = "public-pages:version"
# Seconds a worker trusts the shared version it last read (see `LocalPages`).
VERSION_CHECK = 1.0
# Memory each worker process gives to the pages it keeps itself.
LOCAL_BYTES = 32 * 1024 * 1024


# Pages rendered afresh read it too (navigation, subjects): as trusted as a hit.
content_versions = VersionCounter(VERSION_KEY, trusted_for=VERSION_CHECK)


def content_version() -> int:
    """Return the current content version, starting one if the cache has none."""
    return content_versions.current()


def content_changed(**kwargs) -> None:
    """Forget every cached public page (usable directly as a signal receiver).

    Bumps the version now, and again once the transaction commits: a page
    rendered in between from the rows as they were is stored under a version
    nobody asks for any more.
    """
    _bump_content_version()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_bump_content_version)


def _bump_content_version() -> None:
    content_versions.bump()  # This process then reads the new version at once.


def page_key(request: HttpRequest) -> str:
    """Return the cache key of the page at the request's path."""
    return "public-pages:" + hashlib.sha256(request.get_full_path().encode()).hexdigest()


@dataclass(frozen=True)
class StoredPage:
    """A rendered page as the cache keeps it: plain values, cheap to load."""

    version: int
    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes
    # When it was rendered (time.time()): a worker's own copy expires with the shared one.
    stored_at: float = 0.0

    def response(self) -> HttpResponse:
        return HttpResponse(self.content, status=self.status, headers=dict(self.headers))

    @property
    def fresh(self) -> bool:
        return time.time() < self.stored_at + PAGE_TIMEOUT


class LocalPages:
    """The pages one worker process keeps in its memory, least recently used first out.

    Each copy is checked against the shared content version, which is itself
    read from the shared cache at most once every `VERSION_CHECK` seconds
    (`content_versions`), and expires when its shared original does. Thread-safe.
    """

    def __init__(self, max_bytes: int = LOCAL_BYTES) -> None:
        self.max_bytes = max_bytes
        self._pages: OrderedDict[str, StoredPage] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str, version: int) -> StoredPage | None:
        with self._lock:
            page = self._pages.get(key)
            if page is None:
                return None
            if page.version != version or not page.fresh:
                self._drop(key)
                return None
            self._pages.move_to_end(key)
            return page

    def put(self, key: str, page: StoredPage) -> None:
        if len(page.content) > self.max_bytes // 8:
            return  # A page this big would push out many others.
        with self._lock:
            self._drop(key)
            self._pages[key] = page
            self._bytes += len(page.content)
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._pages)))

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def _drop(self, key: str) -> None:
        page = self._pages.pop(key, None)
        if page is not None:
            self._bytes -= len(page.content)


local_pages = LocalPages()


def lookup(request: HttpRequest) -> tuple[int, StoredPage | None]:
    """Return the current version and the page stored for the request, if still current."""
    key = page_key(request)
    version = content_versions.trusted()
    if version is not None:
        page = local_pages.get(key, version)
        if page is not None:
            return version, page
    # One round trip for both the version and the page.
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY)
    if version is None:
        version = content_version()
    content_versions.remember(version)
    page = found.get(key)
    if page is None or page.version != version or not page.fresh:
        return version, None
    local_pages.put(key, page)
    return version, page


def _serves(request: HttpRequest) -> bool:
    return request.method in ("GET", "HEAD") and settings.NEWSROOM_PAGE_CACHE


def _cacheable(response: HttpResponse) -> bool:
    return (
        response.status_code in (200, 301)
        and not response.streaming
        and not response.cookies
        and not response.has_header("Vary")
        and "no-cache" not in response.get("Cache-Control", "")
        and "private" not in response.get("Cache-Control", "")
    )


class PageCacheMiddleware:
    """Answer a request for a cached public page before the rest of the stack runs.

    Sessions, authentication, CSRF and URL resolving have nothing to add to a
    page that is the same for every reader; skipping them makes a cache hit
    nearly as cheap as a static file. Only views wrapped in `cached_public_page`
    store pages, so nothing else is ever served from here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _serves(request):
            request.get_host()  # An unexpected Host header is refused as everywhere else.
            # The version is read once, before rendering: a change during rendering
            # leaves the page stored under the old version, which nobody takes.
            request.page_cache_version, page = lookup(request)
            if page is not None:
                response = page.response()
                return get_conditional_response(
                    request,
                    etag=response.get("ETag"),
                    last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
                    response=response,
                )
        return self.get_response(request)


def cached_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Render a public page and store it for `PageCacheMiddleware` to serve.

    Responses carry `Cache-Control: public, max-age` and an ETag, so browsers and
    proxies revalidate cheaply (ConditionalGetMiddleware answers 304).
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _serves(request):
            return view(request, *args, **kwargs)
        # The middleware looked the page up already and found nothing current.
        version = getattr(request, "page_cache_version", None)
        if version is None:  # No middleware in front (a view called directly): look here.
            version, page = lookup(request)
            if page is not None:
                return page.response()
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if _cacheable(response):
            patch_cache_control(response, public=True, max_age=PAGE_TIMEOUT)
            if not response.has_header("ETag"):
                set_response_etag(response)
            # One piece, not the thousands a feed writer appends: every answer is
            # then a single write to the socket.
            response.content = response.content
            stored = StoredPage(
                version=version,
                status=response.status_code,
                headers=tuple(response.headers.items()),
                content=response.content,
                stored_at=time.time(),
            )
            cache.set(page_key(request), stored, PAGE_TIMEOUT)
            local_pages.put(page_key(request), stored)
        return response

    return wrapper
