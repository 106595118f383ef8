"""Purge backends, one class per front cache, each with one `purge` method.

`settings.NEWSROOM_FRONT_CACHE` names the backend and its options:

    {"BACKEND": "frontcache.backends.VarnishBackend", "LOCATIONS": ["http://127.0.0.1:8080"]}

Varnish is the one in use; Fastly (`POST /service/<id>/purge` with a
`Surrogate-Key` header of up to 256 keys) and Cloudflare (`POST
/zones/<id>/purge_cache` with `{"tags": [...]}`, from `Cache-Tag` headers) take
the same keys and would each be a class like `VarnishBackend` (see
docs/front-cache.md). Without a front cache, `DummyBackend` purges nothing.
"""

from __future__ import annotations

from collections.abc import Collection

import httpx
from django.conf import settings
from django.utils.module_loading import import_string

# Keys per purge request: Varnish reads request headers up to 8 KB (http_req_hdr_len).
KEYS_PER_REQUEST = 200
TIMEOUT = 2.0


class PurgeError(Exception):
    """The front cache did not confirm a purge; what it held may still be served."""


class BaseBackend:
    def __init__(self, **options) -> None:
        self.options = options

    def purge(self, keys: Collection[str]) -> None:
        """Remove every cached answer tagged with any of `keys`, or raise `PurgeError`."""
        raise NotImplementedError


class DummyBackend(BaseBackend):
    """No front cache: nothing to purge."""

    def purge(self, keys: Collection[str]) -> None:
        pass


class LocMemBackend(BaseBackend):
    """Keep the purges in memory (`LocMemBackend.purged`), for tests; `fail` refuses them."""

    purged: list[set[str]] = []
    fail = False

    def purge(self, keys: Collection[str]) -> None:
        if LocMemBackend.fail:
            raise PurgeError("The front cache refused the purge.")
        LocMemBackend.purged.append(set(keys))


class VarnishBackend(BaseBackend):
    """Purge every Varnish of `LOCATIONS` with `PURGE /` and an `xkey-purge` header.

    The VCL (deploy/varnish/newsroom.vcl) hands the keys to vmod_xkey, which
    removes every object tagged with any of them, and accepts purges only from
    the origins' addresses.
    """

    def purge(self, keys: Collection[str]) -> None:
        keys = sorted(keys)
        failures = []
        with httpx.Client(timeout=TIMEOUT) as client:
            for location in self.options["LOCATIONS"]:
                for start in range(0, len(keys), KEYS_PER_REQUEST):
                    batch = " ".join(keys[start : start + KEYS_PER_REQUEST])
                    try:
                        response = client.request(
                            "PURGE", location.rstrip("/") + "/", headers={"xkey-purge": batch}
                        )
                    except httpx.HTTPError as error:
                        failures.append(f"{location}: {error}")
                        continue
                    if response.status_code != 200:
                        failures.append(f"{location}: {response.status_code}")
        if failures:
            raise PurgeError("; ".join(failures))


def get_backend() -> BaseBackend:
    """Return the configured backend (read each time: tests and checks change the setting)."""
    config = dict(settings.NEWSROOM_FRONT_CACHE)
    backend = import_string(config.pop("BACKEND"))
    return backend(**config)
