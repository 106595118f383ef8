"""Drive a served site with wrk and account for the CPU it used.

CPU milliseconds per request is the figure to compare first: it barely moves
when other processes share the machine, unlike requests per second. It counts
what the run cost on this machine: the server's processes (gunicorn, Varnish
with the gunicorn behind it, or nginx), the PostgreSQL backends of the
benchmark database, Redis, and wrk itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def process_ticks(pid: int) -> int:
    try:
        data = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    fields = data[data.rindex(")") + 2 :].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def process_tree(roots: list[int]) -> set[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                data = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(data[data.rindex(")") + 2 :].split()[1])
    tree = {pid for pid in roots if pid in parents}
    grew = True
    while grew:
        children = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= children
        grew = bool(children)
    return tree


def machine_busy_ticks() -> tuple[int, int]:
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return sum(values), sum(values) - values[3] - values[4]


@dataclass
class Run:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    cpu_ms_per_request: float
    machine_busy_percent: float
    # Answers Varnish gave from its cache and the others, where the script counts them.
    hits: int | None = None
    misses: int | None = None


def run_wrk(
    url: str,
    concurrency: int,
    seconds: int,
    *,
    paths: Path | None,
    server_pids: list[int],
    backend_pids,
    script: str | None = None,
) -> Run:
    """Run wrk against `url` (spread over `paths` if given) and measure its cost.

    `script` is one of the Lua scripts beside this module; by default
    wrk_paths.lua with `paths`, wrk_report.lua without.
    """
    ours = process_tree(server_pids) | backend_pids()
    before = {pid: process_ticks(pid) for pid in ours}
    command = ["wrk", "-t2", f"-c{concurrency}", f"-d{seconds}s", "--timeout", "10s"]
    script = script or ("wrk_paths.lua" if paths else "wrk_report.lua")
    command += ["-s", str(HERE / script), url]
    if paths:
        command += ["--", str(paths)]
    total0, busy0 = machine_busy_ticks()
    children0 = os.times()
    started = time.monotonic()
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    elapsed = time.monotonic() - started
    children1 = os.times()
    total1, busy1 = machine_busy_ticks()
    # Workers or backends that appeared during the run count from zero.
    after = process_tree(server_pids) | backend_pids()
    # A process that ended during the run (a database backend, say) reads as zero:
    # its CPU since the start is lost rather than counted negative.
    ticks = sum(max(0, process_ticks(pid) - before.get(pid, 0)) for pid in after | set(before))
    wrk_seconds = (children1.children_user - children0.children_user) + (
        children1.children_system - children0.children_system
    )
    report = json.loads(next(line for line in output.splitlines() if line.startswith("{")))
    requests = report["requests"]
    cpu_seconds = ticks / TICKS_PER_SECOND + wrk_seconds
    counted = report["hits"] + report["misses"] > 0
    return Run(
        requests=requests,
        seconds=round(elapsed, 2),
        rps=round(requests / (report["duration_us"] / 1e6), 1),
        p50_ms=round(report["p50_us"] / 1000, 2),
        p99_ms=round(report["p99_us"] / 1000, 2),
        errors=report["errors"] + report["non_2xx_3xx"],
        cpu_ms_per_request=round(1000 * cpu_seconds / max(1, requests), 3),
        machine_busy_percent=round(
            100 * (os.cpu_count() or 1) * (busy1 - busy0) / max(1, total1 - total0), 1
        ),
        hits=report["hits"] if counted else None,
        misses=report["misses"] if counted else None,
    )
