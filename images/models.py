"""Photos: the uploaded original and the resized copies pages show."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from images.renditions import crop_sizes, rendition_key, rendition_name, rendition_sizes
from images.uploads import read_header

# The copy pages show in `src` (and size a placeholder by) is at most this wide.
DEFAULT_WIDTH = 800
# Open Graph and schema.org ask for a picture at least 1200 pixels wide.
SHARE_WIDTH = 1200


def original_path(instance: Image, filename: str) -> str:
    """Return where an upload is stored: a random name, so originals cannot be guessed."""
    extension = PurePath(filename).suffix.lower()
    return f"images/originals/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


@dataclass(frozen=True)
class Rendition:
    url: str
    width: int
    height: int
    name: str = ""  # `800w`, or `1200w-16x9` for a centre crop
    size_in_bytes: int | None = None  # None for copies made before sizes were recorded
    crop: str = ""  # The crop's ratio (`16x9`), or "" for the whole photo
    content_type = "image/jpeg"

    @property
    def aspect_ratio(self) -> str:
        """Return the crop's ratio as `16:9`, or "" for the whole photo."""
        return self.crop.replace("x", ":")


# Outside the model, so that its check constraint lists these values (`RenditionStatus.values`).
class RenditionStatus(models.TextChoices):
    PENDING = "pending", _("being prepared")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")


class Image(models.Model):
    """An uploaded photo with what readers need to understand it.

    `width` and `height` are the upright size (after the camera's EXIF
    rotation), read from the file's header when it is uploaded. The resized
    copies are made afterwards by the task worker; until they are ready
    (`renditions_status`), pages show a placeholder of the photo's shape.
    """

    RenditionStatus = RenditionStatus  # As `Image.RenditionStatus`.

    file = models.ImageField(_("photo"), upload_to=original_path, max_length=255)
    alt_text = models.CharField(
        _("alternative text"),
        max_length=300,
        help_text=_("What the photo shows, for readers who cannot see it. Required."),
    )
    caption = models.CharField(
        _("caption"),
        max_length=500,
        blank=True,
        help_text=_("Shown under the photo on the story’s page."),
    )
    credit = models.CharField(
        _("credit"),
        max_length=200,
        blank=True,
        help_text=_("Who took the photo, e.g. “Photo: Ukrinform”."),
    )
    width = models.PositiveIntegerField(_("width"), editable=False)
    height = models.PositiveIntegerField(_("height"), editable=False)
    renditions_status = models.CharField(
        _("resized copies"),
        max_length=10,
        choices=RenditionStatus,
        default=RenditionStatus.PENDING,
        editable=False,
    )
    renditions_made_at = models.DateTimeField(_("copies made at"), null=True, editable=False)
    renditions_error = models.CharField(
        _("why the copies could not be made"), max_length=500, blank=True, editable=False
    )
    # The size in bytes of each copy by its name (`800w`, `1200w-16x9`), recorded
    # when they are made: feeds give it without asking storage.
    rendition_bytes = models.JSONField(
        _("sizes of the copies"), default=dict, blank=True, editable=False
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(alt_text=""), name="image_alt_text_not_empty"),
            models.CheckConstraint(
                condition=Q(width__gt=0, height__gt=0), name="image_size_positive"
            ),
            models.CheckConstraint(
                condition=Q(renditions_status__in=RenditionStatus.values),
                name="image_renditions_status_valid",
            ),
            # Ready copies say when they were made; a failure says why.
            models.CheckConstraint(
                condition=Q(renditions_status="ready", renditions_made_at__isnull=False)
                | (~Q(renditions_status="ready") & Q(renditions_made_at__isnull=True)),
                name="image_renditions_ready_when_made",
            ),
            models.CheckConstraint(
                condition=(Q(renditions_status="failed") & ~Q(renditions_error=""))
                | (~Q(renditions_status="failed") & Q(renditions_error="")),
                name="image_renditions_failure_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["created_at"], name="image_created_idx"),
            # The photos still waiting for their copies, or whose copies failed.
            models.Index(
                fields=["renditions_status"],
                condition=~Q(renditions_status="ready"),
                name="image_renditions_todo_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.alt_text

    def save(self, *args, **kwargs) -> None:
        """Save; a new file (no size read yet) is measured and its copies queued.

        A file it replaces is deleted from storage with its copies after the commit.

        The copies are made by the task worker once the photo is committed
        (`images.tasks.prepare_renditions`): the upload request only stores
        the original.
        """
        new_file = bool(self.file) and not (self.width and self.height)
        replaced = None
        if new_file and self.pk is not None:
            replaced = Image.objects.filter(pk=self.pk).values_list("file", flat=True).first()
        if new_file:
            self.width, self.height = read_header(self.file).upright_size
            self.renditions_status = self.RenditionStatus.PENDING
            self.renditions_made_at = None
            self.renditions_error = ""
            self.rendition_bytes = {}
        super().save(*args, **kwargs)
        if new_file:
            from images.receivers import delete_files_on_commit
            from images.tasks import queue_renditions

            if replaced and replaced != self.file.name:
                # The replaced original (with its camera data) and its copies go.
                delete_files_on_commit(self.file.storage, replaced)
            queue_renditions(self)

    @property
    def renditions_ready(self) -> bool:
        return self.renditions_status == self.RenditionStatus.READY

    @property
    def renditions(self) -> list[Rendition]:
        """Return the resized copies, smallest first, or none while they are not ready.

        Only names are computed: no query and no storage call.
        """
        if not self.renditions_ready:
            return []
        return [
            self.rendition(width, height)
            for width, height in rendition_sizes(self.width, self.height)
        ]

    @property
    def crops(self) -> list[Rendition]:
        """Return the centre-cropped copies (16:9, 4:3, 1:1), or none while they are not ready.

        Only names are computed: no query and no storage call.
        """
        if not self.renditions_ready:
            return []
        return [
            self.rendition(c.width, c.height, c.ratio) for c in crop_sizes(self.width, self.height)
        ]

    def rendition(self, width: int, height: int, crop: str = "") -> Rendition:
        name = rendition_key(width, crop)
        return Rendition(
            self.file.storage.url(rendition_name(self.file.name, width, crop)),
            width,
            height,
            name=name,
            size_in_bytes=(self.rendition_bytes or {}).get(name),
            crop=crop,
        )

    def srcset(self) -> str:
        return ", ".join(f"{r.url} {r.width}w" for r in self.renditions)

    @property
    def display_size(self) -> tuple[int, int]:
        """Return the size pages give the photo, or its placeholder (the `src` copy's)."""
        fitting = [s for s in rendition_sizes(self.width, self.height) if s[0] <= DEFAULT_WIDTH]
        return fitting[-1]

    @property
    def default_rendition(self) -> Rendition | None:
        """Return the copy for `src`: 800 pixels wide, or the original size if smaller."""
        return self.rendition_for(DEFAULT_WIDTH)

    @property
    def share_rendition(self) -> Rendition | None:
        """Return the copy for Open Graph and JSON-LD."""
        return self.rendition_for(SHARE_WIDTH)

    def rendition_for(self, width: int) -> Rendition | None:
        """Return the widest copy no wider than `width` (the smallest if all are wider)."""
        renditions = self.renditions
        fitting = [r for r in renditions if r.width <= width]
        return fitting[-1] if fitting else (renditions[0] if renditions else None)
