"""Production settings for an origin a test runs under gunicorn, with plain static files.

Everything is `newsroom.settings` as production reads it (DEBUG off, the variables the
test sets), except that static files need no `collectstatic` first: that would take
longer than the tests that use the origin, and static files are not what they test.
"""

from newsroom.settings import *  # noqa: F403
from newsroom.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
