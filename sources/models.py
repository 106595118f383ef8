from functools import lru_cache

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _


@lru_cache(maxsize=10_000)
def source_url(slug: str, language: str) -> str:
    """Return the address of a source page in an edition (remembered: every card shows one)."""
    with translation.override(language):
        return reverse("articles:source", kwargs={"slug": slug})


class Source(models.Model):
    """Who reported or issued a story: a news agency, a ministry, an outlet."""

    class Kind(models.TextChoices):
        AGENCY = "agency", _("News agency")
        OUTLET = "outlet", _("News outlet")
        MINISTRY = "ministry", _("Ministry or government body")
        INTERNATIONAL = "international", _("International organisation")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.AGENCY)
    homepage_url = models.URLField(_("homepage"), max_length=500, blank=True)
    attribution = models.CharField(
        _("attribution"),
        max_length=200,
        blank=True,
        help_text=_("How stories credit the source, e.g. “Ukrinform reports”."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    language = models.CharField(
        _("language"),
        max_length=35,
        default="en",
        help_text=_("Language of its stories, as a BCP 47 tag (en, uk)."),
    )
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        help_text=_("Country, as an ISO 3166 two-letter code (UA)."),
    )
    notes = models.TextField(
        _("notes for editors"),
        blank=True,
        help_text=_("How far to trust it, whom to call, embargoes."),
    )

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="source_name_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=["agency", "outlet", "ministry", "international", "other"]
                ),
                name="source_kind_valid",
            ),
            models.CheckConstraint(condition=~models.Q(slug=""), name="source_slug_not_empty"),
            models.CheckConstraint(
                condition=models.Q(country="") | models.Q(country__regex=r"^[A-Z]{2}$"),
                name="source_country_iso_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return source_url(self.slug, translation.get_language() or settings.LANGUAGE_CODE)

    @property
    def credit(self) -> str:
        """Return the attribution wording, falling back to the source's name."""
        return self.attribution or self.name


class SourceFeed(models.Model):
    """An RSS or Atom feed a source publishes, and how fetching it went last time."""

    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="feeds", verbose_name=_("source")
    )
    url = models.URLField(_("feed URL"), max_length=500)
    is_active = models.BooleanField(_("active"), default=True)
    # A source may publish a feed per language (an agency's English and Ukrainian wires).
    language = models.CharField(
        _("language"),
        max_length=35,
        blank=True,
        help_text=_("Language of the feed’s stories, as a BCP 47 tag; empty for the source’s."),
    )
    # Conditional GET: what the server said last time, sent back on the next fetch.
    etag = models.CharField(_("etag"), max_length=500, blank=True, editable=False)
    last_modified = models.CharField(_("last modified"), max_length=100, blank=True, editable=False)
    last_fetched_at = models.DateTimeField(
        _("last fetched at"), null=True, blank=True, editable=False
    )
    last_success_at = models.DateTimeField(
        _("last success at"), null=True, blank=True, editable=False
    )
    last_error = models.CharField(_("last error"), max_length=500, blank=True, editable=False)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True, editable=False)
    last_report = models.CharField(
        _("last run"),
        max_length=500,
        blank=True,
        editable=False,
        help_text=_("What the last ingest did: items taken, filed, skipped over the caps."),
    )

    class Meta:
        verbose_name = _("source feed")
        verbose_name_plural = _("source feeds")
        ordering = ["source__name", "url"]
        constraints = [
            models.UniqueConstraint(fields=["source", "url"], name="source_feed_url_unique"),
        ]

    def __str__(self) -> str:
        return self.url
