from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse

from frontcache.purge import purge_failures


class PurgeFailureMiddleware:
    """Tell the person whose change could not be purged from the front cache.

    The purge is retried by the task worker; until it succeeds readers may still
    be shown the page as it was. Placed after MessageMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with purge_failures() as failures:
            response = self.get_response(request)
        if failures and hasattr(request, "_messages"):
            messages.warning(
                request,
                "Saved, but the front cache did not confirm removing the old copies: readers "
                "may see them for a little while. The purge is being retried.",
            )
        return response
