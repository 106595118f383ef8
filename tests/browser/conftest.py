"""Browser tests: real headless Chromium (Debian's package) driven by Playwright."""

import os
import shutil

import psycopg
import pytest
from django.db import connections

CHROMIUM = (
    os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
)

# Playwright's synchronous API runs an event loop in the test thread; the ORM
# calls the tests make to set up data are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM:
        message = "Chromium is not installed (Debian: apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI=true requires the browser tests to run.")
        pytest.skip(f"{message}; browser tests skipped.")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-gpu",
        ],
    }


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    # Stop the server (and its database connection) before the test database is dropped.
    return live_server


@pytest.fixture(scope="session", autouse=True)
def close_browser_test_connections(django_db_setup):
    """End connections opened in Playwright's context before the test database is dropped.

    Django's teardown closes the connections it can see; those opened while the
    browser tests ran are invisible to it and would block DROP DATABASE.
    """
    yield
    test_db = connections["default"].settings_dict
    with psycopg.connect(
        host=test_db["HOST"] or None,
        port=test_db["PORT"] or None,
        user=test_db["USER"],
        password=test_db["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND state = 'idle' AND backend_type = 'client backend'",
            [test_db["NAME"]],
        )
