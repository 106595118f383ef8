"""The language editions of the site in templates: the switcher and Open Graph locales."""

from django import template
from django.conf import settings

from articles.edition_urls import edition_url
from articles.languages import language_codes, language_name, locale_name, reader_language

register = template.Library()


@register.filter
def og_locale(code: str) -> str:
    """Return the Open Graph locale of a language code ("uk" → "uk_UA")."""
    return locale_name(code)


@register.simple_tag
def edition_links(alternates=None) -> list[dict]:
    """Return a link to each edition: this page there when it has one, else its home page."""
    pages = dict(alternates or ())
    links = []
    for code in language_codes():
        if code in pages:
            url = pages[code].removeprefix(settings.SITE_URL)
        else:
            url = edition_url("articles:home", code)
        links.append(
            {
                "code": code,
                "name": language_name(code),
                "url": url,
                "current": code == reader_language(),
            }
        )
    return links
