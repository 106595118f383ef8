"""A local HTTP server that plays Varnish for the task worker: it records every purge."""

from __future__ import annotations

import pytest

from tests.servers import LocalServer, QuietHandler


class PurgeRecorder(LocalServer):
    """Answer `PURGE /` with 200 and keep each request's `xkey-purge` keys."""

    def __init__(self) -> None:
        self.purged: list[set[str]] = []
        recorder = self

        class Handler(QuietHandler):
            def do_PURGE(self) -> None:
                recorder.purged.append(set(self.headers.get("xkey-purge", "").split()))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        super().__init__(Handler)

    @property
    def url(self) -> str:
        return self.address()


@pytest.fixture
def purge_recorder():
    recorder = PurgeRecorder()
    yield recorder
    recorder.stop()
