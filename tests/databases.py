"""Addresses of the database the suite runs on, for the processes tests start."""

from urllib.parse import quote

from django.db import connection


def database_url(name: str | None = None) -> str:
    """A DATABASE_URL for database `name` (default: the test database) on the suite's server.

    The embedded server listens on a socket folder, which goes in the host part
    percent-encoded.
    """
    db = connection.settings_dict
    host = quote(str(db["HOST"] or "localhost"), safe="")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{quote(db['USER'])}{password}@{host}{port}/{name or db['NAME']}"
