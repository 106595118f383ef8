"""Run Varnish with `deploy/varnish/newsroom.vcl` in front of one or more origins.

`Varnish(port=..., origins=[...], workdir=...)` writes the per-site part of the
configuration (`origins.vcl`: backends, their health probe, the director and the
purge ACL) into `workdir` and runs `varnishd` in the foreground as a child of this
process, in its own process group, until `stop()`.
"""

from __future__ import annotations

import functools
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Self

from newsroom.admin_path import DEFAULT as DEFAULT_ADMIN_PATH
from newsroom.admin_path import admin_url_pattern

VCL_DIR = Path(__file__).resolve().parent / "varnish"
VCL = VCL_DIR / "newsroom.vcl"
# Debian installs varnishd in /usr/sbin, which an ordinary user's PATH may lack.
SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/usr/local/sbin"])
START_TIMEOUT = 15.0


def varnishd() -> str | None:
    """Return the path of the varnishd program, or None when it is not installed."""
    return shutil.which("varnishd", path=SEARCH_PATH)


@functools.cache
def missing() -> str | None:
    """Why Varnish cannot run here (varnishd or vmod_xkey missing), or None."""
    program = varnishd()
    if program is None:
        return "varnishd is not installed (Debian: apt-get install varnish varnish-modules)"
    # Compiling (not running) a VCL that imports xkey proves the module is where
    # varnishd looks for it. `-j none`: see Varnish.command().
    with tempfile.TemporaryDirectory(prefix="vcheck") as folder:
        vcl = Path(folder) / "check.vcl"
        vcl.write_text("vcl 4.1;\nimport xkey;\nbackend default none;\n")
        result = subprocess.run(  # noqa: S603
            [program, "-C", "-j", "none", "-f", str(vcl), "-n", str(Path(folder) / "n")],
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        return "vmod_xkey is not installed (Debian: apt-get install varnish-modules)"
    return None


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def origins_vcl(
    origins: Sequence[tuple[str, int]],
    purgers: Sequence[str],
    probe_interval: float = 1.0,
    host_header: str | None = None,
    admin_path: str = DEFAULT_ADMIN_PATH,
    proxies: Sequence[str] = ("127.0.0.1", "::1"),
) -> str:
    """Return the VCL that newsroom.vcl includes: backends, director, ACLs, admin path.

    `host_header` is the Host the health probes send (default: the origin's address);
    Django answers /healthz only for a host in ALLOWED_HOSTS. `admin_path` is the
    site's ADMIN_PATH (`newsroom.admin_path.admin_path()`), passed uncached. `proxies`
    are the TLS proxies in front (nginx): only they may say a reader came over https.
    """
    if not origins:
        raise ValueError("Varnish needs at least one origin")
    timeout = min(1.0, probe_interval)
    lines = [
        "# Written by deploy/varnish.py; included by newsroom.vcl.",
        "",
        "# An origin is sick after two failed checks out of three, healthy again after",
        "# two good ones; it starts healthy so that the first readers are not refused.",
        "probe healthz {",
        # The database only: without Redis an origin still serves pages, without it not.
        '    .url = "/healthz?part=database";',
        f"    .interval = {probe_interval:g}s;",
        f"    .timeout = {timeout:g}s;",
        "    .window = 3;",
        "    .threshold = 2;",
        "    .initial = 2;",
        "}",
        "",
    ]
    for number, (host, port) in enumerate(origins, start=1):
        lines += [
            f"backend origin{number} {{",
            f'    .host = "{host}";',
            f'    .port = "{port}";',
            "    .probe = healthz;",
            *([f'    .host_header = "{host_header}";'] if host_header else []),
            "    .connect_timeout = 1s;",
            # As long as gunicorn lets a worker take before it is restarted.
            "    .first_byte_timeout = 60s;",
            "    .between_bytes_timeout = 10s;",
            "}",
            "",
        ]
    lines += ["acl purgers {", *(f'    "{address}";' for address in purgers), "}", ""]
    lines += ["acl proxies {", *(f'    "{address}";' for address in proxies), "}", ""]
    lines += ["sub vcl_init {", "    new origins = directors.round_robin();"]
    lines += [f"    origins.add_backend(origin{n});" for n in range(1, len(origins) + 1)]
    lines += ["}", ""]
    names = [f"origin{n}" for n in range(1, len(origins) + 1)]
    lines += [
        "# A read retried after its origin failed goes to the next one; from vcl_backend_fetch.",
        "sub newsroom_next_origin {",
        *(
            f'    if (bereq.http.X-Failed-Origin == "{name}") {{\n'
            f"        set bereq.backend = {names[(number + 1) % len(names)]};\n    }}"
            for number, name in enumerate(names)
        ),
        "    unset bereq.http.X-Failed-Origin;",
        "}",
        "",
    ]
    lines += [
        "# The admin (ADMIN_PATH) is never served from a copy; called from vcl_recv.",
        "sub newsroom_admin {",
        f'    if (req.url ~ "{admin_url_pattern(admin_path)}") {{',
        "        return (pass);",
        "    }",
        "}",
        "",
    ]
    return "\n".join(lines)


class Service:
    """Something run by `start()` until `stop()`; as a context manager, for the block."""

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class Varnish(Service):
    """varnishd on 127.0.0.1:`port` in front of `origins`, run from `workdir`."""

    def __init__(
        self,
        *,
        port: int,
        origins: list[tuple[str, int]],
        purgers: Sequence[str] = ("127.0.0.1", "::1"),
        workdir: Path,
        memory: str = "256m",
        probe_interval: float = 1.0,
        host_header: str | None = None,
        admin_path: str = DEFAULT_ADMIN_PATH,
    ) -> None:
        self.port = port
        self.origins = list(origins)
        self.purgers = list(purgers)
        self.workdir = Path(workdir).resolve()
        self.memory = memory
        self.probe_interval = probe_interval
        self.host_header = host_header
        self.admin_path = admin_path
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = self.workdir / "varnishd.log"
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    def command(self) -> list[str]:
        """Return the varnishd command line."""
        program = varnishd()
        if program is None:
            raise RuntimeError(missing() or "varnishd is not installed")
        return [
            program,
            "-F",  # Foreground: this process owns it and stops it.
            # No privilege separation: started as root, varnishd would otherwise
            # compile the VCL as the `varnish` user and serve as `vcache`, neither
            # of whom may read a private (0700) workdir such as pytest's.
            "-j",
            "none",
            # The instance folder (shared memory log, compiled VCL) must stay short.
            "-n",
            str(self.workdir / "varnishd"),
            "-f",
            str(VCL),
            # origins.vcl is looked up in the workdir first.
            "-p",
            f"vcl_path={self.workdir}:{VCL_DIR}",
            "-a",
            f"127.0.0.1:{self.port}",
            "-T",
            "none",
            "-s",
            f"malloc,{self.memory}",
        ]

    def start(self) -> None:
        """Write origins.vcl, start varnishd and wait until it answers."""
        if self.running:
            return
        self.workdir.mkdir(parents=True, exist_ok=True)
        (self.workdir / "origins.vcl").write_text(
            origins_vcl(
                self.origins,
                self.purgers,
                self.probe_interval,
                self.host_header,
                admin_path=self.admin_path,
            )
        )
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(  # noqa: S603
            self.command(),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while not self._answers():
            if self.process.poll() is not None:
                output = self.output()
                self.stop()
                raise RuntimeError(f"varnishd exited on start:\n{output}")
            if time.monotonic() > deadline:
                output = self.output()
                self.stop()
                raise RuntimeError(f"varnishd did not answer on {self.url}:\n{output}")
            time.sleep(0.1)

    def _answers(self) -> bool:
        # A PURGE without keys is answered by the VCL itself (400, or 403 when
        # 127.0.0.1 may not purge), so the check never reaches an origin.
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PURGE / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                return sock.recv(16).startswith(b"HTTP/1.1 4")
        except OSError:
            return False

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def output(self) -> str:
        """Return what varnishd has written to its log so far."""
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def purge(self, *keys: str) -> int:
        """Purge every object tagged with one of `keys`; return how many were purged."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
            sock.sendall(
                b"PURGE / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + f"xkey-purge: {' '.join(keys)}\r\n\r\n".encode()
            )
            answer = b""
            while chunk := sock.recv(4096):
                answer += chunk
        head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        if " 200 " not in head[0] + " ":
            raise RuntimeError(f"PURGE refused: {head[0]}")
        for line in head[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "x-purged":
                return int(value.strip())
        return 0

    def stop(self) -> None:
        """Stop varnishd (its whole process group) and wait for it; safe to repeat."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=10)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None
