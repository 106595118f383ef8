"""The production recipe: gunicorn's config, database timeouts, trusted proxies, body limits."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psycopg
import pytest
from django.conf import settings

from deploy.varnish import free_port
from tests.newsroom.test_site import PRODUCTION_ENV, manage

BASE_DIR = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"


def show(code: str, **env: str) -> subprocess.CompletedProcess:
    return manage("shell", "-c", code, env={**PRODUCTION_ENV, **env})


def test_the_forwarded_protocol_is_trusted_only_behind_a_declared_proxy():
    code = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"

    assert show(code).stdout.split()[-1] == "None"
    assert "HTTP_X_FORWARDED_PROTO" in show(code, BEHIND_PROXY="true").stdout


def test_database_timeouts_reach_the_connection():
    # Against this machine's database: the suite's own server, whichever it is.
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG"}}
    code = (
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('SHOW statement_timeout'); a = c.fetchone()[0]; "
        "c.execute('SHOW lock_timeout'); print(a, c.fetchone()[0])"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=BASE_DIR,
        env={**env, "DEBUG": "true", "DATABASE_STATEMENT_TIMEOUT": "15s"}
        | {"DATABASE_LOCK_TIMEOUT": "3s"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stdout.split()[-2:] == ["15s", "3s"], result.stderr


def test_a_malformed_database_timeout_stops_start_up():
    result = manage("check", env={**PRODUCTION_ENV, "DATABASE_LOCK_TIMEOUT": "a while"})

    assert result.returncode != 0
    assert "DATABASE_LOCK_TIMEOUT must be a duration" in result.stderr


def test_gunicorn_config_sets_web_timeouts_without_overriding_the_operator():
    namespace: dict = {}
    config = BASE_DIR / "deploy" / "gunicorn.conf.py"
    saved = {k: os.environ.get(k) for k in ("DATABASE_STATEMENT_TIMEOUT", "DATABASE_LOCK_TIMEOUT")}
    os.environ["DATABASE_LOCK_TIMEOUT"] = "1s"
    os.environ.pop("DATABASE_STATEMENT_TIMEOUT", None)
    try:
        exec(compile(config.read_text(), str(config), "exec"), namespace)  # noqa: S102
        timeouts = (os.environ["DATABASE_STATEMENT_TIMEOUT"], os.environ["DATABASE_LOCK_TIMEOUT"])
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value

    assert timeouts == ("15s", "1s")
    assert namespace["worker_class"] == "gthread"
    assert namespace["threads"] >= 2


@pytest.mark.django_db
def test_an_anonymous_request_with_a_huge_body_is_refused_unread(client):
    response = client.generic(
        "POST",
        "/admin/login/",
        data=b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(300 * 1024 * 1024),
    )

    assert response.status_code == 413


@pytest.mark.django_db
def test_a_signed_in_upload_may_be_as_large_as_a_photo(client, editor):
    client.force_login(editor)
    limit = settings.NEWSROOM_IMAGE_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    too_large = client.generic(
        "POST", "/admin/images/image/add/", data=b"", CONTENT_LENGTH=str(limit + 1)
    )
    assert too_large.status_code == 413
    # Within the limit the request goes on to the form (which finds no photo in it).
    within = client.post("/admin/images/image/add/", {})
    assert within.status_code == 200


@pytest.fixture
def gunicorn(tmp_path):
    """One origin process as production runs it, with one worker of four threads."""
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV},
        **PRODUCTION_ENV,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "CACHE_DIR": str(tmp_path / "cache"),
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "4",
        "GUNICORN_ACCESS_LOG": "",
    }
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    else:
        env.pop("DATABASE_URL")  # The embedded server the suite runs on.
    command = [str(GUNICORN), "-c", "deploy/gunicorn.conf.py", "-b", f"127.0.0.1:{port}"]
    process = subprocess.Popen(
        [*command, "newsroom.wsgi"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{url}/healthz", timeout=1)
            break
        except httpx.HTTPError:
            if process.poll() is not None:
                pytest.fail(process.stderr.read().decode())
            time.sleep(0.2)
    yield url, port
    os.killpg(process.pid, 15)
    process.wait(timeout=30)


def test_slow_clients_do_not_starve_the_health_check(gunicorn):
    url, port = gunicorn
    slow = []
    for _ in range(3):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")  # never finished
        slow.append(sock)
    try:
        started = time.monotonic()
        response = httpx.get(f"{url}/healthz", timeout=10)
        waited = time.monotonic() - started
    finally:
        for sock in slow:
            sock.close()

    assert response.status_code in {200, 503}  # Answered, whatever the parts say.
    assert waited < 2


@pytest.mark.django_db(transaction=True)
def test_a_request_behind_a_migrations_table_lock_gives_up_with_a_retry_page():
    from django.db import connection
    from django.test import Client

    from tests.factories import ArticleFactory

    story = ArticleFactory(published=True)
    dsn = " ".join(
        f"{key}={value}"
        for key, value in {
            "host": connection.settings_dict["HOST"],
            "port": connection.settings_dict["PORT"],
            "user": connection.settings_dict["USER"],
            "password": connection.settings_dict["PASSWORD"],
            "dbname": connection.settings_dict["NAME"],
        }.items()
        if value
    )
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '1s'")  # What DATABASE_LOCK_TIMEOUT sets at connect.
    # A migration altering the table holds this lock for as long as it runs.
    with psycopg.connect(dsn) as migration:
        migration.execute("LOCK TABLE articles_article IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        response = Client(raise_request_exception=False).get(story.get_absolute_url())
        waited = time.monotonic() - started
        migration.rollback()
    with connection.cursor() as cursor:
        cursor.execute("RESET lock_timeout")

    assert response.status_code == 503
    assert response["Retry-After"]
    assert waited < 5
