"""A stub origin the tests script, and Varnish with newsroom.vcl in front of it."""

from __future__ import annotations

import os
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import httpx
import pytest

from deploy.varnish import Varnish, free_port, missing

PUBLIC = {"Cache-Control": "public, max-age=30, s-maxage=60"}


@dataclass
class Answer:
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: dict(PUBLIC))
    body: bytes = b"page"
    delay: float = 0.0


@dataclass
class Received:
    method: str
    url: str
    cookie: str | None
    from_client: bool  # False for Varnish's own health probes.


class Origin:
    """An HTTP server in this process: answers as told, remembers what it was asked."""

    def __init__(self) -> None:
        self.answers: dict[str, Answer] = {}
        self.received: list[Received] = []
        self.lock = threading.Lock()
        origin = self

        class Handler(BaseHTTPRequestHandler):
            # HTTP/1.0: one request per connection, so a stopped origin is really gone.
            protocol_version = "HTTP/1.0"

            def answer(self) -> None:
                # Varnish adds X-Forwarded-For to what it fetches for clients, not to probes.
                received = Received(
                    self.command,
                    self.path,
                    self.headers.get("Cookie"),
                    from_client="X-Forwarded-For" in self.headers,
                )
                with origin.lock:
                    origin.received.append(received)
                answer = origin.answers.get(urlsplit(self.path).path, Answer())
                time.sleep(answer.delay)
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(answer.body)

            do_GET = do_HEAD = do_POST = answer

            def log_message(self, format, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.address = ("127.0.0.1", self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, path: str, **answer) -> None:
        """Answer requests for `path` (any query string) with status, headers, body, delay."""
        self.answers[path] = Answer(**answer)

    def requests_for(self, path: str) -> list[Received]:
        """What Varnish fetched for clients asking for `path` (probes left out)."""
        with self.lock:
            return [r for r in self.received if r.from_client and urlsplit(r.url).path == path]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_varnish(origin: Origin, workdir, *, also: tuple[Origin, ...] = (), **options) -> Varnish:
    """Start Varnish in front of `origin` (and the origins `also`, balanced round robin)."""
    if reason := missing():
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    origins = [origin.address, *(other.address for other in also)]
    varnish = Varnish(port=free_port(), origins=origins, workdir=workdir, **options)
    varnish.start()
    return varnish


@pytest.fixture(scope="module")
def origin():
    origin = Origin()
    yield origin
    origin.stop()


@pytest.fixture(scope="module")
def varnish(origin, tmp_path_factory):
    # One Varnish for the module: starting one takes most of a second. Each test
    # works on paths of its own (see `path`), so no test sees another's copies.
    varnish = start_varnish(origin, tmp_path_factory.mktemp("varnish"))
    yield varnish
    varnish.stop()


@pytest.fixture
def client(varnish):
    with httpx.Client(base_url=varnish.url, timeout=10) as client:
        yield client


@pytest.fixture
def path(request) -> str:
    """A page path no other test uses."""
    return "/" + re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-") + "/"
