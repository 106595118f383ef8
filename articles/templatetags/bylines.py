from django import template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext, pgettext

from accounts.people import display_name
from articles.edition_urls import author_url

register = template.Library()


@register.filter
def author_page(author) -> str:
    """Return the address of an author's page: `{{ author|author_page }}`."""
    return author_url(author.pk)


# The name a byline shows: `{{ author|display_name }}`.
register.filter("display_name", display_name)


@register.simple_tag
def byline(authors) -> SafeString:
    """Return a story's byline, each author linked to their page: `{% byline authors %}`.

    "By A, B and C": the words around the names are translated whole, and the
    names are escaped.
    """
    links = [
        format_html('<a class="author" href="{}">{}</a>', author_page(author), display_name(author))
        for author in authors
    ]
    names = links[-1] if links else ""
    if len(links) > 1:
        others = format_html_join(", ", "{}", ((link,) for link in links[:-1]))
        names = format_html("{} {} {}", others, pgettext("list of names", "and"), links[-1])
    # One msgid for both forms in English; languages that inflect "By" get their forms.
    text = ngettext("By %(authors)s", "By %(authors)s", len(links))
    return mark_safe(conditional_escape(text) % {"authors": names})  # noqa: S308 - escaped above
