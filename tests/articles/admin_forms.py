"""What the admin's story form posts, for tests that drive the admin like a browser."""

from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import SectionFactory, SourceFactory

CHANGELIST = reverse("admin:articles_article_changelist")
ADD = reverse("admin:articles_article_add")
INLINES = ("pins", "corrections")


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def split_datetime(prefix: str, value) -> dict:
    if value is None:
        return {f"{prefix}_0": "", f"{prefix}_1": ""}
    value = timezone.localtime(value)
    return {f"{prefix}_0": value.strftime("%Y-%m-%d"), f"{prefix}_1": value.strftime("%H:%M:%S")}


def empty_inlines() -> dict:
    data = {}
    for inline in INLINES:
        data |= {f"{inline}-TOTAL_FORMS": "0", f"{inline}-INITIAL_FORMS": "0"}
    return data


def new_article_form(**overrides) -> dict:
    """The add form of a new story, filled in."""
    data = {
        "headline": "Grain ships leave Odesa",
        "slug": "",
        "standfirst": "Three ships left port.",
        "body": "<p>Three ships left port in the morning.</p>",
        "dateline": "Odesa",
        "lead_image": "",
        "source": SourceFactory().pk,
        "source_url": "",
        "section": SectionFactory().pk,
        "topics": "Grain exports, Odesa",
        "language": "en",
        "status": "draft",
        "transition_note": "",
        **split_datetime("publish_at", None),
        **empty_inlines(),
    }
    data.update(overrides)
    return data


def article_form(article: Article, **overrides) -> dict:
    """The change form of `article` as the admin shows it now, with `overrides` typed in."""
    article.refresh_from_db()
    data = {
        "headline": article.headline,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
        "dateline": article.dateline,
        "version": str(article.version),
        "lead_image": article.lead_image_id or "",
        "authors": [user.pk for user in article.authors.all()],
        "source": article.source_id or "",
        "source_url": article.source_url,
        "section": article.section_id or "",
        "topics": ", ".join(sorted(article.topics.names())),
        "language": article.language,
        "status": article.status,
        "transition_note": "",
        **split_datetime("publish_at", article.publish_at),
        **empty_inlines(),
    }
    if "publish_at" in overrides:
        data |= split_datetime("publish_at", overrides.pop("publish_at"))
    data.update(overrides)
    return data
