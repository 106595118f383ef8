"""Varnish reads request bodies for the origins: slow uploads wait there, huge ones stop there."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from tests.deploy.conftest import start_varnish


class BodyOrigin:
    """An origin that reads each POST body whole and notes when it was asked."""

    def __init__(self) -> None:
        self.received: list[tuple[float, bytes]] = []
        origin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_GET(self) -> None:  # Varnish's health probes.
                self.reply()

            def do_POST(self) -> None:
                asked = time.monotonic()
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                origin.received.append((asked, body))
                self.reply()

            def reply(self) -> None:
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.address = ("127.0.0.1", self.server.server_address[1])
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def origin():
    origin = BodyOrigin()
    yield origin
    origin.stop()


@pytest.fixture(scope="module")
def varnish(origin, tmp_path_factory):
    varnish = start_varnish(origin, tmp_path_factory.mktemp("varnish"))
    yield varnish
    varnish.stop()


def test_a_slow_upload_reaches_the_origin_only_once_it_is_whole(origin, varnish):
    body = b"x" * 3000
    head = (
        f"POST /admin/images/image/add/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    origin.received.clear()
    with socket.create_connection(("127.0.0.1", varnish.port), timeout=10) as sock:
        sock.sendall(head)
        for start in range(0, len(body), 1000):
            time.sleep(0.4)
            sock.sendall(body[start : start + 1000])
        finished_sending = time.monotonic()
        answer = sock.recv(1024)

    assert answer.startswith(b"HTTP/1.1 200")
    [(asked, received)] = origin.received
    assert received == body
    # The origin was not tied up while the client trickled its body.
    assert asked >= finished_sending - 0.05


def test_a_body_over_the_upload_limit_is_refused_unread(origin, varnish):
    origin.received.clear()
    head = (
        b"POST /admin/images/image/add/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Length: 314572800\r\nConnection: close\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", varnish.port), timeout=10) as sock:
        sock.sendall(head + b"x" * 1000)
        answer = sock.recv(1024)

    assert answer.startswith(b"HTTP/1.1 413")
    assert origin.received == []


def test_an_ordinary_form_is_passed_with_its_body(origin, varnish):
    origin.received.clear()
    answer = httpx.post(f"{varnish.url}/admin/login/", data={"username": "a"}, timeout=10)

    assert answer.status_code == 200
    assert [body for _asked, body in origin.received] == [b"username=a"]
