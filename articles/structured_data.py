"""Machine-readable descriptions of a story: schema.org JSON-LD and social preview tags."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.people import display_name
from articles.languages import reader_language
from articles.models import Article
from images.models import SHARE_WIDTH, Image, Rendition


def absolute(path: str) -> str:
    """Return the public absolute URL of a site path (an absolute URL stays as it is)."""
    if path.startswith(("https://", "http://")):
        return path
    return settings.SITE_URL + path


# The logo shipped in static/: Google asks for a PNG or JPEG at least 112 pixels wide.
LOGO_PATH, LOGO_WIDTH, LOGO_HEIGHT = "logo.png", 512, 512


def iso_time(value: datetime | date | None) -> str:
    """Return `value` as ISO 8601 to the second, in the site's time zone ("" for None).

    Stored times carry microseconds; HTML's `datetime` attribute allows at most
    three digits of a fraction, and schema.org readers expect whole seconds.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def logo() -> dict:
    """Return the schema.org `ImageObject` of the site's logo."""
    url = absolute(static(LOGO_PATH))
    return {
        "@type": "ImageObject",
        "url": url,
        "contentUrl": url,
        "width": LOGO_WIDTH,
        "height": LOGO_HEIGHT,
    }


def publisher() -> dict:
    """Return the schema.org `NewsMediaOrganization` that publishes the site."""
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.NEWSROOM_SITE_NAME,
        "url": absolute("/"),
        "logo": logo(),
    }


# What a list page's description says, by the kind of list; %(title)s is its subject's name.
LIST_DESCRIPTIONS = {
    "": _("The latest stories from %(site)s: news from the agency desk and its sources."),
    "Section": _("The latest %(title)s stories from %(site)s."),
    "Topic": _("The latest stories on %(title)s from %(site)s."),
    "Source": _("The latest stories from %(title)s, as published by %(site)s."),
    "Author": _("The latest stories by %(title)s for %(site)s."),
    "Search": _(
        "Search every story published by %(site)s by words, topic, source, section and date."
    ),
}


def list_description(
    kind: str = "", title: str = "", subject_description: str = "", page: int = 1
) -> str:
    """Return the meta description of a list of stories (the home page when `kind` is "").

    A subject's own description comes first; later pages say which page they are,
    so no two pages share a description.
    """
    template = LIST_DESCRIPTIONS.get(kind, LIST_DESCRIPTIONS[""])
    text = subject_description.strip() or template % {
        "title": title,
        "site": settings.NEWSROOM_SITE_NAME,
    }
    if len(text) > 200:
        text = text[:199].rstrip() + "…"
    if page > 1:
        return gettext("%(description)s Page %(number)s.") % {"description": text, "number": page}
    return text


def collection_page(
    title: str,
    path: str,
    description: str,
    stories: list[Article],
    page_type: str = "CollectionPage",
) -> dict:
    """Return the schema.org `CollectionPage` of a list of stories, listing them in order.

    `page_type` may name a subtype, e.g. `SearchResultsPage`.

    Reads only each story's headline and address: no queries.
    """
    url = absolute(path)
    return {
        "@context": "https://schema.org",
        "@type": page_type,
        "@id": url,
        "url": url,
        "name": title,
        "description": description,
        "inLanguage": reader_language(),
        "isPartOf": {"@type": "WebSite", "name": settings.NEWSROOM_SITE_NAME, "url": absolute("/")},
        "publisher": publisher(),
        "mainEntity": {
            "@type": "ItemList",
            "itemListOrder": "https://schema.org/ItemListOrderDescending",
            "numberOfItems": len(stories),
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": position,
                    "url": absolute(story.get_absolute_url()),
                    "name": story.headline,
                }
                for position, story in enumerate(stories, start=1)
            ],
        },
    }


def news_article(article: Article) -> dict:
    """Return the schema.org `NewsArticle` for a story (shown as JSON-LD on its page).

    Reads only what the article page has already loaded (source, section,
    lead photo, authors, public topics): no extra queries. A preview of a story never
    published gives its creation time as the publication date.
    """
    url = absolute(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": article.headline[:110],
        "datePublished": iso_time(
            article.first_published_at or article.publish_at or article.created_at
        ),
        "dateModified": iso_time(article.last_changed),
        "author": [
            {
                "@type": "Person",
                "name": display_name(author),
                "url": absolute(reverse("articles:author", kwargs={"pk": author.pk})),
            }
            for author in article.authors.all()
        ],
        "publisher": publisher(),
        "inLanguage": article.language,
        "isAccessibleForFree": True,
    }
    if article.standfirst:
        data["description"] = article.standfirst
    if article.dateline:
        data["dateline"] = article.dateline
    if article.section:
        data["articleSection"] = article.section.local_name
    topics = [topic.local_name for topic in article.public_topics]
    if topics:
        data["keywords"] = topics
    if article.lead_image and article.lead_image.renditions_ready:
        data["image"] = image_objects(article.lead_image)
    if article.source:
        data["sourceOrganization"] = {
            "@type": "Organization",
            "name": article.source.name,
            **({"url": article.source.homepage_url} if article.source.homepage_url else {}),
        }
        if article.source_url:
            data["isBasedOn"] = article.source_url
    return data


def image_objects(image: Image) -> list[dict]:
    """Return the schema.org `ImageObject`s of a ready photo for a story's `image`.

    Google asks for pictures at least 1200 pixels wide in 16:9, 4:3 and 1:1:
    the centre crops that are that wide come first, then the whole photo at
    the size shared on social sites (a small photo has only that one).
    """
    crops = [crop for crop in image.crops if crop.width >= SHARE_WIDTH]
    return [image_object(image, rendition) for rendition in [*crops, image.share_rendition]]


def image_object(image: Image, rendition: Rendition | None = None) -> dict:
    """Return the schema.org `ImageObject` of a photo at `rendition` (the shared size)."""
    share = rendition or image.share_rendition
    data = {
        "@type": "ImageObject",
        "url": absolute(share.url),
        "contentUrl": absolute(share.url),
        "width": share.width,
        "height": share.height,
        "description": image.alt_text,
    }
    if image.caption:
        data["caption"] = image.caption
    if image.credit:
        data["creditText"] = image.credit
    return data
