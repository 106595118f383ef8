"""Fetch a feed over HTTP without trusting the server, the network or the address.

- Every address a name resolves to, at the start and after every redirect, must be
  public: private, loopback, link-local, multicast and reserved networks are refused
  (a feed URL must not reach the office network or a cloud metadata service)
  unless `NEWSROOM_INGEST_ALLOWED_NETWORKS` lists them. The connection goes to the
  address that was checked, so a second DNS answer cannot swap it.
- Timeouts on connecting and reading, a deadline for the whole fetch, at most
  `MAX_REDIRECTS` redirects, and a size cap checked while reading.
- Conditional GET: the ETag and Last-Modified of the last fetch are sent back, and
  a 304 answer means there is nothing new.

Every failure is a `FetchError` whose message is one line fit for an operator.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
from django.conf import settings

MAX_REDIRECTS = 5
USER_AGENT = "Newsroom wire ingest (+https://github.com/newsroom)"
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8"


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


def resolve(host: str, port: int) -> str:
    """Return an address of `host` after checking every address it resolves to."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise FetchError(f"cannot resolve {host}: {error.strerror}") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    for address in addresses:
        check_address(address)
    return addresses[0]


def fetch(url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
    """Fetch `url`, following redirects safely; raise FetchError on any failure."""
    timeout = settings.NEWSROOM_INGEST_TIMEOUT
    deadline = time.monotonic() + 2 * timeout
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    with httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False) as client:
        for _ in range(MAX_REDIRECTS + 1):
            response = _request(client, url, headers, deadline)
            if response is None:
                return Fetched(url=url, content=None, etag=etag, last_modified=last_modified)
            if isinstance(response, str):
                url = response  # A redirect: check the new address on the next turn.
                continue
            content, new_etag, new_modified = response
            return Fetched(url=url, content=content, etag=new_etag, last_modified=new_modified)
    raise FetchError(f"more than {MAX_REDIRECTS} redirects")


def _request(client: httpx.Client, url: str, headers: dict, deadline: float):
    """One request: (content, etag, last_modified), a redirect URL, or None for 304."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"not an http(s) URL: {url[:200]}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = resolve(parts.hostname, port)
    netloc = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
    # Connect to the checked address; the Host header and TLS still name the host.
    pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    extensions = {"sni_hostname": parts.hostname} if parts.scheme == "https" else {}
    host_header = parts.netloc.rsplit("@", 1)[-1]
    max_bytes = settings.NEWSROOM_INGEST_MAX_BYTES
    try:
        with client.stream(
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
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"feed is over the {max_bytes:,} byte limit")
                if time.monotonic() > deadline:
                    raise FetchError("took too long to download")
                chunks.append(chunk)
            return (
                b"".join(chunks),
                response.headers.get("ETag", "")[:500],
                response.headers.get("Last-Modified", "")[:100],
            )
    except httpx.TimeoutException:
        raise FetchError(f"no answer within {settings.NEWSROOM_INGEST_TIMEOUT} s") from None
    except httpx.HTTPError as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise FetchError(f"connection failed: {reason}"[:300]) from None
