"""Read replicas: the public site's reads on a streaming replica, everything else on the primary.

`DATABASE_REPLICA_URLS` adds the aliases `replica1`, `replica2`, … (newsroom/settings.py).
Only reads made while `ReplicaReadsMiddleware` serves a reader's GET or HEAD outside the
admin go to a replica; the admin, the workflow, every write, management commands, the
task worker and anything inside a transaction use the primary (`default`), as before.

A replica serves only while it is healthy: it answers, and its lag (how old the newest
change it has applied is, 0 when it has applied all it received) is at most
`DATABASE_REPLICA_MAX_LAG` seconds. Each process measures a replica at most once per
`CHECK_INTERVAL` (one small query on the connection the reads then use), and leaves
one that does not answer alone for `RETRY_AFTER`: readers are then served by the
primary, never shown an error. A replica that fails in the middle of a reader's
request has the request answered again by the primary.

Read your own writes: a browser whose request wrote (an unsafe method that succeeded,
or any INSERT, UPDATE or DELETE on the primary) gets the `PIN_COOKIE` for the max lag,
and its reads stay on the primary while it has it: an editor sees what they just saved.

Purges wait for the replicas (`wait_for_replicas`, called by `frontcache.purge.purge`):
a page purged from the front cache is fetched again at once, and must not be filled
from a replica that has not applied the change yet.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

# Aliases of the replicas: replica1, replica2, … (newsroom/settings.py names them).
ALIAS_PREFIX = "replica"
# A measured lag is trusted this long (seconds) by the process that measured it.
CHECK_INTERVAL = 1.0
# A replica that did not answer is asked again after this long (seconds).
RETRY_AFTER = 5.0
# The browser's cookie that keeps its reads on the primary after it wrote.
PIN_COOKIE = "newsroom_primary"
# How often a purge asks the replicas whether they have applied the change (seconds).
POLL_INTERVAL = 0.01
# The shared cache's key for the WAL position a replica must reach to serve again.
REQUIRED_KEY = "replicas:required-lsn:{alias}"
# Kept long enough for any replica to catch up or be repaired; once it has applied
# that position, the mark says nothing any more.
REQUIRED_TIMEOUT = 60 * 60

# The lag in seconds: 0 when the replica has applied all it received, else the age of
# the newest change it applied. NULL when it cannot be known: no WAL receiver is
# streaming (cut off from the primary, the replica would otherwise report 0 while
# falling behind for ever), or the server is not a replica at all. `>=`, not `=`: after
# a restart the receiver starts again from the beginning of a WAL segment, behind what
# was applied, and an idle primary would leave the lag growing until its next write.
# `pg_stat_wal_receiver` shows its status only to roles with pg_read_all_stats, its
# row to everyone.
# The second column: whether it has applied the position a purge required (NULL: none).
LAG_SQL = """
SELECT
    CASE
        WHEN NOT EXISTS (
            SELECT FROM pg_stat_wal_receiver WHERE coalesce(status, 'streaming') = 'streaming'
        ) THEN NULL
        WHEN pg_last_wal_replay_lsn() >= pg_last_wal_receive_lsn() THEN 0
        ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
    END,
    pg_last_wal_replay_lsn() >= %s::pg_lsn
"""

OK, LAGGING, UNAVAILABLE = "ok", "lagging", "unavailable"


@dataclass(frozen=True)
class Reading:
    """What this process last learned of a replica, trusted until `expires` (monotonic)."""

    state: str
    lag: float | None
    expires: float


# Per process: a thread may use another's reading (each measures on its own connection).
_readings: dict[str, Reading] = {}


def max_lag() -> float:
    return float(getattr(settings, "DATABASE_REPLICA_MAX_LAG", 5))


def replica_aliases() -> list[str]:
    """Return the aliases of the configured replicas (none without DATABASE_REPLICA_URLS)."""
    return [alias for alias in connections.settings if alias.startswith(ALIAS_PREFIX)]


def reading(alias: str) -> Reading:
    """Return this process's reading of replica `alias`, measuring it if it is too old."""
    now = time.monotonic()
    known = _readings.get(alias)
    if known is not None and known.expires > now:
        return known
    known = _readings[alias] = measure(alias)
    return known


def measure(alias: str) -> Reading:
    """Ask replica `alias` for its lag; never raise."""
    now = time.monotonic()
    try:
        required = cache.get(REQUIRED_KEY.format(alias=alias))
    except Exception:  # A cache that is down forgets the marks; the lag still counts.
        required = None
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(LAG_SQL, [required])
            lag, applied = cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Replica %s is left out for %ss: %s", alias, RETRY_AFTER, error)
        close(alias)
        return Reading(UNAVAILABLE, None, now + RETRY_AFTER)
    lag = None if lag is None else float(lag)
    healthy = lag is not None and lag <= max_lag() and applied is not False
    return Reading(OK if healthy else LAGGING, lag, now + CHECK_INTERVAL)


def close(alias: str) -> None:
    with suppress(DatabaseError):
        connections[alias].close()


def mark_unavailable(alias: str) -> None:
    """Leave replica `alias` out of this process's reads for `RETRY_AFTER`."""
    close(alias)
    _readings[alias] = Reading(UNAVAILABLE, None, time.monotonic() + RETRY_AFTER)


def forget() -> None:
    """Drop every reading, so that the next read measures again."""
    _readings.clear()


def healthy_replicas() -> list[str]:
    return [alias for alias in replica_aliases() if reading(alias).state == OK]


def replica_states() -> list[dict[str, object]]:
    """Return each replica's name, state ("ok", "lagging", "unavailable") and lag in seconds."""
    states = []
    for alias in replica_aliases():
        try:
            known = reading(alias)
        except Exception:  # The health check reports, it never fails.
            known = Reading(UNAVAILABLE, None, 0.0)
        lag = None if known.lag is None else round(known.lag, 3)
        states.append({"name": alias, "state": known.state, "lag_seconds": lag})
    return states


# --- Routing ------------------------------------------------------------------------


@dataclass
class PublicReads:
    """A reader's request whose reads may go to a replica: one, chosen at its first read."""

    alias: str | None = None
    chosen: bool = False
    failed: str | None = None  # The replica that failed during the request.

    def choose(self) -> str:
        if not self.chosen:
            healthy = healthy_replicas()
            # One replica for the whole request: two could show it different moments.
            self.alias = random.choice(healthy) if healthy else None  # noqa: S311
            self.chosen = True
        return self.alias or DEFAULT_DB_ALIAS


_public_reads: ContextVar[PublicReads | None] = ContextVar("newsroom_public_reads", default=None)


@contextmanager
def public_reads() -> Iterator[PublicReads]:
    """Let the reads inside go to a healthy replica (outside a transaction)."""
    reads = PublicReads()
    token = _public_reads.set(reads)
    try:
        yield reads
    finally:
        _public_reads.reset(token)


def read_alias() -> str:
    """Return the alias the reads made now go to."""
    reads = _public_reads.get()
    if reads is None or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        # A transaction reads what it wrote, and its locks are the primary's.
        return DEFAULT_DB_ALIAS
    return reads.choose()


class ReplicaRouter:
    """Send the public site's reads to a healthy replica, everything else to the primary."""

    def db_for_read(self, model, **hints) -> str:
        return read_alias()

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # The same rows whichever server an object was read from.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        # Replicas copy the primary's schema; nothing may be written to them.
        return db == DEFAULT_DB_ALIAS


# --- Middleware ---------------------------------------------------------------------

SAFE_METHODS = frozenset({"GET", "HEAD"})
# "canceling statement due to conflict with recovery" (a hot standby's serialization_failure).
RECOVERY_CONFLICT = "40001"
WRITES = ("INSERT", "UPDATE", "DELETE", "MERGE")


def is_public_read(request: HttpRequest) -> bool:
    """Whether `request` is a reader's: GET or HEAD, not the admin, not pinned to the primary."""
    return (
        request.method in SAFE_METHODS
        and not request.path_info.startswith(f"/{settings.NEWSROOM_ADMIN_PATH}")
        and PIN_COOKIE not in request.COOKIES
    )


class ReplicaReadsMiddleware:
    """Serve readers' requests from a replica; pin a browser that wrote to the primary.

    Without replicas configured it does nothing. A reader's request during which
    the replica failed (it went down mid-request) is answered again, from the start,
    by the primary: a GET or HEAD changes nothing, so running it twice is safe.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_aliases():
            return self.get_response(request)
        wrote = False

        def detect_write(execute, sql, params, many, context):
            nonlocal wrote
            if not wrote and sql.lstrip()[:6].upper().startswith(WRITES):
                wrote = True
            return execute(sql, params, many, context)

        with connections[DEFAULT_DB_ALIAS].execute_wrapper(detect_write):
            if is_public_read(request):
                with public_reads() as reads:
                    request.newsroom_public_reads = reads
                    response = self.get_response(request)
                if reads.failed:
                    logger.warning(
                        "Replica %s failed during %s; the primary answers",
                        reads.failed,
                        request.path,
                    )
                    response = self.get_response(request)
            else:
                response = self.get_response(request)
        if wrote or (request.method not in SAFE_METHODS and response.status_code < 400):
            pin(response)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        reads: PublicReads | None = getattr(request, "newsroom_public_reads", None)
        if reads is None or reads.failed or reads.alias is None:
            return None
        if not isinstance(exception, DatabaseError):
            return None
        # A query the replica cancelled because it conflicted with the changes it
        # was applying (a vacuum's, a lock's) would succeed on the primary: answer
        # again there, and keep the replica.
        if getattr(exception.__cause__, "sqlstate", None) == RECOVERY_CONFLICT:
            reads.failed = reads.alias
            return HttpResponse(status=503)  # Replaced by the second answer.
        # The replica's connection could not be opened or broke; a query cancelled
        # for taking too long leaves it open, and is not the replica's fault. Then
        # leave the replica out and answer again on the primary (`__call__`).
        replica = connections[reads.alias]
        if not replica.errors_occurred or (replica.connection and not replica.connection.closed):
            return None
        reads.failed = reads.alias
        mark_unavailable(reads.alias)
        return HttpResponse(status=503)  # Replaced by the second answer.


def pin(response: HttpResponse) -> None:
    """Keep the browser's reads on the primary until every replica has its write."""
    response.set_cookie(
        PIN_COOKIE,
        "1",
        max_age=max(1, round(max_lag())),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


# --- Purges -------------------------------------------------------------------------


def wait_for_replicas() -> None:
    """Wait until every replica has applied the primary's changes so far, for at most the max lag.

    Called before a purge, so that the pages fetched again right after it are not
    filled from a replica that has not applied the change yet. Without replicas it
    runs no query at all.

    A replica in service that has not applied the change within `DATABASE_REPLICA_MAX_LAG`
    (and one out of service now, which may come back before it has) must not serve
    until it has. Its lag then exceeds the limit anyway, unless the change has not
    even reached it (its lag then reads 0), so the position it must reach is recorded
    in the shared cache, which every process consults when it measures a replica; and
    the purge then waits `CHECK_INTERVAL` more, so that no process still trusts an
    earlier reading. The waits are bounded, and nothing here raises: the purge goes
    ahead whatever happens.

    Normally this costs a query on the primary and one per replica (well under a
    millisecond on a local network): a commit is streamed as it is flushed. A primary
    with synchronous_commit off flushes up to wal_writer_delay (200 ms) later, and the
    purge waits that long.
    """
    aliases = replica_aliases()
    if not aliases:
        return
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            # The insert position: with synchronous_commit off, the write position may
            # still lie before the commit record just made.
            cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
            (position,) = cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Could not read the primary's WAL position before a purge: %s", error)
        return
    waiting = [alias for alias in aliases if reading(alias).state == OK]
    behind = [alias for alias in aliases if alias not in waiting]
    deadline = time.monotonic() + max_lag()
    while waiting:
        waiting = [alias for alias in waiting if not has_applied(alias, position)]
        if not waiting or time.monotonic() >= deadline:
            break
        time.sleep(POLL_INTERVAL)
    if waiting:
        logger.warning(
            "Replicas %s had not applied %s after %ss; left out until they have",
            ", ".join(waiting),
            position,
            max_lag(),
        )
    behind += waiting
    if not behind:
        return
    with suppress(Exception):  # A cache that is down: the lag check alone decides.
        cache.set_many(
            {REQUIRED_KEY.format(alias=alias): position for alias in behind}, REQUIRED_TIMEOUT
        )
    for alias in behind:
        _readings.pop(alias, None)
    if waiting:
        time.sleep(CHECK_INTERVAL)


def has_applied(alias: str, position: str) -> bool:
    """Whether replica `alias` has applied the primary's WAL up to `position` (False if down)."""
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [position])
            return bool(cursor.fetchone()[0])
    except DatabaseError:
        mark_unavailable(alias)
        return False
