"""What keys a rendered story card in the fragment cache (`{% cache %}` in the card templates)."""

from django import template

from articles.models import Article

register = template.Library()


@register.filter
def shown_in_card(article) -> str:
    """Return everything a story's card shows, as one value for `{% cache %}` to vary on.

    The story's row (its `updated_at` moves with every save and correction), and
    the names it shows from other rows: section, source, public topics, byline and
    lead photo. A card kept under this key is right for as long as the key is:
    nothing has to retire it, so any process may keep it. Reads what the story
    has loaded; nothing is queried.
    """
    parts: list[object] = [article.pk, article.updated_at.isoformat()]
    if article.section_id:
        section = article.section
        parts += ["section", section.pk, section.name, section.local_name, section.slug]
    if article.source_id:
        parts += ["source", article.source.pk, article.source.name, article.source.slug]
    # A photo is shown only where it was fetched with the story (a lead card, a page).
    if Article.lead_image.is_cached(article) and article.lead_image:
        parts += ["photo", article.lead_image.pk, article.lead_image.updated_at.isoformat()]
    for topic in getattr(article, "public_topics", ()):
        parts += ["topic", topic.pk, topic.local_name, topic.local_slug]
    for author in getattr(article, "_prefetched_objects_cache", {}).get("authors", ()):
        parts += ["author", author.pk, author.first_name, author.last_name, author.username]
    return "\0".join(map(str, parts))
