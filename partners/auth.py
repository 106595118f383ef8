"""Partner keys on the API: `Authorization: Bearer <key>` says which partner asks.

Without the header a request is the public's (`PUBLIC`) and the API answers as it
does everyone. With a valid key it is a `PartnerAccess`: the answers widen to the
partner's scope (stories released under embargo, the change feed with the stories
taken down), are never kept by any cache, and are logged on `partners.access`.
A header that is malformed, or a key that is unknown, revoked or an inactive
partner's, is refused (401); a key over its partner's rate is told to wait (429).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer

from partners import ratelimit
from partners.models import KEY_PREFIX, Partner, PartnerKey, key_digest

# What `PartnerKey.issue` hands out: the prefix, then 43 URL-safe characters. Anything
# else is refused without a query.
KEY_PATTERN = re.compile(rf"{re.escape(KEY_PREFIX)}[A-Za-z0-9_-]{{20,100}}")

access_log = logging.getLogger("partners.access")


class Public:
    """A request without a key: the public's (truthy, so the API serves it)."""

    def __repr__(self) -> str:
        return "PUBLIC"


PUBLIC = Public()


@dataclass(frozen=True)
class PartnerAccess:
    """A request made with a partner's valid key: who asks, and what its scope takes."""

    partner: Partner
    key: PartnerKey
    source_ids: list[int]
    section_ids: list[int]

    def scope_q(self) -> Q:
        """Return the condition for the stories within the partner's scope (no query)."""
        return self.partner.scope_q(self.source_ids, self.section_ids)


class KeyRefused(AuthenticationError):
    """A header that is not a key of ours, or a key that no longer opens anything."""

    def __init__(self, message: str) -> None:
        super().__init__(401, message)


class RateLimited(HttpError):
    """The key made its partner's requests for this minute."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(429, f"Too many requests: try again in {retry_after} seconds.")
        self.retry_after = retry_after


def find_key(key: str) -> PartnerAccess | None:
    """Return what `key` opens, or None if nothing (unknown, revoked, inactive partner).

    One query: the key, its partner, and the partner's sources and sections.
    """
    sources = Partner.sources.through.objects.filter(partner_id=OuterRef("partner_id"))
    sections = Partner.sections.through.objects.filter(partner_id=OuterRef("partner_id"))
    try:
        found = (
            PartnerKey.objects.active()
            .select_related("partner")
            .annotate(
                source_ids=ArraySubquery(sources.values("source_id")),
                section_ids=ArraySubquery(sections.values("section_id")),
            )
            .get(digest=key_digest(key))
        )
    except PartnerKey.DoesNotExist:
        return None
    return PartnerAccess(found.partner, found, found.source_ids, found.section_ids)


class PartnerKeyBearer(HttpBearer):
    """A partner's key as a bearer token; no `Authorization` header at all is the public."""

    openapi_bearerFormat = f"{KEY_PREFIX}…"
    openapi_description = (
        "Optional. A partner's key (`Authorization: Bearer nrp_…`) widens the answers to "
        "what the partner may receive: stories released under embargo (with "
        "`embargoedUntil`), and, with `updated_since`, the change feed with the stories "
        "taken down since it received them (`pubStatus` `withheld` or `canceled`, with "
        "the reason). Keyed answers are private and counted against the partner's "
        "requests per minute (429 with `Retry-After` over it). A malformed header or an "
        "unknown, revoked or inactive partner's key is a 401."
    )

    def __call__(self, request: HttpRequest) -> PartnerAccess | Public:
        header = request.headers.get(self.header)
        if header is None:
            return PUBLIC
        scheme, _, key = header.partition(" ")
        key = key.strip()
        if scheme.lower() != self.openapi_scheme or not KEY_PATTERN.fullmatch(key):
            raise KeyRefused("Send a partner key as “Authorization: Bearer nrp_…”.")
        return self.authenticate(request, key)

    def authenticate(self, request: HttpRequest, token: str) -> PartnerAccess:
        access = find_key(token)
        if access is None:
            raise KeyRefused("This key is unknown or no longer valid.")
        # Known before the rate is checked: a refused request is still logged as its partner's.
        request.partner_access = access
        access.key.touch()
        wait = ratelimit.hit(f"partner-key:{access.key.pk}", access.partner.requests_per_minute)
        if wait is not None:
            raise RateLimited(wait)
        return access


def partner_of(request: HttpRequest) -> PartnerAccess | None:
    """Return the partner access of a request made with a valid key, else None."""
    return getattr(request, "partner_access", None)


def note_items(request: HttpRequest, count: int) -> None:
    """Record how many items an answer carries, for the access log."""
    request.items_sent = count


def keyed_answers(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Keep partners' answers out of every cache, and log them.

    Every answer varies on `Authorization`: a browser never reuses a public answer
    for a keyed request, or the reverse. A partner's answer is `private, no-store`
    before the front cache's decorator looks at it (which then leaves it unmarked
    and untagged), and logged on `partners.access`; so is a refused key.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        patch_vary_headers(response, ["Authorization"])
        access = partner_of(request)
        if access is not None:
            patch_cache_control(response, private=True, no_store=True)
            access_log.info(
                "partner=%r key=%s %s %s status=%s items=%s",
                access.partner.name,
                access.key.prefix,
                request.method,
                request.get_full_path(),
                response.status_code,
                getattr(request, "items_sent", 0),
            )
        elif "Authorization" in request.headers:
            patch_cache_control(response, private=True, no_store=True)
            access_log.info(
                "refused key %s %s status=%s",
                request.method,
                request.get_full_path(),
                response.status_code,
            )
        return response

    return wrapper
