import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe

from articles import structured_data

register = template.Library()

# Inside <script> only "</script>" (and "<!--") can end the element early: escape
# the characters that start them, as Django's json_script does.
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def ld_json(value: object) -> SafeString:
    """Render a value as JSON safe to place inside <script type="application/ld+json">."""
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(text.translate(SCRIPT_ESCAPES))  # noqa: S308 - escaped above


@register.filter
def news_article(article) -> dict:
    """Return the schema.org NewsArticle of a story: `{{ article|news_article|ld_json }}`."""
    return structured_data.news_article(article)


@register.filter
def absolute(path: str) -> str:
    """Return the public absolute URL of a site path, e.g. for Open Graph tags."""
    return structured_data.absolute(str(path))
