from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.text import slugify
from taggit.models import TagBase


class Topic(TagBase):
    """A subject stories are tagged with: a person, a place, an organisation, a theme.

    Built on django-taggit's `TagBase` so that `TaggableManager` works with it;
    taggit's own `Tag` table is not installed.
    """

    slug = models.SlugField(
        max_length=100,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text="Part of the topic page’s URL; made from the name when left empty.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            # "Russia" and "russia" are one topic; taggit's lookups are made
            # case-insensitive by TAGGIT_CASE_INSENSITIVE, the database enforces it.
            models.UniqueConstraint(Lower("name"), name="topic_name_ci_unique"),
            models.CheckConstraint(condition=~models.Q(name=""), name="topic_name_not_empty"),
            models.CheckConstraint(condition=~models.Q(slug=""), name="topic_slug_not_empty"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("articles:topic", kwargs={"slug": self.slug})

    def slugify(self, tag: str, i: int | None = None) -> str:
        """Return a URL slug for `tag`, with `-i` appended to break a tie.

        Slugs keep non-Latin letters ("Вишиванка" gives "вишиванка"), and a name
        made only of punctuation still gets a usable slug.
        """
        slug = slugify(tag, allow_unicode=True)[:90].strip("-") or "topic"
        return slug if i is None else f"{slug}-{i}"
