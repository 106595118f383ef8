"""Fetch a feed over HTTP without trusting the server, the network or the address.

The outbound safety is `newsroom.outbound`'s, with the ingest's settings:

- Every address a name resolves to, at the start and after every redirect, must be
  public unless `NEWSROOM_INGEST_ALLOWED_NETWORKS` lists it; the connection goes to
  the address that was checked, so a second DNS answer cannot swap it.
- One deadline, `NEWSROOM_INGEST_TIMEOUT`, for the whole fetch: resolving, connecting,
  the headers, every redirect and the body, so a server trickling its headers a byte
  at a time is cut off on time too.
- At most `MAX_REDIRECTS` redirects, and a size cap (`NEWSROOM_INGEST_MAX_BYTES`)
  checked while reading.
- Conditional GET: the ETag and Last-Modified of the last fetch are sent back, and
  a 304 answer means there is nothing new.

Every failure is a `FetchError` whose message is one line fit for an operator.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx
from django.conf import settings

from newsroom import outbound
from newsroom.outbound import MAX_REDIRECTS

USER_AGENT = "Newsroom wire ingest (+https://github.com/newsroom)"
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8"

# A feed could not be fetched; the message says why, in one line.
FetchError = outbound.OutboundError


@dataclass(frozen=True)
class Fetched:
    url: str
    content: bytes | None  # None: not modified since the last fetch
    etag: str = ""
    last_modified: str = ""


def check_address(address: str) -> None:
    """Refuse an address that is not on the public internet (unless explicitly allowed)."""
    outbound.check_address(address, settings.NEWSROOM_INGEST_ALLOWED_NETWORKS)


async def resolve(host: str, port: int) -> str:
    """Return an address of `host` after checking every address it resolves to."""
    return await outbound.resolve(host, port, settings.NEWSROOM_INGEST_ALLOWED_NETWORKS)


class _Progress:
    """How far a fetch got, to say what was too slow when the deadline passes."""

    downloading = False


async def fetch(url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
    """Fetch `url`, following redirects safely, within one deadline; raise FetchError."""
    timeout = settings.NEWSROOM_INGEST_TIMEOUT
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    progress = _Progress()
    try:
        # Cancellation at the deadline interrupts whatever is awaited: a lookup, a
        # connect, a header read or a body read, however the server paces its bytes.
        async with asyncio.timeout(timeout), outbound.client(timeout) as client:
            for _ in range(MAX_REDIRECTS + 1):
                response = await _request(client, url, headers, progress)
                if response is None:
                    return Fetched(url, None, etag=etag, last_modified=last_modified)
                if isinstance(response, str):
                    url = response  # A redirect: check the new address on the next turn.
                    continue
                content, new_etag, new_modified = response
                return Fetched(url, content, etag=new_etag, last_modified=new_modified)
    except (TimeoutError, httpx.TimeoutException):
        if progress.downloading:
            raise FetchError(f"took longer than {timeout} s to download") from None
        raise FetchError(f"no answer within {timeout} s") from None
    raise FetchError(f"more than {MAX_REDIRECTS} redirects")


async def _request(
    client: httpx.AsyncClient, url: str, headers: dict, progress: _Progress
) -> tuple[bytes, str, str] | str | None:
    """One request: (content, etag, last_modified), a redirect URL, or None for 304."""
    async with outbound.stream(
        client,
        "GET",
        url,
        headers=headers,
        allowed_networks=settings.NEWSROOM_INGEST_ALLOWED_NETWORKS,
    ) as response:
        if response.status_code == 304:
            return None
        if response.is_redirect:
            return outbound.location(response, url)
        if response.status_code != 200:
            raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}")
        progress.downloading = True
        content = await outbound.read(response, settings.NEWSROOM_INGEST_MAX_BYTES, "feed")
        return (
            content,
            response.headers.get("ETag", "")[:500],
            response.headers.get("Last-Modified", "")[:100],
        )
