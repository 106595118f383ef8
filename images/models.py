"""Photos: the uploaded original and the resized copies pages show."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import cached_property
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from imagekit.models import ImageSpecField
from pilkit.processors import ResizeToFit, Transpose

from images.uploads import read_header

# The widths of the resized copies, for `srcset`. Pages never show the original.
RENDITION_WIDTHS = (480, 800, 1200, 1600)
# Open Graph and schema.org ask for a picture at least 1200 pixels wide.
SHARE_WIDTH = 1200


def original_path(instance: Image, filename: str) -> str:
    """Return where an upload is stored: a random name, so originals cannot be guessed."""
    extension = PurePath(filename).suffix.lower()
    return f"images/originals/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


def rendition(width: int) -> ImageSpecField:
    return ImageSpecField(
        source="file",
        # Turn the picture upright first (cameras record rotation in EXIF);
        # the copies carry no EXIF, so no camera or location data either.
        processors=[Transpose(), ResizeToFit(width=width, upscale=False)],
        format="JPEG",
        options={"quality": 82, "progressive": True},
    )


@dataclass(frozen=True)
class Rendition:
    url: str
    width: int
    height: int


class Image(models.Model):
    """An uploaded photo with what readers need to understand it.

    `width` and `height` are the upright size (after the camera's EXIF
    rotation), read from the file's header when it is uploaded.
    """

    file = models.ImageField("photo", upload_to=original_path, max_length=255)
    alt_text = models.CharField(
        "alternative text",
        max_length=300,
        help_text="What the photo shows, for readers who cannot see it. Required.",
    )
    caption = models.CharField(
        max_length=500, blank=True, help_text="Shown under the photo on the story’s page."
    )
    credit = models.CharField(
        max_length=200, blank=True, help_text="Who took the photo, e.g. “Photo: Ukrinform”."
    )
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    rendition_480 = rendition(480)
    rendition_800 = rendition(800)
    rendition_1200 = rendition(1200)
    rendition_1600 = rendition(1600)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(alt_text=""), name="image_alt_text_not_empty"),
            models.CheckConstraint(
                condition=Q(width__gt=0, height__gt=0), name="image_size_positive"
            ),
        ]
        indexes = [models.Index(fields=["created_at"], name="image_created_idx")]

    def __str__(self) -> str:
        return self.alt_text

    def save(self, *args, **kwargs) -> None:
        if self.file and not (self.width and self.height):
            self.width, self.height = read_header(self.file).upright_size
        super().save(*args, **kwargs)

    @cached_property
    def renditions(self) -> list[Rendition]:
        """Return the resized copies, smallest first, each no wider than the original.

        Only names are computed: the copies were made when the photo was saved.
        """
        result = []
        for width in RENDITION_WIDTHS:
            actual = min(width, self.width)
            result.append(
                Rendition(
                    url=getattr(self, f"rendition_{width}").url,
                    width=actual,
                    height=round(self.height * actual / self.width),
                )
            )
            if actual == self.width:
                break  # Larger copies would be this one again.
        return result

    def srcset(self) -> str:
        return ", ".join(f"{r.url} {r.width}w" for r in self.renditions)

    @property
    def default_rendition(self) -> Rendition:
        """Return the copy for `src`: 800 pixels wide, or the original size if smaller."""
        return self.rendition_for(800)

    @property
    def share_rendition(self) -> Rendition:
        """Return the copy for Open Graph and JSON-LD."""
        return self.rendition_for(SHARE_WIDTH)

    def rendition_for(self, width: int) -> Rendition:
        fitting = [r for r in self.renditions if r.width <= width]
        return fitting[-1] if fitting else self.renditions[0]
