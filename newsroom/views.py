from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from articles.languages import language_codes
from newsroom import health


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Say, in JSON, the state of each part the site depends on: 200 while readers can be
    served, 503 when they cannot (see `newsroom.health`).

    `?part=database` checks only what pages cannot be served without: the front cache
    probes that, so a Redis outage does not take an origin that still serves pages away.
    """
    part = request.GET.get("part")
    if part is not None and part not in health.CHECKS:
        parts = ", ".join(health.CHECKS)
        message = f"Unknown part {part!r}; the parts are: {parts}."
        return JsonResponse({"status": "error", "error": message}, status=400)
    report, serving = health.report([part] if part else list(health.CHECKS))
    return JsonResponse(report, status=200 if serving else 503)


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Keep crawlers out of the editorial back office and point them at each edition's sitemap."""
    sitemaps = []
    for code in language_codes():
        with translation.override(code):
            sitemaps.append(f"Sitemap: {settings.SITE_URL}{reverse('articles:sitemap_index')}")
    admin = reverse("admin:index")
    lines = ["User-agent: *", f"Disallow: {admin}", "", *sitemaps, ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
def security_txt(request: HttpRequest) -> HttpResponse:
    """Tell security researchers whom to write to (RFC 9116).

    `Expires` is a year ahead of each answer, so a served file never goes stale.
    """
    contact = settings.NEWSROOM_SECURITY_CONTACT or (
        f"mailto:security@{urlsplit(settings.SITE_URL).hostname}"
    )
    if ":" not in contact:  # A bare address; the field takes a URI.
        contact = f"mailto:{contact}"
    expires = datetime.now(UTC) + timedelta(days=365)
    lines = [
        f"Contact: {contact}",
        f"Expires: {expires:%Y-%m-%dT%H:%M:%SZ}",
        f"Canonical: {settings.SITE_URL}{reverse('security_txt')}",
        "Preferred-Languages: en",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
