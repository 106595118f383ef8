"""Pooled connections: the site behind PgBouncer in transaction mode, and Django's own pool.

Each flow runs in a Django process of its own (`manage.py`), as an origin or the task
worker would, against a database migrated through PgBouncer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from deploy.pgbouncer import PgBouncer, pgbouncer_program
from deploy.servers import PostgresServer
from deploy.varnish import free_port

BASE_DIR = Path(__file__).resolve().parents[2]
DATABASE = "newsroom_h_pool_bouncer"
POOL_SIZE = 3

pytestmark = pytest.mark.skipif(
    pgbouncer_program() is None and os.environ.get("CI") != "true",
    reason="pgbouncer is not installed (Debian: apt-get install pgbouncer)",
)


@pytest.fixture(scope="module")
def server_port() -> Iterator[int]:
    """The port of the suite's PostgreSQL server, or of one of our own if it has none."""
    database = settings.DATABASES["default"]
    if database["HOST"] in {"127.0.0.1", "localhost"}:
        yield int(database["PORT"] or 5432)
        return
    with PostgresServer(free_port()) as server:
        server.start()
        yield server.port


@pytest.fixture(scope="module")
def bouncer(server_port: int) -> Iterator[PgBouncer]:
    # The origins' pool sets the web timeout that `options` can no longer carry.
    with PgBouncer(
        free_port(),
        server_port,
        pool_size=POOL_SIZE,
        max_client_conn=20,
        connect_query="SET statement_timeout = '15s'",
    ) as bouncer:
        yield bouncer


def server_url(port: int, database: str = "postgres") -> str:
    return f"postgres://postgres@127.0.0.1:{port}/{database}"


def manage(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**base, "DEBUG": "true", **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def last_json(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def behind_bouncer(bouncer: PgBouncer, server_port: int) -> dict[str, str]:
    """The environment of an origin behind PgBouncer, its database migrated through it."""
    with psycopg.connect(server_url(server_port), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{DATABASE}"')
    env = {"DATABASE_URL": bouncer.url(DATABASE), "DATABASE_POOLER": "pgbouncer"}
    result = manage("migrate", "--no-input", env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return env


FLOWS = """
import json, time
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from articles import workflow
from articles.models import Article
from articles.search import SearchTooBroad, find_stories, time_limited
from tests.factories import ArticleFactory, UserFactory
from wire.tasks import ingest_wire, schedule_ingest

out = {}
editor = UserFactory(username="pool-editor", groups=["Editors"], is_staff=True)
story = ArticleFactory(headline="Grain corridor talks resume in Istanbul", authors=[editor])
workflow.publish(story, editor)
out["published"] = Article.objects.published().filter(pk=story.pk).exists()

with time_limited(5000):
    out["found"] = [a.pk for a in find_stories(Article.objects.published(), q="corridor")]
try:
    with time_limited(100), connection.cursor() as cursor:
        started = time.monotonic()
        cursor.execute("SELECT pg_sleep(3)")
    out["cancelled"] = False
except SearchTooBroad:
    out["cancelled"] = time.monotonic() - started < 2
with connection.cursor() as cursor:
    cursor.execute("SHOW statement_timeout")
    out["timeout_after"] = cursor.fetchone()[0]

out["scheduled"] = schedule_ingest()
call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
ingests = DBTaskResult.objects.filter(task_path=ingest_wire.module_path)
out["ingests"] = sorted(ingests.values_list("status", flat=True))

client = Client()
response = client.post(
    reverse("admin:login"),
    {"username": "pool-editor", "password": "correct-horse-battery", "next": "/"},
    REMOTE_ADDR="192.0.2.1",
)
out["login"] = [response.status_code, "_auth_user_id" in client.session]
out["story_page"] = Client().get(story.get_absolute_url()).status_code
print(json.dumps(out))
"""


def test_the_site_works_behind_pgbouncer_in_transaction_mode(behind_bouncer, bouncer):
    result = manage(
        "shell", "-c", FLOWS, env={**behind_bouncer, "DATABASE_STATEMENT_TIMEOUT": "15s"}
    )

    out = last_json(result)
    assert out["published"] is True
    assert len(out["found"]) == 1
    # The search's own limit cancels the statement, and ends with its transaction.
    assert out["cancelled"] is True
    assert out["timeout_after"] == "15s"
    assert out["scheduled"] is True
    assert out["ingests"] == ["READY", "SUCCESSFUL"]  # Ran, and queued the next.
    assert out["login"] == [302, True]
    assert out["story_page"] == 200
    assert "unsupported startup parameter" not in bouncer.log


SHARED = """
import json, threading, time
from concurrent.futures import ThreadPoolExecutor
from django.db import connection
from django.test import Client

CLIENTS = 8
barrier = threading.Barrier(CLIENTS)

def visit(_):
    pids, statuses = set(), []
    barrier.wait()  # Every client connected at once.
    for _ in range(5):
        statuses.append(Client().get("/").status_code)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid(), pg_sleep(0.02)")
            pids.add(cursor.fetchone()[0])
    connection.close()
    return pids, statuses

with ThreadPoolExecutor(CLIENTS) as pool:
    results = list(pool.map(visit, range(CLIENTS)))
print(json.dumps({
    "pids": sorted(set().union(*(pids for pids, _ in results))),
    "statuses": sorted(set(s for _, statuses in results for s in statuses)),
}))
"""


def test_concurrent_clients_share_pgbouncer_server_connections(behind_bouncer):
    out = last_json(manage("shell", "-c", SHARED, env=behind_bouncer))

    assert out["statuses"] == [200]
    # Eight clients at once, never more server connections than PgBouncer's pool.
    assert 1 <= len(out["pids"]) <= POOL_SIZE


def test_check_warns_when_the_server_does_not_set_a_timeout_behind_pgbouncer(behind_bouncer):
    env = {**behind_bouncer, "DATABASE_STATEMENT_TIMEOUT": "15s", "DATABASE_LOCK_TIMEOUT": "3s"}
    result = manage("check", "--database", "default", env=env)

    # The pool's connect_query sets the statement timeout; nothing sets the lock timeout.
    assert "newsroom.W002" in result.stderr
    assert "lock_timeout" in result.stderr
    assert "statement_timeout" not in result.stderr.split("HINT")[0]


def test_timeouts_are_not_sent_to_pgbouncer():
    code = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    env = {"DATABASE_URL": server_url(5432, "x"), "DATABASE_STATEMENT_TIMEOUT": "15s"}

    assert "statement_timeout" in manage("shell", "-c", code, env=env).stdout
    result = manage("shell", "-c", code, env={**env, "DATABASE_POOLER": "pgbouncer"})
    assert result.returncode == 0 and "statement_timeout" not in result.stdout


DJANGO_POOL = """
import json, threading
from concurrent.futures import ThreadPoolExecutor
from django.db import connection
from django.test import Client

barrier = threading.Barrier(6)

def visit(_):
    barrier.wait()
    statuses, pids = [], set()
    for _ in range(5):
        statuses.append(Client().get("/").status_code)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid(), pg_sleep(0.02)")
            pids.add(cursor.fetchone()[0])
        connection.close()  # Back to the pool.
    return statuses, pids

with ThreadPoolExecutor(6) as pool:
    results = list(pool.map(visit, range(6)))
with connection.cursor() as cursor:
    cursor.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND application_name = 'newsroom-pool-test'"
    )
    open_now = cursor.fetchone()[0]
print(json.dumps({
    "statuses": sorted(set(s for statuses, _ in results for s in statuses)),
    "pids": sorted(set().union(*(pids for _, pids in results))),
    "open": open_now,
}))
"""


def test_django_pool_serves_requests_with_bounded_connections(behind_bouncer, server_port):
    url = server_url(server_port, DATABASE) + "?application_name=newsroom-pool-test"
    out = last_json(
        manage("shell", "-c", DJANGO_POOL, env={"DATABASE_URL": url, "DATABASE_POOL": "1:2"})
    )

    assert out["statuses"] == [200]
    # Six threads, thirty requests: never more than the pool's two connections.
    assert 1 <= len(out["pids"]) <= 2
    assert 1 <= out["open"] <= 2
