"""`make stack`: run on this machine what a deployment runs, and serve it on :8080.

Varnish (deploy/varnish/newsroom.vcl) on 127.0.0.1:8080 in front of gunicorn origins
(8081, 8082, …), the task worker, a Redis of its own (8379) for the shared cache, and
the database: the embedded PostgreSQL server, or DATABASE_URL when set. Settings are
production ones (DEBUG off); state and logs live in var/stack/.

The switches (environment variables, or `make stack NAME=value`) give the scale-out
topology on one machine (docs/deploy.md):

- `STACK_ORIGINS=2`: how many origins Varnish balances (1 or more);
- `STACK_REPLICA=1`: a primary PostgreSQL server of the stack's own (8432) with that
  many streaming replicas (8433, …) taking the public site's reads;
- `STACK_MEDIA=s3`: photos in an S3 API server (moto, 8390) instead of local files.

`Stack` is the same thing as a context manager, for the benchmark and for tests:

    with Stack(port=8090, origin_ports=[8091, 8092], redis_port=8389) as stack:
        ...  # stack.varnish.url, stack.origins, stack.env
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from urllib.error import URLError
from urllib.request import Request, urlopen

from deploy.objectstore import S3Server
from deploy.objectstore import missing as s3_missing
from deploy.servers import PostgresServer, ReplicaServer
from deploy.varnish import SEARCH_PATH, Service, Varnish
from deploy.varnish import missing as varnish_missing
from newsroom.admin_path import admin_path

BASE_DIR = Path(__file__).resolve().parent.parent
STATE_DIR = BASE_DIR / "var" / "stack"
PYTHON = sys.executable
MANAGE = [PYTHON, str(BASE_DIR / "manage.py")]
# Two worker processes per origin, four in all on a two-core machine: page rendering is
# CPU-bound Python, so more workers than cores only queue for the CPU, while a
# second one per core keeps it busy when the first waits on PostgreSQL or Redis.
# Varnish answers most reads, so the origins see misses, the admin and the API.
GUNICORN_WORKERS = 2
# Seconds a request may take before gunicorn restarts its worker; Varnish waits as long.
GUNICORN_TIMEOUT = 60
# Threads, limits and the database timeouts of a production origin.
GUNICORN_CONFIG = BASE_DIR / "deploy" / "gunicorn.conf.py"
START_TIMEOUT = 60.0


class StackError(RuntimeError):
    """The stack cannot start (a port is taken, a program is missing, a step failed)."""


def port_taken(port: int) -> bool:
    """Whether something already listens on 127.0.0.1:`port`."""
    with socket.socket() as sock:
        # As the servers themselves bind: connections left in TIME_WAIT do not count.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def secret_key(path: Path) -> str:
    """Return the stack's SECRET_KEY, made on first use and kept (mode 600) in `path`."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(key + "\n")
    return key


class Stack(Service):
    """Redis, the database, migrations and demo content, two origins, the worker, Varnish."""

    def __init__(
        self,
        *,
        port: int = 8080,
        origin_ports: Sequence[int] = (8081, 8082),
        redis_port: int = 8379,
        database_url: str | None = None,
        replica_ports: Sequence[int] = (),
        primary_port: int = 8432,
        s3_port: int | None = None,
        extra_env: Mapping[str, str] | None = None,
        state_dir: Path = STATE_DIR,
        workers: int = GUNICORN_WORKERS,
        demo: bool = True,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.port = port
        self.origin_ports = list(origin_ports)
        self.redis_port = redis_port
        self.database_url = (
            os.environ.get("DATABASE_URL", "").strip() if database_url is None else database_url
        )
        self.replica_ports = list(replica_ports)
        self.primary_port = primary_port
        # Replicas stream from a primary of the stack's own (a throwaway server).
        self.primary: PostgresServer | None = None
        self.replicas: list[ReplicaServer] = []
        if self.replica_ports and self.database_url:
            raise StackError(
                "Replicas stream from the stack's own primary: unset DATABASE_URL "
                "to run STACK_REPLICA."
            )
        self.s3_port = s3_port
        self.s3 = S3Server(s3_port) if s3_port is not None else None
        # Settings of the stack's own beyond those it sets (e.g. DATABASE_REPLICA_MAX_LAG).
        self.extra_env = dict(extra_env or {})
        self.state_dir = Path(state_dir).resolve()
        self.logs_dir = self.state_dir / "logs"
        self.workers = workers
        self.demo = demo
        self.log = log or (lambda message: print(message, file=sys.stderr, flush=True))
        self.site_url = f"http://127.0.0.1:{port}"
        self.origins = [("127.0.0.1", origin_port) for origin_port in self.origin_ports]
        # The origins read ADMIN_PATH from the environment they inherit; Varnish is told too.
        try:
            self.admin_path = admin_path(os.environ.get("ADMIN_PATH"))
        except ValueError as error:
            raise StackError(str(error)) from None
        self.varnish = Varnish(
            port=port,
            origins=self.origins,
            purgers=["127.0.0.1", "::1"],
            workdir=self.state_dir / "varnish",
            admin_path=self.admin_path,
        )
        self.env: dict[str, str] = {}
        self.processes: list[tuple[str, subprocess.Popen[bytes]]] = []
        self.started_embedded_database = False

    @property
    def embedded_database(self) -> bool:
        return not self.database_url and not self.replica_ports

    def environment(self) -> dict[str, str]:
        """Return the environment every Django process of the stack runs with."""
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DEBUG", "DATABASE_URL", "CACHE_DIR"}
        }
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "newsroom.settings",
                "DEBUG": "false",
                "SECRET_KEY": secret_key(self.state_dir / "secret_key"),
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "SITE_URL": self.site_url,
                "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
                # The origins purge the Varnish in front of them.
                "FRONT_CACHE_URLS": self.site_url,
                # Varnish appends each reader's address to X-Forwarded-For: the last entry
                # is the one logins are counted against.
                "BEHIND_PROXY": "true",
                "PROXY_COUNT": "1",
                "STATIC_ROOT": str(self.state_dir / "static"),
                "PYTHONUNBUFFERED": "1",
            }
        )
        if self.replica_ports:
            env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{self.primary_port}/newsroom"
            env["DATABASE_REPLICA_URLS"] = ",".join(
                f"postgres://postgres@127.0.0.1:{port}/newsroom" for port in self.replica_ports
            )
        elif self.database_url:
            env["DATABASE_URL"] = self.database_url
        if self.s3 is not None:
            env.update(self.s3.env())
        env.update(self.extra_env)
        return env

    # --- Starting -------------------------------------------------------------------

    def check(self) -> None:
        """Raise StackError when the stack cannot start here, before anything starts."""
        if reason := varnish_missing():
            raise StackError(reason)
        if shutil.which("redis-server", path=SEARCH_PATH) is None:
            raise StackError("redis-server is not installed (Debian: apt-get install redis-server)")
        if self.s3_port is not None and (reason := s3_missing()):
            raise StackError(reason)
        ports = {
            self.port: "Varnish",
            self.redis_port: "Redis",
            **{port: "an origin" for port in self.origin_ports},
            **{port: "a replica" for port in self.replica_ports},
        }
        if self.replica_ports:
            ports[self.primary_port] = "the primary database"
        if self.s3_port is not None:
            ports[self.s3_port] = "the S3 server"
        taken = [f"port {port} ({name})" for port, name in ports.items() if port_taken(port)]
        if taken:
            raise StackError(
                f"Already in use on 127.0.0.1: {', '.join(taken)}. Stop what listens there "
                "(another `make stack`?) and try again."
            )

    def start(self) -> None:
        """Start everything, in dependency order; stop what started if a step fails."""
        self.check()
        self.logs_dir.mkdir(parents=True, exist_ok=True)
        self.env = self.environment()
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> None:
        self.log(f"Redis on 127.0.0.1:{self.redis_port}")
        self.spawn(
            "redis",
            [
                shutil.which("redis-server", path=SEARCH_PATH) or "redis-server",
                "--bind", "127.0.0.1",
                "--port", str(self.redis_port),
                "--save", "",
                "--appendonly", "no",
                "--dir", str(self.state_dir),
            ],
        )  # fmt: skip
        self.wait_for_port("redis", self.redis_port)

        if self.embedded_database:
            self.log("Embedded PostgreSQL")
            status = self.manage_output([PYTHON, "-m", "newsroom.embedded_db", "status"])
            self.started_embedded_database = not status.startswith("running")
            self.run("database", [PYTHON, "-m", "newsroom.embedded_db", "start"])
        try:
            self.start_servers()
        except RuntimeError as error:  # A server that would not start: say which and why.
            raise StackError(str(error)) from None
        self.log("Migrations, static files and demo content")
        self.run("migrate", [*MANAGE, "migrate", "--noinput"])
        self.run("collectstatic", [*MANAGE, "collectstatic", "--noinput"])
        if self.demo:
            # Demo log-in accounts exist only on a database of this machine's own (the
            # embedded one, or the stack's primary) with DEBUG on. Varnish starts later
            # with nothing cached: there is nothing to purge yet.
            demo_env = {"FRONT_CACHE_URLS": ""}
            if self.embedded_database or self.primary is not None:
                demo_env["DEBUG"] = "true"
            self.run("load_demo", [*MANAGE, "load_demo"], extra_env=demo_env)

        for number, origin_port in enumerate(self.origin_ports, start=1):
            self.log(f"Origin {number}: gunicorn on 127.0.0.1:{origin_port}")
            self.spawn(
                f"origin{number}",
                [
                    str(Path(PYTHON).parent / "gunicorn"),
                    "--config", str(GUNICORN_CONFIG),
                    "--bind", f"127.0.0.1:{origin_port}",
                    "--workers", str(self.workers),
                    "--timeout", str(GUNICORN_TIMEOUT),
                    "newsroom.wsgi",
                ],
            )  # fmt: skip
        for number, origin_port in enumerate(self.origin_ports, start=1):
            self.wait_for_health(f"origin{number}", origin_port)

        self.log("Task worker")
        self.run("schedule_ingest", [*MANAGE, "schedule_ingest"])
        if "schedule_purges" in self.manage_output([*MANAGE, "help", "--commands"]).split():
            self.run("schedule_purges", [*MANAGE, "schedule_purges"])
        self.spawn("worker", [*MANAGE, "db_worker"])

        self.log(f"Varnish on 127.0.0.1:{self.port}")
        try:
            self.varnish.start()
        except RuntimeError as error:
            raise StackError(str(error)) from None

    def start_servers(self) -> None:
        """Start the stack's own primary and its replicas, and the S3 server, when asked for."""
        if self.replica_ports:
            self.log(f"PostgreSQL primary on 127.0.0.1:{self.primary_port}")
            self.primary = PostgresServer(self.primary_port)
            self.primary.start()
            self.primary.create_database("newsroom")
            for port in self.replica_ports:
                self.log(f"PostgreSQL streaming replica on 127.0.0.1:{port}")
                replica = ReplicaServer(port, self.primary_port)
                self.replicas.append(replica)
                replica.start()
        if self.s3 is not None:
            self.log(f"S3 API server (moto) on 127.0.0.1:{self.s3_port}")
            self.s3.start()

    def spawn(self, name: str, command: list[str]) -> subprocess.Popen[bytes]:
        """Start a long-running `command` in its own process group, output to its log."""
        with (self.logs_dir / f"{name}.log").open("ab") as log:
            process = subprocess.Popen(  # noqa: S603
                command,
                cwd=BASE_DIR,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Its own group: Ctrl-C reaches only this process, which stops the
                # services in order, and stopping a service stops all its workers.
                start_new_session=True,
            )
        self.processes.append((name, process))
        return process

    def run(self, name: str, command: list[str], extra_env: dict[str, str] | None = None) -> None:
        """Run a one-off `command` to completion; raise StackError if it fails."""
        log_path = self.logs_dir / f"{name}.log"
        with log_path.open("ab") as log:
            result = subprocess.run(  # noqa: S603
                command,
                cwd=BASE_DIR,
                env={**self.env, **(extra_env or {})},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Ctrl-C is the stack's to handle; a server a step starts (the embedded
                # PostgreSQL) must not receive it too.
                start_new_session=True,
                check=False,
            )
        if result.returncode != 0:
            raise StackError(f"{name} failed; see {log_path}:\n{self.tail(log_path)}")

    def manage_output(self, command: list[str]) -> str:
        result = subprocess.run(  # noqa: S603
            command, cwd=BASE_DIR, env=self.env, capture_output=True, text=True, check=False
        )
        return result.stdout

    def wait_for_port(self, name: str, port: int) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            self.check_alive(name)
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise StackError(f"{name} did not listen on {port}; see {self.logs_dir / name}.log")

    def wait_for_health(self, name: str, port: int) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        request = Request(f"http://127.0.0.1:{port}/healthz")
        while time.monotonic() < deadline:
            self.check_alive(name)
            try:
                with urlopen(request, timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except (URLError, OSError):
                pass
            time.sleep(0.2)
        raise StackError(f"{name} is not healthy on {port}; see {self.logs_dir / name}.log")

    def check_alive(self, name: str) -> None:
        for process_name, process in self.processes:
            if process_name == name and process.poll() is not None:
                log_path = self.logs_dir / f"{name}.log"
                raise StackError(f"{name} exited on start; see {log_path}:\n{self.tail(log_path)}")

    @staticmethod
    def tail(path: Path, lines: int = 20) -> str:
        try:
            return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    # --- Stopping -------------------------------------------------------------------

    def stop(self) -> None:
        """Stop everything this stack started, newest first; safe to repeat."""
        self.varnish.stop()
        while self.processes:
            _name, process = self.processes.pop()
            stop_group(process)
        if self.s3 is not None:
            self.s3.stop()
        while self.replicas:
            self.replicas.pop().remove()
        if self.primary is not None:
            self.primary.remove()
            self.primary = None
        if self.started_embedded_database:
            self.started_embedded_database = False
            subprocess.run(  # noqa: S603
                [PYTHON, "-m", "newsroom.embedded_db", "stop"],
                cwd=BASE_DIR,
                env=self.env,
                capture_output=True,
                check=False,
            )

    # --- Telling -------------------------------------------------------------------------

    def summary(self) -> str:
        """Return what runs where, for the operator."""
        if self.embedded_database:
            database = "embedded PostgreSQL (var/postgres)"
        elif self.replica_ports:
            replicas = ", ".join(f"127.0.0.1:{port}" for port in self.replica_ports)
            database = (
                f"PostgreSQL primary on 127.0.0.1:{self.primary_port}, replicas on {replicas}"
            )
        else:
            database = "DATABASE_URL"
        media = (
            f"photos in S3 (moto) on 127.0.0.1:{self.s3_port}"
            if self.s3_port is not None
            else "photos on local disk"
        )
        origins = ", ".join(f"127.0.0.1:{port}" for port in self.origin_ports)
        lines = [
            "",
            f"Newsroom     {self.site_url}/",
            f"Admin        {self.site_url}/{self.admin_path}",
        ]
        if self.demo and (self.embedded_database or self.replica_ports):
            lines.append(
                "Accounts     reporter, editor, moderator, partners (password: <name>-demo-pass)"
            )
        lines += [
            f"Varnish      127.0.0.1:{self.port} in front of gunicorn on {origins}",
            f"Also         task worker; Redis on 127.0.0.1:{self.redis_port}; {media}",
            f"Database     {database}",
            f"Logs         {self.logs_dir}/",
            "Ctrl-C stops it all.",
            "",
        ]
        return "\n".join(lines)


def stop_group(process: subprocess.Popen[bytes], timeout: float = 15) -> None:
    """SIGTERM the process group `process` leads, wait, and SIGKILL it if it lingers."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=timeout)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def switches(environ: Mapping[str, str]) -> dict[str, object]:
    """Return the `Stack` arguments that STACK_ORIGINS, STACK_REPLICA and STACK_MEDIA ask for."""

    def count(name: str, default: int, least: int) -> int:
        value = environ.get(name, "").strip() or str(default)
        if not value.isdigit() or int(value) < least:
            raise StackError(f"{name} must be a whole number, at least {least}; got {value!r}.")
        return int(value)

    origins = count("STACK_ORIGINS", 2, 1)
    replicas = count("STACK_REPLICA", 0, 0)
    media = environ.get("STACK_MEDIA", "").strip().lower() or "local"
    if media not in {"local", "s3"}:
        raise StackError(f"STACK_MEDIA must be local or s3; got {media!r}.")
    return {
        "origin_ports": [8081 + number for number in range(origins)],
        "replica_ports": [8433 + number for number in range(replicas)],
        "s3_port": 8390 if media == "s3" else None,
    }


def main() -> int:
    """`python -m deploy.stack`: start the stack, serve until Ctrl-C or SIGTERM, stop it."""

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    # SIGINT too: a shell starting the stack in the background hands it down ignored.
    signal.signal(signal.SIGINT, interrupted)
    signal.signal(signal.SIGTERM, interrupted)
    try:
        stack = Stack(**switches(os.environ))
    except StackError as error:  # A setting it cannot use (ADMIN_PATH, a switch).
        print(f"make stack: {error}", file=sys.stderr)
        return 1
    try:
        stack.start()
        print(stack.summary(), flush=True)
        while True:
            for name, process in stack.processes:
                if process.poll() is not None:
                    raise StackError(f"{name} stopped; see {stack.logs_dir / name}.log")
            if not stack.varnish.running:
                raise StackError(f"Varnish stopped; see {stack.varnish.log_path}")
            time.sleep(1)
    except KeyboardInterrupt:
        print("Stopping…", file=sys.stderr, flush=True)
        # A second Ctrl-C must not leave half the services running.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stack.stop()
        return 0
    except StackError as error:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        stack.stop()
        print(f"make stack: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
