"""Machine-readable descriptions of a story: schema.org JSON-LD and social preview tags."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from articles.models import Article
from images.models import SHARE_WIDTH, Image, Rendition


def absolute(path: str) -> str:
    """Return the public absolute URL of a site path (an absolute URL stays as it is)."""
    if path.startswith(("https://", "http://")):
        return path
    return settings.SITE_URL + path


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
        "datePublished": (
            article.first_published_at or article.publish_at or article.created_at
        ).isoformat(),
        "dateModified": article.last_changed.isoformat(),
        "author": [
            {
                "@type": "Person",
                "name": author.get_full_name() or author.get_username(),
                "url": absolute(reverse("articles:author", kwargs={"pk": author.pk})),
            }
            for author in article.authors.all()
        ],
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": settings.NEWSROOM_SITE_NAME,
            "url": absolute("/"),
        },
        "inLanguage": "en",
        "isAccessibleForFree": True,
    }
    if article.standfirst:
        data["description"] = article.standfirst
    if article.dateline:
        data["dateline"] = article.dateline
    if article.section:
        data["articleSection"] = article.section.name
    topics = [topic.name for topic in article.public_topics]
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
