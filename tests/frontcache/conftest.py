import os

import pytest
from django.conf import settings

from deploy.varnish import Varnish, free_port, missing


@pytest.fixture
def varnish_in_front(tmp_path):
    """Start Varnish (newsroom.vcl) in front of an origin `(host, port)`; stopped after the test.

    Skipped where Varnish or vmod_xkey is not installed, except in CI, where that fails.
    Keyword arguments go to `deploy.varnish.Varnish` (e.g. `probe_interval=0.2`).
    """
    started: list[Varnish] = []

    def start(origin: tuple[str, int], **options) -> Varnish:
        if reason := missing():
            if os.environ.get("CI") == "true":
                pytest.fail(reason)
            pytest.skip(reason)
        varnish = Varnish(
            port=free_port(),
            origins=[origin],
            workdir=tmp_path / f"varnish{len(started)}",
            # The admin where the Django under test serves it (ADMIN_PATH).
            **{"admin_path": settings.NEWSROOM_ADMIN_PATH, **options},
        )
        started.append(varnish)
        varnish.start()
        return varnish

    yield start
    for varnish in reversed(started):
        varnish.stop()
