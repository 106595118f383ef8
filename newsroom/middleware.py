"""Project-wide middleware."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.urls import reverse

logger = logging.getLogger("django.security.UnstorableInput")


@cache
def api_prefix() -> str:
    return reverse("api:api-root")


class RefuseNulMiddleware:
    """Answer 400 to a request with a NUL character in its path, query, form or cookies.

    PostgreSQL text cannot hold one (psycopg raises), and no field, filter,
    search or session key anywhere needs one: checked once here, before any
    view, form or session lookup takes it to a query, in our screens and in
    those of the admin's other apps alike.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = self.problem(request)
        if problem:
            logger.warning("Refused %s %s: %s", request.method, request.path_info, problem)
            return refusal(request, problem)
        return self.get_response(request)

    def problem(self, request: HttpRequest) -> str | None:
        if "\x00" in request.path_info:
            return "the address holds a NUL character"
        if any("\x00" in f"{name}{value}" for name, value in request.COOKIES.items()):
            return "a cookie holds a NUL character"
        parts = [("the query string", request.GET.lists())]
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            # The CSRF check reads the form before any view does; this reads it first.
            parts.append(("a form field", request.POST.lists()))
            files = ((name, [f.name or "" for f in fs]) for name, fs in request.FILES.lists())
            parts.append(("an uploaded file's name", files))
        for where, fields in parts:
            for name, values in fields:
                if "\x00" in name or any("\x00" in value for value in values):
                    return f"{where} holds a NUL character ({name[:40]!r})"
        return None


def refusal(request: HttpRequest, problem: str) -> HttpResponse:
    """Say what is wrong: as JSON to the API's clients, as text to everyone else."""
    message = f"Bad request: {problem}."
    if request.path.startswith(api_prefix()):
        return JsonResponse({"detail": message}, status=400)
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
