from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from articles.models import Section


def sections(request: HttpRequest) -> dict:
    """Expose the sections for the site navigation, queried only if a page shows them."""
    return {"nav_sections": SimpleLazyObject(lambda: list(Section.objects.all()))}
