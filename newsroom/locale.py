"""The language of each answer: a public page's comes from its address, the admin's from its user.

Public pages are one edition per language (`i18n_patterns`, the default language
without a prefix): their language never depends on the browser, and the front
cache keeps one copy of each. Django's `LocaleMiddleware` still marks unprefixed
pages `Vary: Accept-Language`, which would have the front cache keep a copy per
browser language; that mark is dropped here for everything but the admin. The
admin speaks the language its user chose (`accounts.languages`), else the browser's.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import cc_delim_re

from accounts.languages import session_language


def in_admin(request: HttpRequest) -> bool:
    return request.path_info.startswith(f"/{settings.NEWSROOM_ADMIN_PATH}")


class EditionLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)  # The address's language; unprefixed: the default.
        if in_admin(request):
            language = session_language(request) or translation.get_language_from_request(
                request, check_path=False
            )
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response = super().process_response(request, response)
        if not in_admin(request) and response.has_header("Vary"):
            kept = [
                header
                for header in cc_delim_re.split(response["Vary"])
                if header and header.lower() != "accept-language"
            ]
            if kept:
                response["Vary"] = ", ".join(kept)
            else:
                del response["Vary"]
        return response
