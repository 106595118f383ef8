"""Partners: the newspapers, broadcasters and portals the agency delivers its stories to.

A `Partner` takes what its scope allows (sources, sections, languages; none
listed: all). It reads the API with its keys (`PartnerKey`, stored as a digest
and shown once), and may register endpoints (`Endpoint`) to which every change
of a story it may receive is pushed, signed; each attempt is a `Delivery`.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles.languages import language_codes
from articles.models import Article, Section
from sources.models import Source

# Every key starts so: recognisable in a leaked file or a log, by people and scanners.
KEY_PREFIX = "nrp_"
# A key's last use is written at most this often: not a write per request.
LAST_USED_PRECISION = timedelta(minutes=1)


def key_digest(key: str) -> str:
    """Return what is stored of a key: its SHA-256 (a key is random, 256 bits: no salt needed)."""
    return hashlib.sha256(key.encode()).hexdigest()


class Partner(models.Model):
    """An organisation that receives the agency's stories, under its own terms."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("An inactive partner’s keys are refused and nothing is pushed to it."),
    )
    contact = models.CharField(
        _("contact"), max_length=200, blank=True, help_text=_("Who to call when deliveries fail.")
    )
    sources = models.ManyToManyField(
        Source,
        blank=True,
        related_name="+",
        verbose_name=_("sources"),
        help_text=_("Only stories from these sources; none chosen: every source."),
    )
    sections = models.ManyToManyField(
        Section,
        blank=True,
        related_name="+",
        verbose_name=_("sections"),
        help_text=_("Only stories in these sections; none chosen: every section."),
    )
    languages = ArrayField(
        models.CharField(max_length=12),
        blank=True,
        default=list,
        verbose_name=_("languages"),
        help_text=_("Only stories in these languages (codes, e.g. en, uk); none: every language."),
    )
    rate_limit = models.PositiveIntegerField(
        _("rate limit"),
        null=True,
        blank=True,
        help_text=_("API requests per minute for each key; empty: the site’s limit."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        unknown = [code for code in self.languages if code not in language_codes()]
        if unknown:
            raise ValidationError(
                {
                    "languages": gettext("The site has no edition in %(codes)s; it has %(known)s.")
                    % {"codes": ", ".join(unknown), "known": ", ".join(language_codes())}
                }
            )

    @property
    def requests_per_minute(self) -> int:
        return self.rate_limit or settings.NEWSROOM_PARTNER_RATE_LIMIT

    def scope_q(
        self, source_ids: list[int] | None = None, section_ids: list[int] | None = None
    ) -> Q:
        """Return the condition for the stories within this partner's scope.

        `source_ids` and `section_ids` are its sources and sections, when already
        read (`partners.auth.find_key` reads them with the key). The endpoints'
        side of the same rule is `EndpointQuerySet.taking`.
        """
        if source_ids is None:
            source_ids = list(self.sources.values_list("pk", flat=True))
        if section_ids is None:
            section_ids = list(self.sections.values_list("pk", flat=True))
        scope = Q()
        if source_ids:
            scope &= Q(source__in=source_ids)
        if section_ids:
            scope &= Q(section__in=section_ids)
        if self.languages:
            scope &= Q(language__in=self.languages)
        return scope


class PartnerKeyQuerySet(models.QuerySet):
    def active(self) -> PartnerKeyQuerySet:
        return self.filter(revoked_at__isnull=True, partner__is_active=True)


class PartnerKey(models.Model):
    """A key to the API for one partner. Only its digest is kept: it is shown once."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="keys", verbose_name=_("partner")
    )
    name = models.CharField(
        _("name"), max_length=100, blank=True, help_text=_("What it is for, e.g. “web desk”.")
    )
    # The first characters of the key, to tell keys apart; not enough to use one.
    prefix = models.CharField(_("starts with"), max_length=16, editable=False)
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    objects = PartnerKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner key")
        verbose_name_plural = _("partner keys")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.prefix}…"

    @classmethod
    def issue(cls, partner: Partner, name: str = "", user=None) -> tuple[PartnerKey, str]:
        """Create a key for `partner`; return it and the key itself, which is never kept."""
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        issued = cls.objects.create(
            partner=partner,
            name=name,
            prefix=key[: len(KEY_PREFIX) + 6],
            digest=key_digest(key),
            created_by=user if user is not None and user.is_authenticated else None,
        )
        return issued, key

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    def touch(self) -> None:
        """Note the key's use, at most once per `LAST_USED_PRECISION`."""
        now = timezone.now()
        if self.last_used_at is None or now - self.last_used_at >= LAST_USED_PRECISION:
            PartnerKey.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class EndpointQuerySet(models.QuerySet):
    def receiving(self) -> EndpointQuerySet:
        """Return the active endpoints of active partners."""
        return self.filter(is_active=True, partner__is_active=True)

    def taking(self, article: Article) -> EndpointQuerySet:
        """Return the endpoints whose partner's scope takes `article` (`Partner.scope_q`).

        The same rule read the other way round, for every partner in one query: no
        sources chosen or the story's among them; the same for sections; no
        languages listed or the story's among them.
        """
        sources = Partner.sources.through.objects.filter(partner_id=OuterRef("partner_id"))
        sections = Partner.sections.through.objects.filter(partner_id=OuterRef("partner_id"))
        return self.filter(
            ~Exists(sources) | Exists(sources.filter(source_id=article.source_id)),
            ~Exists(sections) | Exists(sections.filter(section_id=article.section_id)),
            Q(partner__languages=[]) | Q(partner__languages__contains=[article.language]),
        )


class Endpoint(models.Model):
    """An address of a partner's that every change of its stories is pushed to."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="endpoints", verbose_name=_("partner")
    )
    url = models.URLField(
        _("URL"),
        max_length=500,
        help_text=_("An https:// address on the public internet that accepts a POST."),
    )
    # Signs every payload (HMAC-SHA256); the partner keeps a copy to check it.
    secret = models.CharField(
        _("signing secret"), max_length=100, default=new_secret, editable=False
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = EndpointQuerySet.as_manager()

    class Meta:
        verbose_name = _("endpoint")
        verbose_name_plural = _("endpoints")
        ordering = ["partner", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "url"], name="endpoint_unique_url"),
        ]

    def __str__(self) -> str:
        return self.url


# Outside the model, so that its check constraint lists these values (`DeliveryStatus.values`).
class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Queued")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed, will retry")
    GIVEN_UP = "given_up", _("Failed, given up")


class Delivery(models.Model):
    """One change of a story pushed to one endpoint: its attempts, and how it went.

    What is sent is the story as it stands when the attempt is made (a retry never
    sends an older state than the last one): `version` and `pub_status` say what
    the last attempt sent.
    """

    class Event(models.TextChoices):
        PUBLISHED = "published", _("Published")
        UPDATED = "updated", _("Updated")
        CORRECTED = "corrected", _("Corrected")
        WITHHELD = "withheld", _("Unpublished")
        CANCELED = "canceled", _("Withdrawn")

    Status = DeliveryStatus

    endpoint = models.ForeignKey(
        Endpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("endpoint")
    )
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="+", verbose_name=_("story")
    )
    event = models.CharField(_("event"), max_length=20, choices=Event.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    version = models.PositiveIntegerField(_("version sent"), null=True, blank=True)
    pub_status = models.CharField(_("publication status sent"), max_length=20, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values),
                name="delivery_status_valid",
            ),
        ]
        indexes = [
            # A partner's deliveries, newest first, in the admin.
            models.Index(fields=["endpoint", "-created_at"], name="delivery_endpoint_idx"),
            # "Has this endpoint received this story?" (who hears of a withdrawal).
            models.Index(fields=["article", "endpoint"], name="delivery_article_idx"),
            # The failed ones, for the admin's filter and the retries.
            models.Index(
                fields=["status", "next_attempt_at"],
                condition=~Q(status="delivered"),
                name="delivery_undelivered_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()}: {self.article_id} → {self.endpoint}"
