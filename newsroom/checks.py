"""System checks of the database settings: pooled connections and what a pooler drops.

In English, as Django's own checks: they are read by operators, in logs.

`manage.py check` runs the first; `manage.py check --database default`, run with the
origins' environment, also asks the server which timeouts its sessions really get.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import connections

TIMEOUTS = ("statement_timeout", "lock_timeout")


@register()
def check_pool_settings(app_configs: Any = None, **kwargs: Any) -> list:
    """Django's pool needs CONN_MAX_AGE=0; PgBouncer cannot keep prepared statements."""
    problems = []
    for alias, database in settings.DATABASES.items():
        options = database.get("OPTIONS", {})
        if options.get("pool") and database.get("CONN_MAX_AGE", 0) != 0:
            problems.append(
                Error(
                    f"Database {alias} is pooled (DATABASE_POOL) but keeps connections.",
                    hint="Set its CONN_MAX_AGE to 0: the pool keeps them.",
                    id="newsroom.E001",
                )
            )
        # Django's default (None) never prepares one.
        if settings.DATABASE_POOLER and options.get("prepare_threshold") is not None:
            problems.append(
                Warning(
                    f"Database {alias} prepares statements on the server behind PgBouncer.",
                    hint=(
                        "In transaction mode the next transaction may run on another server "
                        "connection, which does not know them: remove prepare_threshold from "
                        "its OPTIONS."
                    ),
                    id="newsroom.W001",
                )
            )
    return problems


def _milliseconds(duration: str) -> int:
    number, unit = re.fullmatch(r"(\d+)(ms|s|min)?", duration).groups()
    return int(number) * {"ms": 1, "s": 1000, "min": 60_000}[unit or "ms"]


@register(Tags.database)
def check_pooler_timeouts(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list:
    """Behind PgBouncer the timeouts are not sent: warn when the server does not set them."""
    wanted = {
        name: _milliseconds(value)
        for name, value in zip(
            TIMEOUTS,
            (settings.DATABASE_STATEMENT_TIMEOUT, settings.DATABASE_LOCK_TIMEOUT),
            strict=True,
        )
        if value
    }
    if settings.DATABASE_POOLER != "pgbouncer" or not wanted or not databases:
        return []
    problems = []
    for alias in databases:
        with connections[alias].cursor() as cursor:
            cursor.execute(
                "SELECT name, setting::int FROM pg_settings WHERE name = ANY(%s)", [list(wanted)]
            )
            got = dict(cursor.fetchall())
        wrong = sorted(name for name, value in wanted.items() if got.get(name) != value)
        if wrong:
            problems.append(
                Warning(
                    f"Behind PgBouncer, sessions of database {alias} do not get "
                    f"{', '.join(wrong)} as configured: the timeouts are not sent when connecting.",
                    hint=(
                        "Set them where PgBouncer opens the origins' server connections: "
                        "connect_query='SET statement_timeout = ...; SET lock_timeout = ...' "
                        "on their database entry in pgbouncer.ini (transaction mode), or "
                        "ALTER ROLE <their role> SET statement_timeout = ... (commands and "
                        "the task worker connecting as another role)."
                    ),
                    id="newsroom.W002",
                )
            )
    return problems
