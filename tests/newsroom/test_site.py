"""Project-wide plumbing: health check, robots.txt, settings and migrations."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

BASE_DIR = Path(settings.BASE_DIR)


@pytest.mark.django_db
def test_healthz_reports_every_part(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "replicas": {},
        "cache": "ok",
        "storage": "ok",
    }
    assert "no-cache" in response["Cache-Control"]


def test_robots_txt_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Disallow: /admin/" in response.content.decode()


def test_robots_txt_points_crawlers_at_the_sitemap_index(client, settings):
    settings.SITE_URL = "https://news.example.com"
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert "Sitemap: https://news.example.com/sitemap.xml" in lines


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "p" * 20 + "-production-secret-with-enough-entropy-0123456789",
    "ALLOWED_HOSTS": "news.example.com",
    "SITE_URL": "https://news.example.com",
    "DATABASE_URL": "postgres://newsroom@db.example.com:5432/newsroom",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    inherited = PRODUCTION_ENV.keys() | {"REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in inherited}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deployment_checklist():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL"])
def test_production_settings_refuse_to_start_without_a_required_value(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert f"{missing} must be set when DEBUG is off" in result.stderr


def test_settings_refuse_a_database_other_than_postgresql():
    result = manage("check", env={**PRODUCTION_ENV, "DATABASE_URL": "sqlite:///db.sqlite3"})
    assert result.returncode != 0
    assert "DATABASE_URL must point at a PostgreSQL server" in result.stderr


@pytest.mark.parametrize(
    ("extra", "backend"),
    [
        ({}, "django.core.cache.backends.filebased.FileBasedCache"),
        ({"REDIS_URL": "redis://127.0.0.1:6379/0"}, "newsroom.cache.ResilientRedisCache"),
    ],
)
def test_production_cache_is_shared_by_all_worker_processes(extra, backend):
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = manage("shell", "-c", code, env={**PRODUCTION_ENV, **extra})
    assert result.stdout.strip().splitlines()[-1] == backend, result.stderr


def test_production_static_files_get_hashed_compressed_names(tmp_path):
    result = manage(
        "collectstatic", "--noinput", env={**PRODUCTION_ENV, "STATIC_ROOT": str(tmp_path)}
    )
    assert result.returncode == 0, result.stderr
    hashed = [p.name for p in (tmp_path / "css").glob("site.*.css")]
    assert len(hashed) == 1
    assert (tmp_path / "css" / f"{hashed[0]}.gz").exists()
    assert (tmp_path / "staticfiles.json").exists()
