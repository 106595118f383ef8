"""Refuse request bodies no one should send, before anything reads them.

The proxies in front refuse them first (docs/production.md); this is the origin's own
line, for a deployment without them. Django would otherwise read a multipart body
(spooling its files to disk) as soon as any code, the CSRF check among them, asks for
`request.POST`, and refuse it only afterwards.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def max_body_bytes(request: HttpRequest) -> int:
    """The largest body `request` may carry: a photo upload for staff, a form otherwise."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        # Only a signed-in person uploads photos; the session is checked later, as ever.
        return settings.NEWSROOM_IMAGE_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class RequestBodyLimitMiddleware:
    """Answer 413 to a request whose declared body is over its limit, unread."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse("Bad Content-Length.\n", status=400, content_type="text/plain")
        if length > max_body_bytes(request):
            response = HttpResponse(
                "Request body too large.\n", status=413, content_type="text/plain"
            )
            # The unread body must not be taken for the next request on this connection.
            response["Connection"] = "close"
            return response
        return self.get_response(request)
