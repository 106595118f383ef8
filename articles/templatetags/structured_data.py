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


@register.filter
def iso_time(value) -> str:
    """Render a time for a `datetime` attribute or a meta tag: ISO 8601 to the second."""
    return structured_data.iso_time(value)


@register.simple_tag(takes_context=True)
def collection_page(context, page_type: str, title: str, description: str, *stories) -> dict:
    """Return the schema.org page of a story list, listing `stories` (stories or lists).

    `{% collection_page "CollectionPage" title description lead articles as data %}`
    """
    listed, seen = [], set()
    for item in stories:
        # A story, a list of them, or "" for a name the page does not have.
        for story in [item] if hasattr(item, "pk") else item or []:
            # A page may name a story twice (its lead is also the first of its list).
            if story.pk not in seen:
                seen.add(story.pk)
                listed.append(story)
    # The page's canonical address: its path, and the page number past the first.
    path = context["request"].path
    page = context.get("page_obj")
    if page is not None and page.number > 1:
        path += f"?page={page.number}"
    return structured_data.collection_page(title, path, description, listed, page_type)


@register.simple_tag
def list_description(kind: str, title: str, subject_description: str, page) -> str:
    """Return the meta description of a list page (see `structured_data.list_description`)."""
    return structured_data.list_description(
        str(kind or ""),
        str(title or ""),
        str(subject_description or ""),
        getattr(page, "number", 1),
    )


@register.simple_tag
def logo_url() -> str:
    """Return the absolute URL of the site's logo (PNG), e.g. for og:image."""
    return structured_data.logo()["url"]
