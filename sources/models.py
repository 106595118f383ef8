from functools import lru_cache

from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse


@lru_cache(maxsize=10_000)
def source_url(slug: str) -> str:
    """Return the address of a source page (remembered: every card shows one)."""
    return reverse("articles:source", kwargs={"slug": slug})


class Source(models.Model):
    """Who reported or issued a story: a news agency, a ministry, an outlet."""

    class Kind(models.TextChoices):
        AGENCY = "agency", "News agency"
        OUTLET = "outlet", "News outlet"
        MINISTRY = "ministry", "Ministry or government body"
        INTERNATIONAL = "international", "International organisation"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.AGENCY)
    homepage_url = models.URLField("homepage", max_length=500, blank=True)
    attribution = models.CharField(
        max_length=200,
        blank=True,
        help_text="How stories credit the source, e.g. “Ukrinform reports”.",
    )
    is_active = models.BooleanField("active", default=True)
    language = models.CharField(
        max_length=35, default="en", help_text="Language of its stories, as a BCP 47 tag (en, uk)."
    )
    country = models.CharField(
        max_length=2, blank=True, help_text="Country, as an ISO 3166 two-letter code (UA)."
    )
    notes = models.TextField(
        "notes for editors", blank=True, help_text="How far to trust it, whom to call, embargoes."
    )

    class Meta:
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
        return source_url(self.slug)

    @property
    def credit(self) -> str:
        """Return the attribution wording, falling back to the source's name."""
        return self.attribution or self.name


class SourceFeed(models.Model):
    """An RSS or Atom feed a source publishes, and how fetching it went last time."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="feeds")
    url = models.URLField("feed URL", max_length=500)
    is_active = models.BooleanField("active", default=True)
    # Conditional GET: what the server said last time, sent back on the next fetch.
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_fetched_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.CharField(max_length=500, blank=True, editable=False)
    last_error_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_report = models.CharField(
        "last run",
        max_length=500,
        blank=True,
        editable=False,
        help_text="What the last ingest did: items taken, filed, skipped over the caps.",
    )

    class Meta:
        ordering = ["source__name", "url"]
        constraints = [
            models.UniqueConstraint(fields=["source", "url"], name="source_feed_url_unique"),
        ]

    def __str__(self) -> str:
        return self.url
