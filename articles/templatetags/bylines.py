from django import template

from articles.models import author_url

register = template.Library()


@register.filter
def author_page(author) -> str:
    """Return the address of an author's page: `{{ author|author_page }}`."""
    return author_url(author.pk)


@register.filter
def display_name(author) -> str:
    """Return the name a byline shows: the full name, or else the user name."""
    return author.get_full_name() or author.get_username()
