from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse


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
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:source", kwargs={"slug": self.slug})

    @property
    def credit(self) -> str:
        """Return the attribution wording, falling back to the source's name."""
        return self.attribution or self.name
