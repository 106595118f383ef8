"""Wire copy: items filed from the sources' feeds, waiting in the inbox for someone to take."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.people import display_name
from articles import workflow
from articles.languages import site_language
from articles.models import Article
from sources.models import Source, SourceFeed
from topics.models import Topic


def story_language(source: Source, feed: SourceFeed | None = None) -> str:
    """Return the language of a story taken from `source`'s copy, from `feed` if known.

    The feed's language, else the source's, when the site has an edition in it
    ("uk-UA" is "uk"); otherwise the default, for an editor to set.
    """
    for tag in (feed.language if feed is not None else "", source.language):
        if tag and (language := site_language(tag)):
            return language
    return settings.LANGUAGE_CODE


class WireItem(models.Model):
    """One story from a source's feed, as the source wrote it.

    Filed once per source and GUID (or link, for items without a GUID): the
    database refuses a second copy, so fetching a feed again files nothing twice.
    """

    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="wire_items", verbose_name=_("source")
    )
    feed = models.ForeignKey(
        SourceFeed,
        on_delete=models.SET_NULL,
        related_name="wire_items",
        null=True,
        blank=True,
        verbose_name=_("feed"),
    )
    guid = models.CharField(_("GUID"), max_length=500)
    link = models.URLField(_("original story URL"), max_length=500, blank=True)
    headline = models.CharField(_("headline"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True, help_text=_("Cleaned HTML."))
    byline = models.CharField(_("byline"), max_length=200, blank=True)
    published_at = models.DateTimeField(
        _("published at"), null=True, blank=True, help_text=_("As the feed says.")
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=False)
    categories = ArrayField(
        models.CharField(max_length=100), default=list, blank=True, verbose_name=_("categories")
    )
    topics = models.ManyToManyField(
        Topic, related_name="wire_items", blank=True, verbose_name=_("topics")
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("taken by"),
    )
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    article = models.OneToOneField(
        Article,
        on_delete=models.SET_NULL,
        related_name="wire_item",
        null=True,
        blank=True,
        verbose_name=_("article"),
    )

    class Meta:
        verbose_name = _("wire item")
        verbose_name_plural = _("wire items")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "guid"], name="wire_item_source_guid_unique"),
            models.CheckConstraint(condition=~Q(guid=""), name="wire_item_guid_not_empty"),
            models.CheckConstraint(
                condition=Q(taken_by__isnull=True) | Q(taken_at__isnull=False),
                name="wire_item_taken_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["received_at"], name="wire_item_inbox_idx"),
            models.Index(fields=["source", "received_at"], name="wire_item_source_inbox_idx"),
        ]
        permissions = [("take_wireitem", "Can take wire copy to write a story")]

    def __str__(self) -> str:
        return self.headline

    def take(self, user) -> Article:
        """Turn this item into a draft with `user` on the byline; once only."""
        with transaction.atomic():
            item = WireItem.objects.select_for_update().get(pk=self.pk)
            if item.taken_at is not None:
                who = display_name(item.taken_by) if (item.taken_by) else gettext("someone")
                raise ValidationError(
                    gettext("“%(headline)s” was already taken by %(person)s.")
                    % {"headline": item.headline, "person": who}
                )
            # A draft like any other: its creator, byline, first transition and revision.
            article = workflow.create_draft(
                user,
                comment=gettext("Taken from the wire"),
                authors=[user],
                # Turned-down names stay off the story; proposals go along, still pending.
                topics=list(item.topics.exclude(status=Topic.Status.REJECTED)),
                headline=item.headline[:255],
                standfirst=item.summary,
                body=item.body,
                source=item.source,
                source_url=item.link,
                language=story_language(item.source, item.feed),
            )
            item.taken_by, item.taken_at, item.article = user, timezone.now(), article
            item.save(update_fields=["taken_by", "taken_at", "article"])
        self.taken_by, self.taken_at, self.article = item.taken_by, item.taken_at, article
        return article
