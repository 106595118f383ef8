from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    """Expose the site's name and absolute address (for canonical links) to templates."""
    return {"site_name": settings.NEWSROOM_SITE_NAME, "site_url": settings.SITE_URL}
