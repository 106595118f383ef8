"""What the Content-Security-Policy needs beyond its settings.

The policy itself is in `newsroom/settings.py`; here are the nonce for the admin's
form media (the prose editor's import map is an inline script) and the endpoint
browsers report violations to, which logs them.
"""

from __future__ import annotations

import json
import logging
import time

from csp.decorators import csp_update
from django.core.cache import cache
from django.forms import Media as FormMedia
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from js_asset import Media

logger = logging.getLogger("django.security.csp")

# A violation report is a few hundred bytes; anything much larger is not one.
REPORT_MAX_BYTES = 16 * 1024
# Reports logged per minute across the site; past that they are only counted, so that a
# page with a violation seen by every reader (or a flood of fake reports) cannot fill
# the logs. The first report of a minute past the limit says how many were dropped.
REPORTS_LOGGED_PER_MINUTE = 60
# The fields of a report worth a log line, each cut to a sane length.
REPORT_FIELDS = (
    "document-uri",
    "violated-directive",
    "effective-directive",
    "blocked-uri",
    "source-file",
    "line-number",
    "script-sample",
    "disposition",
)
FIELD_MAX_CHARS = 300

# The base stylesheet that Tiptap (inside django-prose-editor 0.28.0) adds to the page as
# a <style> element when an editor starts: ProseMirror's white-space rules, without
# which spaces typed at the end of a line vanish. Allowed by the hash of its text, on
# the pages with an editor only; a new version of the editor may change the text (the
# browser test of the story form reports it, and tests/newsroom/test_csp.py gives the
# new hash).
PROSE_EDITOR_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"
prose_editor_styles = csp_update({"style-src": [PROSE_EDITOR_STYLE_HASH]})


def media_with_nonce(media: FormMedia, request: HttpRequest) -> Media:
    """Return a copy of `media` whose tags carry the request's CSP nonce.

    Only for pages that are never cached (the admin): a nonce in a page kept by the
    front cache would be the same for every reader.
    """
    return Media.from_media(media, nonce=request.csp_nonce)


def _violations(payload: object) -> list[dict]:
    """The violations in a report-uri body (`{"csp-report": {...}}`) or a Reporting API one."""
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        return [payload["csp-report"]]
    if isinstance(payload, list):
        # application/reports+json: camelCase names in each report's "body".
        names = {
            "documentURL": "document-uri",
            "effectiveDirective": "effective-directive",
            "blockedURL": "blocked-uri",
            "sourceFile": "source-file",
            "lineNumber": "line-number",
            "sample": "script-sample",
            "disposition": "disposition",
        }
        return [
            {names[key]: value for key, value in report["body"].items() if key in names}
            for report in payload
            if isinstance(report, dict)
            and report.get("type") == "csp-violation"
            and isinstance(report.get("body"), dict)
        ]
    return []


def _may_log() -> bool:
    """Count this report in the current minute; say whether it is within the limit."""
    key = f"csp-reports:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # The key expired between add and incr (or the cache is down).
        return True
    if count == REPORTS_LOGGED_PER_MINUTE + 1:
        logger.warning(
            "More than %d CSP violation reports this minute: the rest are not logged.",
            REPORTS_LOGGED_PER_MINUTE,
        )
    return count <= REPORTS_LOGGED_PER_MINUTE


@csrf_exempt  # Browsers send reports without a token, from any page of the site.
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Log the Content-Security-Policy violations a browser reports; answer 204."""
    body = request.read(REPORT_MAX_BYTES + 1)
    if len(body) > REPORT_MAX_BYTES:
        return HttpResponse("Report too large.\n", status=413, content_type="text/plain")
    try:
        violations = _violations(json.loads(body))
    except (UnicodeDecodeError, json.JSONDecodeError):
        violations = []
    if not violations:
        return HttpResponse("Not a CSP violation report.\n", status=400, content_type="text/plain")
    for violation in violations:
        if not _may_log():
            break
        fields = {
            name: str(violation[name])[:FIELD_MAX_CHARS]
            for name in REPORT_FIELDS
            if violation.get(name) not in (None, "")
        }
        logger.warning("CSP violation: %s", json.dumps(fields, sort_keys=True))
    return HttpResponse(status=204)
