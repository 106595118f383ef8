"""What `/healthz` checks: each part the site runs on, cheaply, without ever raising.

Readers can be served while the primary database answers: without the shared cache
pages are slower, without a replica the primary answers its reads, and without the
photo storage pages still render (their copies are named, never fetched). So only
the primary makes the site unavailable (503); any other part down makes it
"degraded" (200), named in `down`.
"""

from __future__ import annotations

import functools
import os
import secrets
import threading
from collections.abc import Callable
from pathlib import Path

from django.core.cache import cache
from django.core.files.storage import Storage, storages
from django.db import connections


def database_answers() -> str:
    """Whether the primary database answers a query (pages cannot be served without it)."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # Any failure means "unavailable", never a 500.
        return "unavailable"
    return "ok"


def cache_answers() -> str:
    """Whether the shared cache keeps a value (pages are served without it, only slower).

    The cache backend reads Redis errors as misses, so only a round trip tells; the key
    is the caller's own, so that concurrent checks do not read each other's values.
    """
    key = f"healthz-{os.getpid()}-{threading.get_ident()}"
    token = secrets.token_hex(8)
    try:
        cache.set(key, token, 30)
        return "ok" if cache.get(key) == token else "unavailable"
    except Exception:  # Another backend's failure: "unavailable" too, never a 500.
        return "unavailable"


@functools.cache
def bucket_client(storage: Storage):
    """A client of the photos' bucket that gives up at once: a check must not take long."""
    import boto3
    from botocore.config import Config

    config = storage.client_config.merge(
        Config(connect_timeout=2, read_timeout=2, retries={"total_max_attempts": 1})
    )
    return boto3.session.Session().client(
        "s3",
        endpoint_url=storage.endpoint_url,
        region_name=storage.connection.meta.client.meta.region_name,
        config=config,
    )


def storage_answers() -> str:
    """Whether the photo storage answers (uploads and new copies need it; pages do not).

    A bucket: one HEAD request for the bucket itself. Local files: the folder is
    there to write to (or can be made).
    """
    storage = storages["default"]
    try:
        if hasattr(storage, "bucket_name"):
            bucket_client(storage).head_bucket(Bucket=storage.bucket_name)
            return "ok"
        folder = Path(storage.location)
        while not folder.exists():
            folder = folder.parent
        return "ok" if os.access(folder, os.W_OK) else "unavailable"
    except Exception:  # A refused connection, a timeout, a missing bucket or folder.
        return "unavailable"


def replica_states() -> dict[str, dict[str, object]]:
    """Each replica's state and lag, by name (no address): the primary answers for one left out."""
    from newsroom import replicas

    return {
        state["name"]: {"state": state["state"], "lag_seconds": state["lag_seconds"]}
        for state in replicas.replica_states()
    }


CHECKS: dict[str, Callable[[], object]] = {
    "database": database_answers,
    "replicas": replica_states,
    "cache": cache_answers,
    "storage": storage_answers,
}
# Readers cannot be served without these.
ESSENTIAL = frozenset({"database"})


def is_down(state: object) -> bool:
    if isinstance(state, dict):  # The replicas: down if any is not in service.
        return any(replica["state"] != "ok" for replica in state.values())
    return state != "ok"


def report(parts: list[str]) -> tuple[dict[str, object], bool]:
    """Check `parts` (names in CHECKS); return the report and whether readers can be served."""
    states = {part: CHECKS[part]() for part in parts}
    down = [part for part, state in states.items() if is_down(state)]
    serving = not ESSENTIAL.intersection(down)
    if not down:
        return {"status": "ok", **states}, True
    return {"status": "degraded" if serving else "error", **states, "down": down}, serving
