"""HTTP servers on this machine for tests of code that talks to one: feeds, hubs, endpoints.

Each runs in a thread of the test process on a port the system chooses; the
tests' handlers say what it answers.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that keeps the test output free of access lines."""

    def log_message(self, *args) -> None:
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    # Requests arriving side by side (deliveries to many endpoints) all find room.
    request_queue_size = 128


class LocalServer:
    """Serve `handler` on `host` in a thread until `stop()`."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], host: str = "127.0.0.1") -> None:
        self.host = host
        self.httpd = Server((host, 0), handler)
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def address(self, path: str = "") -> str:
        return f"http://{self.host}:{self.httpd.server_address[1]}{path}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()
