"""The address a request came from, as far as this deployment can trust it."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """Return the client's IP address: the connection's, or our proxies' word for it.

    Only with BEHIND_PROXY is X-Forwarded-For read, and only the entry our own proxies
    wrote: each of the PROXY_COUNT proxies in front of the origins adds the address it
    was reached from at the end (nginx, which overwrites the header, then Varnish,
    which appends: PROXY_COUNT=2), so the client's is that many places from the end.
    Entries before it are whatever the client chose to send. A header with fewer
    entries, or a malformed one, falls back to the connection's address.
    """
    if settings.BEHIND_PROXY:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(hops) >= settings.PROXY_COUNT:
            try:
                return str(ipaddress.ip_address(hops[-settings.PROXY_COUNT]))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR") or None
