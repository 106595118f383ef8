"""Fetch a feed over HTTP without trusting the server, the network or the address.

- Every address a name resolves to, at the start and after every redirect, must be
  public: private, loopback, link-local, multicast and reserved networks are refused
  (a feed URL must not reach the office network or a cloud metadata service)
  unless `NEWSROOM_INGEST_ALLOWED_NETWORKS` lists them. The connection goes to the
  address that was checked, so a second DNS answer cannot swap it.
- One deadline, `NEWSROOM_INGEST_TIMEOUT`, for the whole fetch: resolving, connecting,
  the headers, every redirect and the body. It is an asyncio timeout around all of
  it, so a server trickling its headers a byte at a time is cut off on time too.
- At most `MAX_REDIRECTS` redirects, and a size cap checked while reading.
- Conditional GET: the ETag and Last-Modified of the last fetch are sent back, and
  a 304 answer means there is nothing new.

Every failure is a `FetchError` whose message is one line fit for an operator.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
from django.conf import settings

MAX_REDIRECTS = 5
USER_AGENT = "Newsroom wire ingest (+https://github.com/newsroom)"
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8"

# Name lookups block, so they run in threads; not in the event loop's default executor,
# which `asyncio.run` waits for on the way out: a lookup outliving its deadline (bounded
# by the system resolver's own timeout) must not hold up the end of an ingest run. Room
# for several: a feed's own slow name server must not keep the other feeds waiting.
_resolver = ThreadPoolExecutor(max_workers=16, thread_name_prefix="wire-resolve")


class FetchError(Exception):
    """A feed could not be fetched; the message says why, in one line."""


@dataclass(frozen=True)
class Fetched:
    url: str
    content: bytes | None  # None: not modified since the last fetch
    etag: str = ""
    last_modified: str = ""


def allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(n) for n in settings.NEWSROOM_INGEST_ALLOWED_NETWORKS]


def check_address(address: str) -> None:
    """Refuse an address that is not on the public internet (unless explicitly allowed)."""
    ip = ipaddress.ip_address(address)
    if any(ip in network for network in allowed_networks()):
        return
    if not ip.is_global or ip.is_multicast:
        raise FetchError(f"refused to connect to {ip}: not a public address")


async def resolve(host: str, port: int) -> str:
    """Return an address of `host` after checking every address it resolves to."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.run_in_executor(
            _resolver, lambda: socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        )
    except socket.gaierror as error:
        raise FetchError(f"cannot resolve {host}: {error.strerror}") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    for address in addresses:
        check_address(address)
    return addresses[0]


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
        async with asyncio.timeout(timeout):
            async with httpx.AsyncClient(
                timeout=httpx.Timeout(timeout), follow_redirects=False
            ) as client:
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
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"not an http(s) URL: {url[:200]}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = await resolve(parts.hostname, port)
    netloc = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
    # Connect to the checked address; the Host header and TLS still name the host.
    pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    extensions = {"sni_hostname": parts.hostname} if parts.scheme == "https" else {}
    host_header = parts.netloc.rsplit("@", 1)[-1]
    max_bytes = settings.NEWSROOM_INGEST_MAX_BYTES
    try:
        async with client.stream(
            "GET", pinned, headers={**headers, "Host": host_header}, extensions=extensions
        ) as response:
            if response.status_code == 304:
                return None
            if response.is_redirect:
                location = response.headers.get("Location", "")
                if not location:
                    raise FetchError(f"HTTP {response.status_code} without a Location")
                return urljoin(url, location)
            if response.status_code != 200:
                raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}")
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"feed is {int(declared):,} bytes, over the {max_bytes:,} limit")
            progress.downloading = True
            chunks, size = [], 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"feed is over the {max_bytes:,} byte limit")
                chunks.append(chunk)
            return (
                b"".join(chunks),
                response.headers.get("ETag", "")[:500],
                response.headers.get("Last-Modified", "")[:100],
            )
    except httpx.TimeoutException:
        raise  # Worded by `fetch`, which knows how far the fetch got.
    except httpx.HTTPError as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise FetchError(f"connection failed: {reason}"[:300]) from None
