from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.languages import validate_language


class Preferences(models.Model):
    """What a staff member chose for themselves: the language of their admin screens."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="preferences",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("admin language"),
        max_length=12,
        blank=True,
        validators=[validate_language],
        help_text=_("The language of the admin screens; empty for the browser’s."),
    )

    class Meta:
        verbose_name = _("preferences")
        verbose_name_plural = _("preferences")

    def __str__(self) -> str:
        return str(self.user)
