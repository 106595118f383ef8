"""A local HTTP server that plays Varnish for the task worker: it records every purge."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class PurgeRecorder:
    """Answer `PURGE /` with 200 and keep each request's `xkey-purge` keys."""

    def __init__(self) -> None:
        self.purged: list[set[str]] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self) -> None:
                recorder.purged.append(set(self.headers.get("xkey-purge", "").split()))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture
def purge_recorder():
    recorder = PurgeRecorder()
    yield recorder
    recorder.stop()
