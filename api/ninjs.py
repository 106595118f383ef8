"""Stories as IPTC ninjs 3.1 (News in JSON), the shape syndication partners read.

https://www.iptc.org/std/ninjs/ — camelCase properties, `uri` the only required
one. The output is checked against IPTC's official JSON schema in the tests.
"""

from __future__ import annotations

import nh3
from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Prefetch, QuerySet
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import get_text_list

from accounts.people import display_name
from articles.editions import published_editions
from articles.models import Article
from articles.prefetches import bylines
from images.models import Image, Rendition
from topics.models import Topic, TopicName, topic_url

NINJS_SCHEMA = "https://www.iptc.org/std/ninjs/ninjs-schema_3.1.json"


def absolute(path: str) -> str:
    """Return the public address of a site path (an absolute URL stays as it is)."""
    if path.startswith(("https://", "http://")):
        return path
    return settings.SITE_URL + path


def byline(article: Article) -> str:
    return get_text_list([display_name(a) for a in article.authors.all()], "and")


def topics_in_every_language() -> Prefetch:
    """Return the prefetch of a story's approved topics, with their names in every language.

    A page mixes languages and each item names its topics in its own: the names
    come in the same query, as `topic.other_names` ({"language", "name", "slug"}).
    """
    names = TopicName.objects.filter(topic=OuterRef("pk")).values(
        other_name=JSONObject(language="language", name="name", slug="slug")
    )
    topics = (
        Topic.objects.public()
        .only("id", "name", "slug", "status")
        .annotate(other_names=ArraySubquery(names))
    )
    return Prefetch("topics", queryset=topics, to_attr="public_topics")


def with_ninjs(found: QuerySet[Article]) -> QuerySet[Article]:
    """Fetch with `found`'s stories what a ninjs item reads, in a fixed number of queries."""
    return (
        found.select_related("source", "section", "lead_image")
        .prefetch_related(bylines(), topics_in_every_language())
        .annotate(editions=published_editions())
    )


# What partners are told of a story, by its status: usable, withheld (unpublished, it
# may come back) or canceled (withdrawn or deleted: drop it).
PUB_STATUS = {
    Article.Status.PUBLISHED: "usable",
    Article.Status.UNPUBLISHED: "withheld",
    Article.Status.WITHDRAWN: "canceled",
    Article.Status.DELETED: "canceled",
}


def ninjs(article: Article) -> dict:
    """Return a story as a ninjs 3.1 news item, in the story's language.

    A published story is whole; one taken down is a tombstone (`tombstone`).
    Its addresses (topics, section, authors) are those of the story's edition of
    the site. Reads only what `with_ninjs()` loads (source, section, lead
    photo, bylines, approved topics with their names, the published editions).
    """
    if article.status != Article.Status.PUBLISHED:
        return tombstone(article)
    with translation.override(article.language):
        return news_item(article)


def version_created(article: Article) -> str:
    """When this version was made: when its reader (a partner, `partner_changed` loaded
    from `PARTNER_CHANGED`, or the public) last saw it change, as its list is ordered."""
    return (getattr(article, "partner_changed", None) or article.last_changed).isoformat()


def tombstone(article: Article) -> dict:
    """Return a story taken down as a ninjs item with no content: only what identifies it.

    `pubStatus` says whether it may come back (withheld) or not (canceled); a
    withdrawal's reason is its `descriptions` (role `withdrawal`). The headline and
    text are left out: a story withdrawn for what it said is not sent again.
    """
    item = {
        "standard": {"name": "ninjs", "version": "3.1", "schema": NINJS_SCHEMA},
        "uri": absolute(article.get_absolute_url()),
        "type": "text",
        "representationType": "partial",
        "pubStatus": PUB_STATUS.get(article.status, "canceled"),
        "version": str(article.version),
        "firstCreated": (article.first_published_at or article.created_at).isoformat(),
        "versionCreated": version_created(article),
        "language": article.language,
        "altIds": [{"role": "internal", "value": str(article.pk)}],
    }
    if article.status == Article.Status.WITHDRAWN and article.withdrawal_reason:
        item["descriptions"] = [
            {"role": "withdrawal", "contentType": "text/plain", "value": article.withdrawal_reason}
        ]
    return item


def news_item(article: Article) -> dict:
    plain = " ".join(nh3.clean(article.body, tags=set()).split())
    item = {
        "standard": {"name": "ninjs", "version": "3.1", "schema": NINJS_SCHEMA},
        "uri": absolute(article.get_absolute_url()),
        "type": "text",
        "representationType": "full",
        "firstCreated": (article.first_published_at or article.publish_at).isoformat(),
        "versionCreated": version_created(article),
        "contentCreated": article.created_at.isoformat(),
        "pubStatus": "usable",
        "version": str(article.version),
        "language": article.language,
        "copyrightHolder": settings.NEWSROOM_SITE_NAME,
        "copyrightNotice": f"© {article.publish_at.year} {settings.NEWSROOM_SITE_NAME}",
        "headlines": [{"role": "main", "contentType": "text/plain", "value": article.headline}],
        "bodies": [
            {
                "role": "main",
                "contentType": "text/html",
                "value": article.body,
                "charCount": len(plain),
                "wordCount": len(plain.split()),
            },
        ],
        "altIds": [{"role": "internal", "value": str(article.pk)}],
        "subjects": [subject(topic, article.language) for topic in article.public_topics],
    }
    if article.embargoed and article.publish_at > timezone.now():
        item["embargoedUntil"] = article.publish_at.isoformat()
    if article.section:
        section_uri = absolute(article.section.get_absolute_url())
        item["subjects"].append(
            {"name": article.section.name, "uri": section_uri, "rel": "section"}
        )
    if article.standfirst:
        item["descriptions"] = [
            {"role": "summary", "contentType": "text/plain", "value": article.standfirst}
        ]
    if by := byline(article):
        item["by"] = by
        item["people"] = [
            {
                "name": display_name(author),
                "rel": "author",
                "uri": absolute(reverse("articles:author", kwargs={"pk": author.pk})),
            }
            for author in article.authors.all()
        ]
    if article.dateline:
        item["located"] = article.dateline
    if article.source:
        source = {"name": article.source.name, "role": "originator"}
        if article.source_url or article.source.homepage_url:
            source["uri"] = article.source_url or article.source.homepage_url
        item["infoSources"] = [source]
    associations = [other_edition(row) for row in article.editions if row["pk"] != article.pk]
    if article.lead_image and article.lead_image.renditions_ready:
        associations.insert(0, picture(article.lead_image))
    if associations:
        item["associations"] = associations
    return item


def subject(topic: Topic, language: str) -> dict:
    """Return a topic as a ninjs subject, named as in `language`'s edition, at its page there.

    Reads the names carried by `topics_in_every_language()`; a topic with
    no name in `language` goes by its own.
    """
    name, slug = topic.name, topic.slug
    for other in topic.other_names:
        if other["language"] == language:
            name, slug = other["name"], other["slug"]
    return {"name": name, "uri": absolute(topic_url(language, slug)), "rel": "about"}


def other_edition(row: dict) -> dict:
    """Return another language edition of the same news as a ninjs association.

    ninjs 3.1 has no `links`: the edition is an associated news object, `rel`
    "translation", with its own `language` (as hreflang does on the page), `uri`,
    headline as `name` and id; partners fetch it whole from its id.
    """
    story = Article(pk=row["pk"], slug=row["slug"], language=row["language"])
    return {
        "name": row["headline"],
        "rel": "translation",
        "uri": absolute(story.get_absolute_url()),
        "type": "text",
        "representationType": "partial",
        "language": row["language"],
        "altIds": [{"role": "internal", "value": str(row["pk"])}],
    }


def picture(image: Image) -> dict:
    """Return a ready photo as a ninjs `picture` association with its renditions.

    ninjs 3.x lists renditions as an array of objects, each with its `name`.
    The photo's address is that of its largest copy: photos have no page of their own.
    """
    renditions = image.renditions
    item = {
        "name": "lead-image",
        "rel": "lead-image",
        "uri": absolute(renditions[-1].url),
        "type": "picture",
        "representationType": "full",
        "headlines": [
            {"role": "main", "contentType": "text/plain", "value": image.caption or image.alt_text}
        ],
        "descriptions": [
            {"role": "alt", "contentType": "text/plain", "value": image.alt_text},
        ],
        "renditions": [rendition(r) for r in [*renditions, *image.crops]],
    }
    if image.caption:
        item["descriptions"].insert(
            0, {"role": "caption", "contentType": "text/plain", "value": image.caption}
        )
    if image.credit:
        item["by"] = image.credit
    return item


def rendition(copy: Rendition) -> dict:
    data = {
        "name": copy.name,
        "href": absolute(copy.url),
        "contentType": copy.content_type,
        "width": copy.width,
        "height": copy.height,
    }
    if copy.size_in_bytes is not None:
        data["sizeInBytes"] = copy.size_in_bytes
    if copy.crop:
        data["aspectRatio"] = copy.aspect_ratio
    return data
