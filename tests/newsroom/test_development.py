"""A development checkout: manage.py after `make run`, and the address `make run` serves."""

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from dotenv import dotenv_values

from deploy.varnish import free_port
from tests.databases import database_url

BASE_DIR = Path(settings.BASE_DIR)
ENV_FILE = BASE_DIR / ".env"
# What the Makefile's processes must not inherit from the suite: the values they set.
SUITE_ONLY = {"DEBUG", "SITE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"}
SUITE_ONLY |= {"FRONT_CACHE_URLS", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"}


def make() -> str:
    """The make program, or a skip (a failure under CI) without it."""
    if program := shutil.which("make"):
        return program
    if os.environ.get("CI") == "true":
        pytest.fail("make is not installed")
    pytest.skip("make is not installed")


def environment(**env: str) -> dict[str, str]:
    """The suite's environment without what it sets for itself, plus `env`."""
    return {k: v for k, v in os.environ.items() if k not in SUITE_ONLY} | env


@pytest.fixture(scope="module")
def env_file() -> Path:
    """The checkout's .env, written by the Makefile's rule that `make run` and `make test` use."""
    subprocess.run([make(), "-s", ".env"], cwd=BASE_DIR, check=True, timeout=30)
    if str(dotenv_values(ENV_FILE).get("DEBUG")).lower() not in {"1", "true", "yes", "on"}:
        pytest.skip("this checkout's .env has been changed to leave DEBUG off")
    return ENV_FILE


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        # A server nothing listens on: the commands here must not need the database.
        env=environment(DATABASE_URL="postgres://newsroom@127.0.0.1:9/newsroom", **env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_manage_py_works_with_nothing_exported_beside_the_development_file(env_file):
    result = manage("check")

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_environment_wins_over_the_development_file(env_file):
    code = "from django.conf import settings; print(settings.DEBUG, settings.SITE_URL)"

    result = manage("shell", "-c", code, SITE_URL="http://127.0.0.1:8400")

    assert result.stdout.split()[-2:] == ["True", "http://127.0.0.1:8400"], result.stderr


def test_debug_turned_off_in_the_environment_still_needs_the_production_values(env_file):
    result = manage("check", DEBUG="false")

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"make run stopped:\n{log.read_text()}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {timeout} s:\n{log.read_text()}")


def stop_group(process: subprocess.Popen, timeout: float = 15) -> None:
    """Stop the process group `process` leads, and wait until none of it is left."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while True:
        process.poll()  # Reaps make itself, which would otherwise keep the group alive.
        try:
            os.killpg(process.pid, signal.SIGKILL if time.monotonic() > deadline else 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)


# On the test database (already migrated, so make run's steps are quick), emptied afterwards.
@pytest.mark.django_db(transaction=True)
def test_make_run_names_the_port_it_serves_in_absolute_addresses(tmp_path):
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    log = tmp_path / "make-run.log"
    venv = sys.prefix
    command = [make(), "-o", f"{venv}/.installed", "run", f"VENV={venv}", f"PORT={port}"]
    with log.open("wb") as output:
        # Its own process group: make, the task worker and the server stop together.
        process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=environment(DATABASE_URL=database_url()),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for(f"{site}/healthz", process, log)
        home = httpx.get(f"{site}/", timeout=10).text
        robots = httpx.get(f"{site}/robots.txt", timeout=10).text
    finally:
        stop_group(process)

    assert re.search(rf'<link rel="canonical" href="{re.escape(site)}/">', home)
    assert f"Sitemap: {site}/sitemap.xml" in robots.splitlines()
