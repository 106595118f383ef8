"""Requests to addresses others give us (feeds, partners' endpoints, hubs), made safely.

Whoever registers a URL chooses where our servers connect: it must not reach the
office network or a cloud metadata service, nor hold a worker for ever.

- Every address a name resolves to, at the start and after every redirect, must be
  public: private, loopback, link-local, multicast and reserved networks are refused
  unless the caller's allow-list names them. The connection goes to the address that
  was checked (TLS and the Host header still name the host), so a second DNS answer
  cannot swap it.
- One deadline for the whole exchange: resolving, connecting, sending, every
  redirect, the headers and the body. It is an asyncio timeout around all of it, so
  a server trickling its answer a byte at a time is cut off on time too.
- At most `MAX_REDIRECTS` redirects, and a size cap checked while reading.

Every failure is an `OutboundError` whose message is one line fit for an operator.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from functools import cache
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

MAX_REDIRECTS = 5
# A POST is followed only where its method and body are kept; a 301, 302 or 303
# would turn it into a GET elsewhere.
KEEPS_METHOD = (307, 308)

# Name lookups block, so they run in threads; not in the event loop's default executor,
# which `asyncio.run` waits for on the way out: a lookup outliving its deadline (bounded
# by the system resolver's own timeout) must not hold up the end of a run. Room for
# several: one slow name server must not keep the other peers waiting.
_resolver = ThreadPoolExecutor(max_workers=16, thread_name_prefix="outbound-resolve")


class OutboundError(Exception):
    """A request to an outside address failed or was refused; the message says why, in one line."""


@cache
def _networks(allowed: tuple[str, ...]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(network) for network in allowed]


@cache
def _tls() -> ssl.SSLContext:
    # Loading the certificate authorities takes milliseconds: once per process, not per request.
    return httpx.create_ssl_context()


def check_address(address: str, allowed_networks: list[str]) -> None:
    """Refuse an address that is not on the public internet, unless `allowed_networks` has it."""
    ip = ipaddress.ip_address(address)
    if any(ip in network for network in _networks(tuple(allowed_networks))):
        return
    if not ip.is_global or ip.is_multicast:
        raise OutboundError(f"refused to connect to {ip}: not a public address")


async def resolve(host: str, port: int, allowed_networks: list[str]) -> str:
    """Return an address of `host` after checking every address it resolves to."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.run_in_executor(
            _resolver, lambda: socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        )
    except socket.gaierror as error:
        raise OutboundError(f"cannot resolve {host}: {error.strerror}") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    for address in addresses:
        check_address(address, allowed_networks)
    return addresses[0]


def client(timeout: float) -> httpx.AsyncClient:
    """Return a client for `stream`: redirects are followed by the caller, address by address."""
    return httpx.AsyncClient(timeout=httpx.Timeout(timeout), follow_redirects=False, verify=_tls())


@asynccontextmanager
async def stream(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    headers: dict[str, str],
    content: bytes | None = None,
    allowed_networks: list[str],
    allow_http: bool = True,
) -> AsyncIterator[httpx.Response]:
    """Send one request to the checked address of `url`; yield the answer, its body unread.

    Redirects are not followed: the caller decides, and checks the next address.
    A failure to connect or to read is an `OutboundError`; a timeout is left to
    the caller, who owns the deadline.
    """
    parts = urlsplit(url)
    schemes = ("http", "https") if allow_http else ("https",)
    if parts.scheme not in schemes or not parts.hostname:
        kind = "an http(s)" if allow_http else "an https"
        raise OutboundError(f"not {kind} URL: {url[:200]}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = await resolve(parts.hostname, port, allowed_networks)
    netloc = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
    # Connect to the checked address; the Host header and TLS still name the host.
    pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    extensions = {"sni_hostname": parts.hostname} if parts.scheme == "https" else {}
    host_header = parts.netloc.rsplit("@", 1)[-1]
    try:
        async with client.stream(
            method,
            pinned,
            headers={**headers, "Host": host_header},
            content=content,
            extensions=extensions,
        ) as response:
            yield response
    except httpx.TimeoutException:
        raise  # Worded by the caller, who knows how far the exchange got.
    except httpx.HTTPError as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise OutboundError(f"connection failed: {reason}"[:300]) from None


def location(response: httpx.Response, url: str) -> str:
    """Return where a redirect points, as an absolute URL."""
    target = response.headers.get("Location", "")
    if not target:
        raise OutboundError(f"HTTP {response.status_code} without a Location")
    return urljoin(url, target)


async def read(response: httpx.Response, max_bytes: int, what: str = "answer") -> bytes:
    """Read the body of `response`, refusing it past `max_bytes` (said of `what`)."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise OutboundError(f"{what} is {int(declared):,} bytes, over the {max_bytes:,} limit")
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise OutboundError(f"{what} is over the {max_bytes:,} byte limit")
        chunks.append(chunk)
    return b"".join(chunks)


async def apost(
    url: str,
    content: bytes,
    headers: dict[str, str],
    *,
    allowed_networks: list[str],
    timeout: float,
    max_bytes: int,
    allow_http: bool,
) -> int:
    """POST `content` to `url` within one deadline of `timeout` s; return the HTTP status.

    Follows 307 and 308 redirects only (they keep the method and body), checking
    each new address; any other redirect is a failure: the sender should register
    the final address. Reads at most `max_bytes` of the answer. Raises
    `OutboundError` for a refused address or URL, a timeout, a connection failure,
    more than `MAX_REDIRECTS` redirects or an answer too large.
    """
    try:
        async with asyncio.timeout(timeout), client(timeout) as session:
            for _ in range(MAX_REDIRECTS + 1):
                async with stream(
                    session,
                    "POST",
                    url,
                    headers=headers,
                    content=content,
                    allowed_networks=allowed_networks,
                    allow_http=allow_http,
                ) as response:
                    if response.status_code in KEEPS_METHOD:
                        url = location(response, url)  # Checked on the next turn.
                        continue
                    if response.is_redirect:
                        target = location(response, url)
                        raise OutboundError(
                            f"HTTP {response.status_code} redirected to {target[:200]}; "
                            "register the final address"
                        )
                    await read(response, max_bytes)
                    return response.status_code
    except (TimeoutError, httpx.TimeoutException):
        raise OutboundError(f"no answer within {timeout:g} s") from None
    raise OutboundError(f"more than {MAX_REDIRECTS} redirects")


def post(
    url: str,
    content: bytes,
    headers: dict[str, str],
    *,
    allowed_networks: list[str],
    timeout: float,
    max_bytes: int,
    allow_http: bool,
) -> int:
    """POST `content` to `url` and return the HTTP status: `apost`, from synchronous code."""
    return asyncio.run(
        apost(
            url,
            content,
            headers,
            allowed_networks=allowed_networks,
            timeout=timeout,
            max_bytes=max_bytes,
            allow_http=allow_http,
        )
    )
