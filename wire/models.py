"""Wire copy: items filed from the sources' feeds, waiting in the inbox for someone to take."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from articles.models import Article
from sources.models import Source, SourceFeed
from topics.models import Topic


class WireItem(models.Model):
    """One story from a source's feed, as the source wrote it.

    Filed once per source and GUID (or link, for items without a GUID): the
    database refuses a second copy, so fetching a feed again files nothing twice.
    """

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="wire_items")
    feed = models.ForeignKey(
        SourceFeed, on_delete=models.SET_NULL, related_name="wire_items", null=True, blank=True
    )
    guid = models.CharField("GUID", max_length=500)
    link = models.URLField("original story URL", max_length=500, blank=True)
    headline = models.CharField(max_length=255)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True, help_text="Cleaned HTML.")
    byline = models.CharField(max_length=200, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, help_text="As the feed says.")
    received_at = models.DateTimeField(default=timezone.now, db_index=False)
    categories = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    topics = models.ManyToManyField(Topic, related_name="wire_items", blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    taken_at = models.DateTimeField(null=True, blank=True)
    article = models.OneToOneField(
        Article, on_delete=models.SET_NULL, related_name="wire_item", null=True, blank=True
    )

    class Meta:
        verbose_name = "wire item"
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
                who = (
                    item.taken_by.get_full_name() or item.taken_by.get_username()
                    if (item.taken_by)
                    else "someone"
                )
                raise ValidationError(f"“{item.headline}” was already taken by {who}.")
            article = Article.objects.create(
                headline=item.headline[:255],
                standfirst=item.summary,
                body=item.body,
                source=item.source,
                source_url=item.link,
                status=Article.Status.DRAFT,
            )
            article.authors.add(user)
            # Turned-down names stay off the story; proposals go along, still pending.
            article.topics.set(list(item.topics.exclude(status=Topic.Status.REJECTED)))
            item.taken_by, item.taken_at, item.article = user, timezone.now(), article
            item.save(update_fields=["taken_by", "taken_at", "article"])
        self.taken_by, self.taken_at, self.article = item.taken_by, item.taken_at, article
        return article
