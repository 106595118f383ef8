"""The pages readers and editors see when a request fails: never a traceback, never cached.

`server_error` is the project's `handler500`. Django calls it while it handles the
exception, so `sys.exc_info()` says what failed: the database or the photo storage
unreachable (a connection error, a server restarting, a timeout) answers 503 with
Retry-After, anything else a friendly 500. The admin saves in a transaction, so an
upload the storage refused leaves nothing behind.
Both pages are plain templates rendered without the request, so that no context
processor queries the database that has just failed.

While the database is down every request fails the same way: the outage is logged
once every LOG_INTERVAL seconds per process (with the traceback and a count), not as
a traceback per request.
"""

from __future__ import annotations

import logging
import sys
import threading
import time

from botocore.exceptions import ConnectionError, HTTPClientError
from django.conf import settings
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import get_template
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext

# How long a client (or a crawler) is asked to wait before trying again, in seconds.
RETRY_AFTER = 30
# Bounded walk along `raise ... from` and implicit chaining.
MAX_CHAIN = 10
LOG_INTERVAL = 30.0

logger = logging.getLogger(__name__)


class OutageLog:
    """Report database outages at most once every LOG_INTERVAL seconds per process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.last_report = float("-inf")
        self.unreported = 0

    def failed(self, request: HttpRequest) -> None:
        with self.lock:
            self.unreported += 1
            now = time.monotonic()
            if now - self.last_report < LOG_INTERVAL:
                return
            failures, self.unreported, self.last_report = self.unreported, 0, now
        logger.error(
            "Database unavailable: answering 503 (%s %s; %d requests since the last report)",
            request.method,
            request.path,
            failures,
            exc_info=True,
        )


outages = OutageLog()


# The photos' bucket out of reach: botocore's ConnectionError covers refused connections
# and connect timeouts, HTTPClientError read timeouts and connections closed mid-answer.
STORAGE_UNREACHABLE: tuple[type[BaseException], ...] = (ConnectionError, HTTPClientError)
UNREACHABLE = (OperationalError, InterfaceError, *STORAGE_UNREACHABLE)


def part_unavailable(error: BaseException | None) -> bool:
    """Whether `error`, or an error it was raised from, says the database or the photos'
    storage cannot be reached."""
    for _ in range(MAX_CHAIN):
        if error is None:
            return False
        if isinstance(error, UNREACHABLE):
            return True
        error = error.__cause__ or error.__context__
    return False


def render_plain(template_name: str, status: int) -> HttpResponse:
    """Render `template_name` with the site's name only: no request, no query."""
    try:
        content = get_template(template_name).render({"site_name": settings.NEWSROOM_SITE_NAME})
        content_type = "text/html; charset=utf-8"
    except Exception:  # A broken template must not turn a friendly page into a traceback.
        content = gettext("The site is briefly unavailable; please try again in a minute.") + "\n"
        content_type = "text/plain; charset=utf-8"
    response = HttpResponse(content, status=status, content_type=content_type)
    # Not for the front cache or the browser to keep: the next request may succeed.
    add_never_cache_headers(response)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """Answer a failed request: 503 and Retry-After when the database or storage is out of
    reach, else 500."""
    if part_unavailable(sys.exc_info()[1]):
        outages.failed(request)
        response = render_plain("503.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        # Reported above; Django would log a traceback for every request of the outage.
        response._has_been_logged = True
        return response
    return render_plain("500.html", status=500)
