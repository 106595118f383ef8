"""Where the admin is served: the ADMIN_PATH variable, read the same way by every part.

Settings (the URLconf, robots.txt) and `make stack` (the front cache's pass rule) both
read it through `admin_path()`, so the origin and Varnish always agree. This module
imports nothing from Django: deploy/ uses it without settings.
"""

from __future__ import annotations

import re

DEFAULT = "admin/"
# Path segments of letters, digits and `-._~`: nothing a URL would need to escape,
# nothing special in a URL pattern, and `.` the only character special in a regex.
SEGMENTS = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*")


def admin_path(value: str | None) -> str:
    """Return the admin's URL prefix without a leading slash and with a trailing one.

    `value` is ADMIN_PATH as set (`desk`, `/desk/`, `office/desk`); empty or None
    gives the default, `admin/`. Raise ValueError for anything else.
    """
    value = (value or "").strip().strip("/")
    if not value:
        return DEFAULT
    if not SEGMENTS.fullmatch(value):
        raise ValueError(
            f"ADMIN_PATH must be path segments of letters, digits and -._~, not {value!r}"
        )
    return value + "/"


def admin_url_pattern(prefix: str) -> str:
    """Return a regex (for VCL) matching every URL under the admin prefix `prefix`."""
    return "^/" + re.escape(prefix.rstrip("/")) + r"(/|\?|$)"
