"""The embedded PostgreSQL server: a real server, started once and shared."""

import psycopg
import pytest
from django.conf import settings

from newsroom import embedded_db


@pytest.mark.skipif(not settings.EMBEDDED_DATABASE, reason="DATABASE_URL is set")
def test_settings_use_the_running_embedded_server():
    socket_dir = embedded_db.ensure_running()
    assert settings.DATABASES["default"]["HOST"] == str(socket_dir)
    assert embedded_db.DATA_DIR.is_relative_to(settings.BASE_DIR)


def test_a_folder_without_a_server_is_not_running(tmp_path):
    assert embedded_db._running_socket_dir(tmp_path) is None


def test_a_stale_pid_file_is_not_a_running_server(tmp_path):
    (tmp_path / "postmaster.pid").write_text(
        "999999999\n/x\n0\n5432\n/tmp\nlocalhost\n1 2\nready\n"
    )
    assert embedded_db._running_socket_dir(tmp_path) is None


def test_server_starts_in_a_new_folder_serves_queries_and_stops(tmp_path):
    data_dir = tmp_path / "pg"
    try:
        socket_dir = embedded_db.ensure_running(data_dir)
        # A second call finds the running server instead of starting another.
        assert embedded_db.ensure_running(data_dir) == socket_dir
        with psycopg.connect(
            host=str(socket_dir), user="postgres", dbname=embedded_db.DATABASE_NAME
        ) as conn:
            assert (
                conn.execute("SELECT current_setting('server_version_num')::int").fetchone()[0]
                >= 150000
            )
    finally:
        assert embedded_db.stop(data_dir) is True
    assert embedded_db._running_socket_dir(data_dir) is None
    assert embedded_db.stop(data_dir) is False
