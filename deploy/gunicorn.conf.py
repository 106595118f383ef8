"""gunicorn for a Newsroom origin: `gunicorn -c deploy/gunicorn.conf.py newsroom.wsgi`.

An origin sits behind a buffering proxy (nginx terminating TLS, then Varnish; see
docs/production.md): they read slow clients and whole request bodies, so a worker
only ever sees complete requests. The values below hold even without them, and each
can be changed from the environment.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Page rendering is CPU-bound Python: two processes per core keep the cores busy
# while one waits on PostgreSQL. Threads let a process go on answering while one of
# its requests waits (the database, a slow client that got past the proxy), so a few
# stuck requests never starve the health check.
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))

# A request running longer than this has its worker restarted; the proxies in front
# wait as long. Statements are cut earlier (below), so this is the last resort.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# A worker is replaced now and then, so that no slow leak can grow without bound.
max_requests = 5000
max_requests_jitter = 500

# Requests that are not plausible browsers are refused before Django sees them.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# Heartbeat files in memory: a busy disk must not make workers look dead.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # "": none

# Only the proxy on this machine may say which scheme and address a client used;
# Django trusts those headers only when BEHIND_PROXY is set as well.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# A web request waits at most this long for a lock and runs at most this long; past
# that it fails fast (an "unavailable, try again" page) instead of hanging the site
# behind, say, a migration's table lock. Read by newsroom/settings.py in each worker.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "15s")
os.environ.setdefault("DATABASE_LOCK_TIMEOUT", "3s")
