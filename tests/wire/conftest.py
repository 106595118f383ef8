"""A local HTTP server that plays the sources' feed servers: well-behaved and hostile."""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field

import pytest

from tests.servers import LocalServer, QuietHandler


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    etag: str = ""  # When set, an If-None-Match with it answers 304.
    # Seconds between single bytes of the status line and headers, or of the body.
    trickle_head: float = 0.0
    trickle_body: float = 0.0


class FeedServer(LocalServer):
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.hung_up: list[str] = []  # Paths whose client closed the connection mid-answer.
        self.in_flight = self.most_in_flight = 0  # Requests held by a delay.
        self.lock = threading.Lock()
        server = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                server.requests.append((self.path, dict(self.headers)))
                route = server.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                if route.delay:
                    with server.waiting():
                        time.sleep(route.delay)
                if route.trickle_head or route.trickle_body:
                    self.trickle(route)
                    return
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if route.etag:
                    self.send_header("ETag", route.etag)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(route.body)

            def trickle(self, route: Route) -> None:
                """Answer a byte at a time, until done or the client hangs up."""
                head = (
                    f"HTTP/1.1 {route.status} OK\r\nContent-Type: application/rss+xml\r\n"
                    f"X-Padding: {'x' * 100}\r\nContent-Length: {len(route.body)}\r\n\r\n"
                ).encode()
                try:
                    for data, pause in (
                        (head, route.trickle_head),
                        (route.body, route.trickle_body),
                    ):
                        for byte in (data[i : i + 1] for i in range(len(data))):
                            self.wfile.write(byte)
                            time.sleep(pause)
                except (BrokenPipeError, ConnectionResetError):
                    server.hung_up.append(self.path)
                self.close_connection = True

        super().__init__(Handler)

    @contextlib.contextmanager
    def waiting(self):
        """Count the requests waiting for their answer at the same time."""
        with self.lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            yield
        finally:
            with self.lock:
                self.in_flight -= 1

    def url(self, path: str) -> str:
        return self.address(path)

    def serve(self, path: str, body: bytes | str = b"", **kwargs) -> str:
        self.routes[path] = Route(body=body.encode() if isinstance(body, str) else body, **kwargs)
        return self.url(path)


@pytest.fixture(scope="session")
def feed_server_process():
    server = FeedServer()
    yield server
    server.stop()


@pytest.fixture
def feed_server(feed_server_process, settings):
    # Tests fetch from loopback, which production refuses.
    settings.NEWSROOM_INGEST_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    # Generous: a local feed answers in milliseconds, even on a busy machine.
    settings.NEWSROOM_INGEST_TIMEOUT = 5.0
    feed_server_process.routes.clear()
    feed_server_process.requests.clear()
    feed_server_process.hung_up.clear()
    feed_server_process.most_in_flight = 0
    return feed_server_process
