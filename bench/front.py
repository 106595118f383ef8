"""The front cache (Varnish, as deployed) and the ceiling (nginx serving a file) for the benchmark.

Varnish runs from `deploy.varnish`, the same VCL as in production. nginx runs with
its own configuration, pid file and port under var/bench/ceiling, in the
foreground in its own process group, and serves one static file the size of the
home page: what a machine like this one can answer at most over HTTP.
"""

from __future__ import annotations

import http.client
import os
import pwd
import shutil
import signal
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/usr/local/sbin"])


def varnish_missing() -> str | None:
    """Why the front cache cannot run here, or None."""
    try:
        from deploy.varnish import missing
    except ImportError as error:
        return f"deploy.varnish cannot be imported ({error})"
    return missing()


@contextmanager
def front_cache(port: int, origin_port: int, workdir: Path):
    """Run Varnish on `port` in front of the origin on `origin_port`; yield it."""
    from deploy.varnish import Varnish

    with Varnish(
        port=port, origins=[("127.0.0.1", origin_port)], purgers=["127.0.0.1"], workdir=workdir
    ) as varnish:
        yield varnish


def parse_varnishstat(text: str) -> dict[str, int]:
    """Return the counters of `varnishstat -1` output: {"MAIN.cache_hit": 12, ...}."""
    counters = {}
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 2 and fields[1].isdigit():
            counters[fields[0]] = int(fields[1])
    return counters


def varnish_counters(varnish, *names: str) -> dict[str, int]:
    """Read counters of the running `varnish` (a deploy.varnish.Varnish); {} if unreadable."""
    program = shutil.which("varnishstat", path=SEARCH_PATH)
    if program is None:
        return {}
    command = [program, "-n", str(varnish.workdir / "varnishd"), "-1"]
    for name in names:
        command += ["-f", name]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    return parse_varnishstat(result.stdout) if result.returncode == 0 else {}


def nginx_missing() -> str | None:
    """Why the nginx ceiling cannot run here, or None."""
    if shutil.which("nginx", path=SEARCH_PATH) is None:
        return "nginx is not installed (Debian: apt-get install nginx-light)"
    return None


def nginx_config(folder: Path, port: int, workers: int, user: str | None) -> str:
    """Return an nginx configuration serving `folder`/www on 127.0.0.1:`port`, keep-alive on."""
    temp = folder / "temp"
    return "\n".join(
        [
            *([f"user {user};"] if user else []),
            "daemon off;",
            f"worker_processes {workers};",
            f"pid {folder / 'nginx.pid'};",
            f"error_log {folder / 'error.log'} warn;",
            "events { worker_connections 1024; }",
            "http {",
            "    access_log off;",
            "    default_type text/html;",
            "    sendfile on;",
            "    tcp_nopush on;",
            "    keepalive_timeout 65s;",
            # wrk keeps its connections for the whole run, as Varnish lets it.
            "    keepalive_requests 10000000;",
            *(
                f"    {kind}_temp_path {temp / kind};"
                for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
            ),
            "    server {",
            f"        listen 127.0.0.1:{port};",
            f"        root {folder / 'www'};",
            "        location = / { try_files /index.html =404; }",
            "    }",
            "}",
            "",
        ]
    )


@contextmanager
def ceiling(folder: Path, port: int, body: bytes):
    """Serve `body` as / with nginx on `port`, from `folder`; yield the nginx process."""
    (folder / "www").mkdir(parents=True, exist_ok=True)
    (folder / "temp").mkdir(exist_ok=True)
    (folder / "www" / "index.html").write_bytes(body)
    # As root, nginx's workers would run as `nobody`, who may not read the folder.
    user = pwd.getpwuid(os.geteuid()).pw_name if os.geteuid() == 0 else None
    config = folder / "nginx.conf"
    config.write_text(nginx_config(folder, port, os.cpu_count() or 1, user))
    program = shutil.which("nginx", path=SEARCH_PATH)
    command = [program, "-p", str(folder), "-c", str(config), "-e", str(folder / "error.log")]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 10
        while get("127.0.0.1", port, "/")[0] != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                log = (folder / "error.log").read_text(errors="replace")
                raise RuntimeError(f"nginx did not start on port {port}:\n{log}")
            time.sleep(0.1)
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


def get(host: str, port: int, path: str, timeout: float = 120) -> tuple[int, dict, bytes]:
    """GET `path` on one connection; return status, headers (lower-case names) and body.

    Status 0: nothing answered.
    """
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        headers = {name.lower(): value for name, value in response.getheaders()}
        return response.status, headers, body
    except OSError:
        return 0, {}, b""
    finally:
        connection.close()


class Reader:
    """A reader's keep-alive connection to one server, reconnecting when it drops."""

    def __init__(self, port: int, host: str = "127.0.0.1", timeout: float = 30) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.connection: http.client.HTTPConnection | None = None

    def get(self, path: str) -> tuple[int, dict, bytes]:
        """GET `path`; return status, headers (lower-case names) and body."""
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=self.timeout
                )
            try:
                self.connection.request("GET", path)
                response = self.connection.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException):
                self.close()
                if attempt == 2:
                    raise
                continue
            headers = {name.lower(): value for name, value in response.getheaders()}
            return response.status, headers, body
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None
