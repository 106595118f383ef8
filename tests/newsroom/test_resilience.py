"""When a part fails the site stays up: Redis down or paused, the database down.

Real servers, started here on ports of their own: a redis-server the tests kill, pause
and start again, and a throwaway PostgreSQL server behind a gunicorn origin running the
production settings, stopped and started again. Nothing is mocked.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time

import httpx
import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db.utils import OperationalError
from django.urls import reverse

from articles.context_processors import NAVIGATION_KEY
from articles.models import Section
from deploy.servers import PostgresServer, RedisServer, redis_server
from deploy.varnish import free_port
from newsroom import errors
from tests.articles.admin_forms import article_form
from tests.deploy.conftest import Origin as StubOrigin
from tests.deploy.conftest import start_varnish
from tests.factories import ArticleFactory

# Short, so that the tests are: production defaults to 0.25 s and 5 s.
TIMEOUT = 0.2
RETRY_AFTER = 1.0
NAVIGATION = f"resilience:1:{NAVIGATION_KEY}"


def skip_without(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


# --- Redis ------------------------------------------------------------------------------


@pytest.fixture
def redis_process():
    if redis_server() is None:
        skip_without("redis-server is not installed (Debian: apt-get install redis-server)")
    server = RedisServer(free_port())
    server.start()
    yield server
    server.kill()


@pytest.fixture
def raw_redis(settings, redis_process):
    """Point the default cache at the test's Redis; return a plain client to look inside."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": redis_process.url,
            "KEY_PREFIX": "resilience",
            "OPTIONS": {"socket_timeout": TIMEOUT, "retry_after": RETRY_AFTER},
        },
    }
    client = redis.Redis.from_url(redis_process.url, socket_timeout=5)
    yield client
    client.close()


@pytest.fixture
def site(db, published_article):
    """A published story in a section (which the navigation shows)."""
    return published_article


def warm(client, raw_redis) -> None:
    assert client.get("/").status_code == 200
    assert raw_redis.exists(NAVIGATION)


def test_pages_keep_the_navigation_in_redis(client, raw_redis, site):
    assert not raw_redis.exists(NAVIGATION)
    assert client.get("/").status_code == 200
    assert raw_redis.exists(NAVIGATION)


def test_public_pages_render_with_redis_stopped(client, raw_redis, redis_process, site):
    warm(client, raw_redis)
    redis_process.kill()
    for url in ["/", site.get_absolute_url(), site.section.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 200, url
        # The navigation, read from the database instead.
        assert site.section.name in response.content.decode(), url


def test_admin_login_page_renders_with_redis_stopped(client, raw_redis, redis_process, site):
    warm(client, raw_redis)
    redis_process.kill()
    assert client.get(reverse("admin:login")).status_code == 200


def test_editors_save_is_kept_with_redis_stopped(client, raw_redis, redis_process, editor):
    article = ArticleFactory(headline="Ports reopen")
    redis_process.kill()
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(url, article_form(article, headline="Ports reopen at dawn"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "Ports reopen at dawn"


def section_form(section: Section, **changes) -> dict:
    return {
        "name": section.name,
        "slug": section.slug,
        "description": section.description,
        "position": section.position,
        **changes,
    }


def test_a_renamed_section_is_kept_and_shown_with_redis_stopped(
    client, raw_redis, redis_process, site, superuser
):
    warm(client, raw_redis)
    redis_process.kill()
    client.force_login(superuser)
    url = reverse("admin:articles_section_change", args=[site.section.pk])
    response = client.post(url, section_form(site.section, name="Frontline"))
    assert response.status_code == 302
    assert Section.objects.get(pk=site.section.pk).name == "Frontline"
    assert "Frontline" in client.get("/").content.decode()


def test_a_section_is_saved_and_shown_when_another_cache_backend_fails(
    client, settings, tmp_path, site, superuser
):
    # A file cache whose folder is a file: every use of it raises an OSError.
    (tmp_path / "not-a-folder").write_text("")
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": tmp_path / "not-a-folder",
        },
    }
    client.force_login(superuser)
    url = reverse("admin:articles_section_change", args=[site.section.pk])
    response = client.post(url, section_form(site.section, name="Frontline"))
    assert response.status_code == 302
    assert Section.objects.get(pk=site.section.pk).name == "Frontline"
    assert "Frontline" in client.get("/").content.decode()


def test_healthz_names_the_cache_while_redis_is_stopped(client, raw_redis, redis_process, db):
    assert client.get("/healthz").json()["status"] == "ok"
    redis_process.kill()
    response = client.get("/healthz")
    # Readers are still served (more slowly): degraded, not unavailable.
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "database": "ok",
        "replicas": {},
        "cache": "unavailable",
        "storage": "ok",
        "down": ["cache"],
    }


def test_the_front_cache_probe_passes_while_redis_is_stopped(client, raw_redis, redis_process, db):
    redis_process.kill()
    response = client.get("/healthz?part=database")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_the_front_cache_probes_the_database_check_and_never_caches_it(tmp_path):
    origin = StubOrigin()
    varnish = start_varnish(origin, tmp_path, probe_interval=0.2)
    try:
        for _ in range(2):
            answer = httpx.get(varnish.url + "/healthz?part=database", timeout=10)
            assert answer.headers["X-Cache"] == "MISS"
        time.sleep(0.5)
    finally:
        varnish.stop()
        origin.stop()
    assert len(origin.requests_for("/healthz")) == 2
    probes = {r.url for r in origin.received if not r.from_client}
    assert probes == {"/healthz?part=database"}


def test_an_unknown_health_part_is_refused(client):
    response = client.get("/healthz?part=disk")
    assert response.status_code == 400
    assert response.json()["error"] == (
        "Unknown part 'disk'; the parts are: database, replicas, cache, storage."
    )


def timed(call):
    start = time.monotonic()
    result = call()
    return result, time.monotonic() - start


def test_a_paused_redis_costs_one_short_timeout_then_none(client, raw_redis, redis_process, site):
    warm(client, raw_redis)
    redis_process.pause()
    value, first = timed(lambda: cache.get("anything", "missed"))
    assert value == "missed"
    assert TIMEOUT * 0.9 <= first < TIMEOUT + 1.0  # redis-py alone would wait 5 s.
    # The breaker is open: later calls do not wait for Redis at all.
    later = [timed(lambda: cache.get("anything"))[1] for _ in range(20)]
    assert sum(later) < TIMEOUT / 2
    for url in ["/", site.get_absolute_url()]:
        response, seconds = timed(lambda url=url: client.get(url))
        assert response.status_code == 200
        assert seconds < 2


def test_the_cache_is_used_again_once_a_paused_redis_resumes(raw_redis, redis_process):
    redis_process.pause()
    cache.set("edition", "morning")
    redis_process.resume()
    time.sleep(RETRY_AFTER)
    cache.set("edition", "evening")
    assert cache.get("edition") == "evening"
    assert raw_redis.exists("resilience:1:edition")


def test_a_change_made_while_redis_was_paused_shows_once_it_resumes(
    client, raw_redis, redis_process, site, superuser
):
    warm(client, raw_redis)
    redis_process.pause()
    client.force_login(superuser)
    url = reverse("admin:articles_section_change", args=[site.section.pk])
    assert client.post(url, section_form(site.section, name="Frontline")).status_code == 302
    redis_process.resume()
    time.sleep(RETRY_AFTER)
    # Redis kept the old navigation through the pause; the failed delete is made now.
    assert "Frontline" in client.get("/").content.decode()


def test_the_cache_is_used_again_after_redis_restarts(client, raw_redis, redis_process, site):
    warm(client, raw_redis)
    redis_process.kill()
    assert client.get("/").status_code == 200
    redis_process.start()
    time.sleep(RETRY_AFTER)
    assert client.get("/").status_code == 200
    assert raw_redis.exists(NAVIGATION)


def test_a_redis_outage_is_logged_once_not_per_request(raw_redis, redis_process, caplog):
    redis_process.kill()
    with caplog.at_level(logging.WARNING, logger="newsroom.cache"):
        for _ in range(50):
            cache.get("anything")
    assert len(caplog.records) == 1
    assert "serving without it" in caplog.records[0].getMessage()


# --- The error pages ------------------------------------------------------------------


def fail_with(error: Exception, rf):
    try:
        raise error
    except Exception:
        return errors.server_error(rf.get("/"))


# No `db` fixture: a page that queried would fail here instead of rendering.


def test_a_database_outage_is_reported_once_not_per_request(rf, caplog, monkeypatch):
    monkeypatch.setattr(errors, "outages", errors.OutageLog())
    with caplog.at_level(logging.ERROR, logger="newsroom.errors"):
        for _ in range(20):
            fail_with(OperationalError("connection refused"), rf)
    assert len(caplog.records) == 1
    assert caplog.records[0].exc_info is not None


def test_a_database_error_answers_503_with_retry_after(rf):
    response = fail_with(OperationalError("connection refused"), rf)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert "Briefly unavailable" in response.content.decode()
    assert settings.NEWSROOM_SITE_NAME in response.content.decode()


def test_an_error_raised_from_a_database_error_answers_503(rf):
    try:
        raise OperationalError("server closed the connection")
    except OperationalError as cause:
        error = RuntimeError("could not load the page")
        error.__cause__ = cause
    assert fail_with(error, rf).status_code == 503


def test_any_other_error_answers_a_friendly_500_never_kept(rf):
    response = fail_with(ZeroDivisionError("division by zero"), rf)
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "no-store" in response["Cache-Control"]
    assert "Something went wrong" in response.content.decode()
    assert "ZeroDivisionError" not in response.content.decode()


# --- The database down, behind a production origin --------------------------------------


class Origin:
    def __init__(self, url: str, database: PostgresServer, log_path) -> None:
        self.url = url
        self.database = database
        self.log_path = log_path

    def get(self, path: str, **kwargs) -> httpx.Response:
        return httpx.get(self.url + path, timeout=10, **kwargs)

    def wait_until(self, path: str, status: int, timeout: float = 20) -> float:
        """Wait until `path` answers `status`; return how many seconds that took."""
        start = time.monotonic()
        while True:
            try:
                if self.get(path).status_code == status:
                    return time.monotonic() - start
            except httpx.TransportError:
                pass
            if time.monotonic() - start > timeout:
                raise AssertionError(f"{path} did not answer {status} within {timeout} s")
            time.sleep(0.1)


@pytest.fixture(scope="module")
def origin(tmp_path_factory):
    """gunicorn with the production settings on a PostgreSQL server of the test's own."""
    folder = tmp_path_factory.mktemp("origin")
    database = PostgresServer(free_port())
    port = free_port()
    inherited = {"DEBUG", "DATABASE_URL", "REDIS_URL", "FRONT_CACHE_URLS", "CACHE_DIR"}
    env = {key: value for key, value in os.environ.items() if key not in inherited}
    env |= {
        "DJANGO_SETTINGS_MODULE": "tests.newsroom.origin_settings",
        "DEBUG": "false",
        "SECRET_KEY": "resilience-" + "s" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": database.url("newsroom"),
        "CACHE_DIR": str(folder / "cache"),
        "STATIC_ROOT": str(folder / "static"),
    }
    gunicorn = None
    try:
        database.start()
        database.create_database("newsroom")
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
            timeout=120,
        )
        log_path = folder / "gunicorn.log"
        with log_path.open("wb") as log:
            gunicorn = subprocess.Popen(
                [
                    *(sys.executable, "-m", "gunicorn", "newsroom.wsgi"),
                    *("--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "30"),
                ],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,
            )
        origin = Origin(f"http://127.0.0.1:{port}", database, log_path)
        origin.wait_until("/healthz", 200)
        yield origin
    finally:
        if gunicorn is not None:
            os.killpg(gunicorn.pid, signal.SIGTERM)
            gunicorn.wait(timeout=15)
        database.remove()


@pytest.fixture(scope="class")
def database_down(origin):
    """The origin's database stopped for the class's tests, started again after them."""
    assert origin.get("/").status_code == 200
    origin.database.stop()
    yield origin
    origin.database.start()
    origin.wait_until("/", 200)


def assert_friendly_503(response: httpx.Response) -> None:
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "no-store" in response.headers["Cache-Control"]
    assert "Briefly unavailable" in response.text
    assert "Traceback" not in response.text
    assert "OperationalError" not in response.text


@pytest.mark.usefixtures("database_down")
class TestDatabaseDown:
    def test_a_public_page_answers_503_with_retry_after(self, origin):
        assert_friendly_503(origin.get("/"))

    def test_the_admin_answers_503_with_retry_after(self, origin):
        # An editor's session is looked up in the database.
        response = origin.get(reverse("admin:index"), cookies={"sessionid": "an-editors-session"})
        assert_friendly_503(response)

    def test_healthz_names_the_database(self, origin):
        response = origin.get("/healthz")
        assert response.status_code == 503
        assert response.json()["down"] == ["database"]
        assert origin.get("/healthz?part=database").status_code == 503

    def test_the_outage_is_logged_once_not_per_request(self, origin):
        for _ in range(10):
            assert origin.get("/").status_code == 503
        log = origin.log_path.read_text()
        # One report (with its traceback) per process every 30 s, not one per request.
        reports = log.count("Database unavailable: answering 503")
        assert 1 <= reports <= 2
        # A report's traceback shows the driver's error and Django's, raised from it.
        assert log.count("Traceback") <= 2 * reports
        assert "Service Unavailable: /\n" not in log


def test_pages_are_served_again_within_seconds_of_the_database_returning(origin):
    origin.database.stop()
    assert origin.get("/").status_code == 503
    origin.database.start()
    assert origin.wait_until("/", 200) < 5
    assert origin.get(reverse("admin:login")).status_code == 200
    assert origin.get("/healthz").status_code == 200
