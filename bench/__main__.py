"""`make bench`: seed (or reuse) the benchmark database, serve, load, measure, report.

What is measured, on gunicorn (2 sync workers) with Redis as the shared cache:
  origin       gunicorn directly, every request rendered (Django keeps no pages)
  front cache  the same gunicorn behind Varnish (deploy.varnish, the production VCL),
               every path read once first so that wrk is answered from the cache
  ceiling      nginx serving a static file the size of the home page, keep-alive on;
               and the floor, Django's hello world (bench/hello.py) on gunicorn
  publish → visible
               stories published from this process through articles.workflow; the
               origin's settings (FRONT_CACHE_URLS) make each purge the benchmark's
               Varnish; time from the commit until home, feed, section, source, topic
               and story pages all show it through Varnish, and whether another
               section's page stays cached (bench.publishing)
  a newsroom at work
               readers on 1,000 URLs drawn by Zipf (s = 1) through Varnish for
               max(30, 6 × BENCH_DURATION) s while a story is published every 10 s;
               the share of answers Varnish gave from its cache (bench.readers)
  publish → partners
               stories published from this process, each pushed to 100 partner
               endpoints on a local receiver by the delivery task run in-process;
               time from the commit until all 100 have it (bench.delivery)
  scale-out    two origins, a replica and photos in S3 (moto) behind Varnish, on the
               demo newsroom: misses through Varnish against one origin, and the
               drills of deploy.scaleout (bench.scaleout; alone: `python -m bench scaleout`)
  in-process   SQL queries per page, timed searches, admin pages, merge and ingest,
               a story page with a photo on local files and in S3
The targets (bench.report) are printed with PASS or MISS and kept in the JSON. Without
varnishd and vmod_xkey (Debian: varnish, varnish-modules) the front-cache parts are
skipped with the reason; without nginx, the ceiling. Stories the benchmark publishes
are deleted at the end of the run (and at the start, after an interrupted one).
Ports: 8400 gunicorn, 8401 hello world, 8402 Varnish, 8403 nginx.

Environment (all optional):
  BENCH_ARTICLES      stories to seed (default 1,000,000)
  BENCH_DATABASE_URL  PostgreSQL server for the benchmark database
                      (default postgres://postgres@127.0.0.1:5432/; the database
                      `newsroom_bench_<articles>` is created there and reused)
  BENCH_REDIS_URL     Redis, the shared cache as in production (default
                      redis://127.0.0.1:6379/9; that database is flushed at the start)
  BENCH_DURATION      seconds of load per page, mode and concurrency (default 10 at a
                      million stories or more, else 3: a small run is a quick look)
  BENCH_CONCURRENCY   wrk connections, space-separated (default "8 32")
  BENCH_PAGES         page kinds to load, comma-separated (default: all)
  BENCH_PUBLISHES     stories timed from publish to visible (default 20)
  BENCH_PEER          a results folder of ../shared/peers/wagtail-news/bench.sh run on
                      this machine: the targets are checked against it (see bench.peer)

Results: one table on stdout and var/bench/results-<time>.json (latest.json too).
`python -m bench seed` only seeds (or finds) the database.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

import psycopg
import redis

from bench import peer, scaleout, seed
from bench.front import (
    ceiling,
    front_cache,
    get,
    nginx_missing,
    varnish_counters,
    varnish_missing,
)
from bench.load import run_wrk
from bench.readers import hit_ratio, zipf_sample
from bench.report import CEILING_PAGE, print_report, scale_out_targets, targets

HERE = Path(__file__).resolve().parent
BASE_DIR = HERE.parent
OUT = BASE_DIR / "var" / "bench"
PORT = 8400
HELLO_PORT = 8401
VARNISH_PORT = 8402
CEILING_PORT = 8403
# A newsroom at work: readers on this many URLs, drawn by Zipf, while a story goes out
# every PUBLISH_EVERY seconds.
READER_URLS = 1000
READER_CONCURRENCY = 32
ZIPF_EXPONENT = 1.0
PUBLISH_EVERY = 10
GUNICORN = [
    str(Path(sys.executable).parent / "gunicorn"),
    "--workers", "2", "--worker-class", "sync", "--backlog", "2048", "--timeout", "60",
]  # fmt: skip


STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.0f} s] {message}", file=sys.stderr, flush=True)


def database_url(server: str, name: str) -> str:
    parts = urlsplit(server)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0:
        raise SystemExit("wrk is missing: apt-get install wrk")
    log("installing wrk (Debian package)")
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False, capture_output=True)
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "update", "-q"], check=True, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, capture_output=True)


def ensure_database(server: str, name: str) -> str:
    with psycopg.connect(database_url(server, "postgres"), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            log(f"creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')
    return database_url(server, name)


def seeded(dsn: str) -> dict | None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_seed "
            "(articles integer PRIMARY KEY, seconds float, seeded_at timestamptz)"
        )
        # Databases seeded before the seed had versions count as version 1.
        conn.execute("ALTER TABLE bench_seed ADD COLUMN IF NOT EXISTS version integer DEFAULT 1")
        row = conn.execute(
            "SELECT articles, seconds, seeded_at, version FROM bench_seed"
        ).fetchone()
    if row is None:
        return None
    return {"articles": row[0], "seconds": row[1], "seeded_at": str(row[2]), "version": row[3]}


def drop_if_seeded_by_another_version(server: str, name: str) -> None:
    """Drop the benchmark database if an older seed filled it: its numbers would not compare."""
    dsn = database_url(server, name)
    seeding = seeded(dsn)
    if seeding is None or seeding["version"] == seed.VERSION:
        return
    log(f"{name} was seeded by version {seeding['version']} of the seed; seeding it again")
    with psycopg.connect(database_url(server, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"nothing answers on port {port}")


@contextmanager
def served(command: list[str], port: int, env: dict[str, str]):
    process = subprocess.Popen(command, env=env, cwd=BASE_DIR, start_new_session=True)
    try:
        wait_for_port(port)
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def backend_pids(dsn: str):
    name = urlsplit(dsn).path.lstrip("/")

    def pids() -> set[int]:
        with psycopg.connect(database_url(dsn, "postgres"), autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", [name]
            ).fetchall()
        return {row[0] for row in rows}

    return pids


def redis_pid(redis_url: str) -> list[int]:
    info = redis.Redis.from_url(redis_url).info("server")
    return [int(info["process_id"])]


def warm(port: int, paths: list[str]) -> None:
    """GET every path once on `port`: a page that fails stops the benchmark."""
    for path in paths:
        try:
            with urlopen(f"http://127.0.0.1:{port}{path}", timeout=120) as response:
                if response.status != 200:
                    raise SystemExit(f"GET {path}: {response.status}")
        except HTTPError as error:
            raise SystemExit(f"GET {path}: {error.code}") from None
        except (TimeoutError, URLError) as error:
            log(f"GET {path}: {error} (the server is still busy with the last run)")


def load_page(
    page: str,
    mode: str,
    port: int,
    file: Path,
    pids: list[int],
    dsn: str,
    concurrencies: list[int],
    duration: int,
) -> list[dict]:
    """Load one page kind on `port` at each concurrency; spread over its paths if several."""
    paths = file.read_text().split()
    url = f"http://127.0.0.1:{port}" + ("" if len(paths) > 1 else paths[0])
    runs = []
    for concurrency in concurrencies:
        log(f"{mode} {page} c={concurrency}")
        run = run_wrk(
            url,
            concurrency,
            duration,
            paths=file if len(paths) > 1 else None,
            server_pids=pids,
            backend_pids=backend_pids(dsn),
        )
        runs.append({"page": page, "mode": mode, "c": concurrency, **asdict(run)})
    return runs


def newsroom(varnish, pids: list[int], dsn: str, duration: int) -> dict:
    """Publish → visible, then a newsroom at work, through the Varnish on VARNISH_PORT."""
    from bench import publishing
    from bench.readers import reader_paths

    desk = publishing.Desk()
    rounds = int(os.environ.get("BENCH_PUBLISHES", "20"))
    log(f"publish → visible: {rounds} stories")
    visible = publishing.publish_to_visible(VARNISH_PORT, desk, rounds=rounds)

    paths = reader_paths(READER_URLS)
    file = OUT / "urls" / "readers.txt"
    file.write_text("\n".join(zipf_sample(paths, 200_000, ZIPF_EXPONENT)) + "\n")
    warm(VARNISH_PORT, paths)
    seconds = max(30, 6 * duration)
    log(f"a newsroom at work: {len(paths):,} URLs by Zipf for {seconds} s, "
        f"a story published every {PUBLISH_EVERY} s")  # fmt: skip
    counters = ("MAIN.cache_hit", "MAIN.cache_miss")
    before = varnish_counters(varnish, *counters)
    publisher = publishing.Publisher(desk, PUBLISH_EVERY)
    publisher.start()
    try:
        run = run_wrk(
            f"http://127.0.0.1:{VARNISH_PORT}",
            READER_CONCURRENCY,
            seconds,
            paths=file,
            server_pids=pids,
            backend_pids=backend_pids(dsn),
            script="wrk_readers.lua",
        )
    finally:
        publisher.stop()
    # Varnish's own count, to check the one wrk made from the X-Cache headers.
    after = varnish_counters(varnish, *counters)
    counted = {
        name.split("_")[-1]: after[name] - before[name]
        for name in counters
        if name in before and name in after
    }
    if publisher.error:
        raise SystemExit(f"publishing during the load failed: {publisher.error!r}")
    # While Varnish runs, so that the deletions' purges reach it.
    log(f"removed the {publishing.remove_desk_stories(front_cache=True)} stories published")
    work = {
        "urls": len(paths),
        "exponent": ZIPF_EXPONENT,
        "c": READER_CONCURRENCY,
        "seconds": seconds,
        "published": publisher.published,
        "requests": run.requests,
        "rps": run.rps,
        "p50_ms": run.p50_ms,
        "p99_ms": run.p99_ms,
        "errors": run.errors,
        "cpu_ms_per_request": run.cpu_ms_per_request,
        "hits": run.hits or 0,
        "misses": run.misses or 0,
        "hit_ratio": hit_ratio(run.hits or 0, run.misses or 0),
        "varnishstat": counted,
    }
    return {"publish_to_visible": visible, "newsroom_at_work": work}


def main() -> None:
    if sys.argv[1:] == ["scaleout"]:
        return main_scaleout()
    articles = int(os.environ.get("BENCH_ARTICLES", "1000000"))
    server = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
    # A small run is a quick look, to be run often; the full one is the record.
    duration = int(os.environ.get("BENCH_DURATION", "10" if articles >= 1_000_000 else "3"))
    concurrencies = [int(c) for c in os.environ.get("BENCH_CONCURRENCY", "8 32").split()]
    wanted = os.environ.get("BENCH_PAGES", "")
    try:
        peer_results = (
            peer.read_results(Path(os.environ["BENCH_PEER"]))
            if os.environ.get("BENCH_PEER")
            else None
        )
    except ValueError as error:
        raise SystemExit(f"BENCH_PEER: {error}") from None
    OUT.mkdir(parents=True, exist_ok=True)
    ensure_wrk()

    name = f"newsroom_bench_{articles}"
    ensure_database(server, name)
    drop_if_seeded_by_another_version(server, name)
    dsn = ensure_database(server, name)
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SITE_URL": f"http://127.0.0.1:{PORT}",
        "DATABASE_URL": dsn,
        "STATIC_ROOT": str(OUT / "static"),
        "CACHE_DIR": str(OUT / "cache"),
        # Publishing from this process purges the benchmark's Varnish.
        "FRONT_CACHE_URLS": f"http://127.0.0.1:{VARNISH_PORT}",
        "LOG_LEVEL": "WARNING",
        "REDIS_URL": redis_url,
    }
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    seeding = seeded(dsn)
    if seeding is None:
        log(f"seeding {articles:,} stories into {urlsplit(dsn).path.lstrip('/')}")
        seconds = seed.seed(dsn, seed.Plan(articles), log=log)
        log(f"seeded in {seconds:.0f} s")
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(
                "INSERT INTO bench_seed (articles, seconds, seeded_at, version) "
                "VALUES (%s, %s, now(), %s)",
                [articles, round(seconds, 1), seed.VERSION],
            )
        seeding = seeded(dsn)
    else:
        log(f"reusing the seeded database ({seeding['articles']:,} stories)")
    if sys.argv[1:] == ["seed"]:
        return
    call_command("collectstatic", interactive=False, verbosity=0)

    from bench import delivery, measure, publishing

    # Stories an interrupted run published would skew this one.
    if removed := publishing.remove_desk_stories(front_cache=False):
        log(f"removed {removed} stories an earlier run published")
    redis.Redis.from_url(redis_url).flushdb()

    files = measure.url_lists(OUT / "urls")
    if wanted:
        files = {page: f for page, f in files.items() if page in wanted.split(",")}
    log("counting SQL queries per page")
    queries = measure.queries_per_page(files)
    log("timing operations in-process")
    operations = measure.operations()
    log("timing the API with and without a partner's key in-process")
    partner_api = measure.partner_api()
    queries |= {page: timing.pop("queries") for page, timing in partner_api.items()}
    operations |= partner_api
    log("timing a story page with a photo: local files, then an S3 bucket (moto)")
    photo_pages = measure.photo_pages() if not scaleout.missing() else None
    log(f"publish → partners: {delivery.ENDPOINTS} endpoints")
    to_partners = delivery.publish_to_partners(
        publishing.Desk(), rounds=int(os.environ.get("BENCH_PUBLISHES", "20"))
    )

    loads, skipped = [], []
    front_missing = varnish_missing()
    if front_missing:
        skipped.append(f"front cache, publish → visible, newsroom at work: {front_missing}")
        log(f"skipping {skipped[-1]}")
    desk_results = {}
    # The origin: every request rendered (no page cache in Django), with the shared
    # cache as in production (the navigation and the stories' rendered parts come from it).
    redis.Redis.from_url(redis_url).flushdb()
    try:
        command = [*GUNICORN, "--bind", f"127.0.0.1:{PORT}", "newsroom.wsgi"]
        with served(command, PORT, env) as gunicorn:
            origin_pids = [gunicorn.pid, *redis_pid(redis_url)]
            for page, file in files.items():
                paths = file.read_text().split()
                # Every path once: errors surface now, and the shared cache fills.
                warm(PORT, paths)
                loads += load_page(page, "origin", PORT, file, origin_pids, dsn, concurrencies,
                                   duration)  # fmt: skip
            status, _, home_page = get("127.0.0.1", PORT, "/")
            if status != 200:
                raise SystemExit(f"GET / answered {status}")
            if not front_missing:
                with front_cache(VARNISH_PORT, PORT, OUT / "varnish") as varnish:
                    pids = [varnish.process.pid, *origin_pids]
                    for page, file in files.items():
                        # Every path once, so that what wrk asks for is in the cache.
                        warm(VARNISH_PORT, file.read_text().split())
                        loads += load_page(page, "front cache", VARNISH_PORT, file, pids, dsn,
                                           concurrencies, duration)  # fmt: skip
                    desk_results = newsroom(varnish, pids, dsn, duration)
    finally:
        # The reused database stays as seeded, even after a failed run.
        if removed := publishing.remove_desk_stories(front_cache=False):
            log(f"removed the {removed} stories the benchmark published")

    if nginx_missing():
        skipped.append(f"ceiling: {nginx_missing()}")
        log(f"skipping {skipped[-1]}")
    else:
        with ceiling(OUT / "ceiling", CEILING_PORT, home_page) as nginx:
            for concurrency in concurrencies:
                log(f"ceiling ({len(home_page):,}-byte file) c={concurrency}")
                run = run_wrk(
                    f"http://127.0.0.1:{CEILING_PORT}/",
                    concurrency,
                    duration,
                    paths=None,
                    server_pids=[nginx.pid],
                    backend_pids=set,
                )
                loads.append({"page": CEILING_PAGE, "mode": "ceiling", "c": concurrency,
                              **asdict(run)})  # fmt: skip

    scale_out = None
    if reason := scaleout.missing():
        skipped.append(f"scale-out stack: {reason}")
        log(f"skipping {skipped[-1]}")
    else:
        scale_out = scaleout.measure(duration)

    hello = [*GUNICORN, "--bind", f"127.0.0.1:{HELLO_PORT}", "bench.hello:application"]
    with served(hello, HELLO_PORT, env) as process:
        for concurrency in concurrencies:
            log(f"hello world c={concurrency}")
            run = run_wrk(
                f"http://127.0.0.1:{HELLO_PORT}/",
                concurrency,
                duration,
                paths=None,
                server_pids=[process.pid],
                backend_pids=set,
            )
            loads.append({"page": "django hello world", "mode": "floor", "c": concurrency,
                          **asdict(run)})  # fmt: skip

    results = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "machine": {
            "cpu": next(
                (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text()
                 .splitlines() if line.startswith("model name")), platform.processor()
            ),
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "postgresql": psycopg.connect(dsn).info.server_version,
            "server": "gunicorn, 2 sync workers; Varnish in front for the front cache",
            "wrk": f"-t2, {duration}s per run",
        },
        "seed": seeding,
        "peer": peer_results,
        "skipped": skipped,
        "queries_per_page": queries,
        "operations": operations,
        "publish_to_partners": to_partners,
        "scale_out": scale_out,
        "photo_pages": photo_pages,
        "load": loads,
        **desk_results,
    }  # fmt: skip
    results["targets"] = targets(results)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for name in (f"results-{stamp}.json", "latest.json"):
        (OUT / name).write_text(json.dumps(results, indent=2) + "\n")
    print_report(results)
    log(f"results in {OUT / f'results-{stamp}.json'}")


def main_scaleout() -> None:
    """`python -m bench scaleout`: only the scale-out stack (no benchmark database needed)."""
    if reason := scaleout.missing():
        raise SystemExit(f"scale-out stack: {reason}")
    OUT.mkdir(parents=True, exist_ok=True)
    ensure_wrk()
    duration = int(os.environ.get("BENCH_DURATION", "5"))
    results = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "scale_out": scaleout.measure(duration),
    }
    results["targets"] = scale_out_targets(results)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    (OUT / f"scaleout-{stamp}.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results["targets"], indent=2))
    log(f"results in {OUT / f'scaleout-{stamp}.json'}")


if __name__ == "__main__":
    main()
