"""The topic vocabulary: topics, their synonyms, their old addresses and the moderation log.

Topics know nothing of the stories tagged with them; `articles` links the two.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Func, Q
from django.db.models.functions import Collate
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import NaturalKeyManager, TagBase

NAME_MAX_LENGTH = 100
SLUG_MAX_LENGTH = 100


class NormalName(Func):
    """The normal form of a topic name: lower case, accents off, single inner spaces, trimmed.

    "Russia", " russia ", "RUSSIA" and "Rússia" share it. The SQL function is created
    by the migration `topics.0002_name_normal_form`: `unaccent()` alone is only
    STABLE, so it is wrapped in an IMMUTABLE function that names its dictionary,
    which indexes and unique constraints accept.
    """

    function = "topic_name_key"
    output_field = models.TextField()


def approved_q(prefix: str = "") -> Q:
    """Return the condition for a topic readers may see: a moderator approved it.

    `prefix` reaches the topic through a relation, e.g. `approved_q("tag__")`.
    This is the one place the rule is written; every public surface uses it,
    through `Topic.objects.public()` or this `Q`.
    """
    return Q(**{f"{prefix}status": Topic.Status.APPROVED})


def tidy_name(name: str) -> str:
    """Return a name as stored: surrounding spaces off, inner runs of spaces made one."""
    return " ".join(name.split())


def normal_forms(names: Iterable[str]) -> list[str]:
    """Return the database's normal form (see `NormalName`) of each name, in order."""
    names = list(names)
    if not names:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT topic_name_key(name) FROM unnest(%s::text[]) WITH ORDINALITY AS t(name, i) "
            "ORDER BY i",
            [names],
        )
        return [row[0] for row in cursor.fetchall()]


@lru_cache(maxsize=100_000)
def topic_url(slug: str) -> str:
    """Return the address of a topic page (remembered: cards show hundreds per page)."""
    return reverse("articles:topic", kwargs={"slug": slug})


class TopicQuerySet(models.QuerySet):
    def public(self) -> TopicQuerySet:
        """Return the topics readers may see (see `approved_q`)."""
        return self.filter(approved_q())

    def pending(self) -> TopicQuerySet:
        return self.filter(status=Topic.Status.PENDING)

    def with_normal_name(self) -> TopicQuerySet:
        return self.annotate(name_key=NormalName("name"))


class TopicManager(NaturalKeyManager.from_queryset(TopicQuerySet)):
    def resolve(self, names: Iterable[str]) -> dict[str, Topic]:
        """Map each name to the topic it means, leaving out names no topic answers to.

        A name means the topic whose name has the same normal form, or else the
        topic it is an alias of. At most three queries, whatever the number of names.
        """
        names = list(dict.fromkeys(names))
        keys = dict(zip(names, normal_forms(names), strict=True))
        wanted = set(keys.values())
        if not wanted:
            return {}
        by_key = {
            topic.name_key: topic
            for topic in self.get_queryset().with_normal_name().filter(name_key__in=wanted)
        }
        if aliased := wanted - set(by_key):
            aliases = (
                TopicAlias.objects.annotate(name_key=NormalName("name"))
                .filter(name_key__in=aliased)
                .select_related("topic")
            )
            by_key |= {alias.name_key: alias.topic for alias in aliases}
        return {name: by_key[key] for name, key in keys.items() if key in by_key}

    def propose(self, name: str, **values) -> Topic:
        """Create the topic `name`, pending unless `values` say otherwise.

        If someone created it (or an alias of it) meanwhile, return theirs.
        """
        values = {"proposed_at": timezone.now(), **values}
        try:
            with transaction.atomic(using=self.db):
                return self.create(name=name, **values)
        except IntegrityError:
            topic = self.resolve([name]).get(name)
            if topic is None:
                raise
            return topic


class Topic(TagBase):
    """A subject stories are tagged with: a person, a place, an organisation, a theme.

    Built on django-taggit's `TagBase` so that `TaggableManager` works with it;
    taggit's own `Tag` table is not installed.

    Topics proposed while tagging are *pending* until a topic moderator approves
    them; only *approved* topics appear anywhere readers look (`approved_q`).

    Slugs are Unicode, like the names they come from: "Вишиванка" answers at
    /topics/вишиванка/. One rule for every script, and a slug never changes
    because a transliteration table did (see README, "Topics").
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANISATION = "organisation", "Organisation"
        PLACE = "place", "Place"
        SUBJECT = "subject", "Subject"

    slug = models.SlugField(
        max_length=SLUG_MAX_LENGTH,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text="Part of the topic page’s URL; made from the name when left empty.",
    )
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.PENDING,
        help_text="Only approved topics are shown to readers.",
    )
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        blank=True,
        default="",
        help_text="What the topic is about, so that “CPT” and “Russia” can be told apart.",
    )
    description = models.TextField(
        blank=True, default="", help_text="Shown to readers at the top of the topic’s page."
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_topics",
        editable=False,
    )
    proposed_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = TopicManager()

    class Meta:
        ordering = ["name"]
        permissions = [
            ("moderate_topic", "Can approve, reject, rename, merge and delete topics"),
        ]
        constraints = [
            # "Russia", "russia ", "Russia  " and "Rússia" are one topic.
            models.UniqueConstraint(
                NormalName("name"),
                name="topic_name_normal_unique",
                violation_error_message=(
                    "A topic with this name already exists (ignoring case, accents and spaces)."
                ),
            ),
            models.CheckConstraint(condition=~Q(name=""), name="topic_name_not_empty"),
            models.CheckConstraint(condition=~Q(slug=""), name="topic_slug_not_empty"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "rejected"]),
                name="topic_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["", "person", "organisation", "place", "subject"]),
                name="topic_kind_valid",
            ),
        ]
        indexes = [
            # Admin search and autocomplete, topic suggestions (LIKE '%...%') and the
            # duplicate finder (similarity, the % operator), all on the normal form.
            GinIndex(OpClass(NormalName("name"), name="gin_trgm_ops"), name="topic_name_trgm_idx"),
            # Topic suggestions: names starting with what is typed (LIKE 'term%'), in
            # order, the first few only. The "C" collation lets LIKE and ORDER BY use it.
            models.Index(Collate(NormalName("name"), "C"), name="topic_name_prefix_idx"),
            # The moderation queue: the few topics waiting, oldest first.
            models.Index(
                fields=["proposed_at"], condition=Q(status="pending"), name="topic_pending_idx"
            ),
        ]

    def get_absolute_url(self) -> str:
        return topic_url(self.slug)

    def save(self, *args, **kwargs) -> None:
        self.name = tidy_name(self.name)
        if self._state.adding and not self.slug:
            self.slug = self.free_slug(self.name)
        super().save(*args, **kwargs)

    def slugify(self, tag: str, i: int | None = None) -> str:
        """Return a URL slug for `tag`, with `-i` appended to break a tie.

        Slugs keep non-Latin letters ("Вишиванка" gives "вишиванка"), and a name
        made only of punctuation still gets a usable slug.
        """
        slug = slugify(tag, allow_unicode=True)[:90].strip("-") or "topic"
        return slug if i is None else f"{slug}-{i}"

    def free_slug(self, name: str) -> str:
        """Return the slug for `name` that no topic uses and no old address keeps."""
        base = self.slugify(name)
        taken = set(
            Topic.objects.filter(slug__startswith=base)
            .exclude(pk=self.pk)
            .values_list("slug", flat=True)
            .union(TopicRedirect.objects.filter(old_slug__startswith=base).values_list("old_slug"))
        )
        slug, i = base, 0
        while slug in taken:
            i += 1
            slug = self.slugify(name, i)
        return slug


class TopicAlias(models.Model):
    """Another name of a topic ("Russian Federation" for "Russia").

    Tagging with an alias attaches its topic. Merged topics leave their names
    behind as aliases of the topic they became.
    """

    name = models.CharField(max_length=NAME_MAX_LENGTH)
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="aliases")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = "topic alias"
        verbose_name_plural = "topic aliases"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                NormalName("name"),
                name="topic_alias_name_normal_unique",
                violation_error_message="This name is already an alias of a topic.",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="topic_alias_name_not_empty"),
        ]
        indexes = [
            # Topic suggestions, as on `Topic`: names starting with what is typed,
            # then names containing it.
            models.Index(Collate(NormalName("name"), "C"), name="topic_alias_name_prefix_idx"),
            GinIndex(
                OpClass(NormalName("name"), name="gin_trgm_ops"), name="topic_alias_name_trgm_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name = tidy_name(self.name)
        super().save(*args, **kwargs)


class TopicRedirectQuerySet(models.QuerySet):
    def target_for(self, slug: str) -> Topic | None:
        """Return the public topic an old slug now leads to, if any."""
        redirect = self.filter(approved_q("topic__"), old_slug=slug).select_related("topic").first()
        return redirect.topic if redirect else None


class TopicRedirect(models.Model):
    """An old slug of a topic (renamed, or merged into it) that answers 301 to its page."""

    old_slug = models.SlugField(max_length=SLUG_MAX_LENGTH, allow_unicode=True, unique=True)
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = TopicRedirectQuerySet.as_manager()

    class Meta:
        verbose_name = "old topic address"
        verbose_name_plural = "old topic addresses"
        ordering = ["old_slug"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(old_slug=""), name="topic_redirect_old_slug_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"/topics/{self.old_slug}/ → {self.topic}"


class TopicLogEntry(models.Model):
    """One moderation action: who did what to which topic, and when. Never edited."""

    class Action(models.TextChoices):
        ADDED = "added", "Added"
        EDITED = "edited", "Edited"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        RENAMED = "renamed", "Renamed"
        MERGED = "merged", "Merged"
        DELETED = "deleted", "Deleted"
        ALIAS_ADDED = "alias-added", "Alias added"
        ALIAS_REMOVED = "alias-removed", "Alias removed"

    action = models.CharField(max_length=20, choices=Action.choices)
    topic = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="log_entries"
    )
    # Kept as it was at the time: the topic may since have been renamed, merged or deleted.
    topic_name = models.CharField(max_length=NAME_MAX_LENGTH)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    summary = models.TextField()
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "topic moderation log entry"
        verbose_name_plural = "topic moderation log"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    action__in=[
                        "added",
                        "edited",
                        "approved",
                        "rejected",
                        "renamed",
                        "merged",
                        "deleted",
                        "alias-added",
                        "alias-removed",
                    ]
                ),
                name="topic_log_action_valid",
            ),
        ]
        indexes = [models.Index(fields=["created_at"], name="topic_log_created_idx")]

    def __str__(self) -> str:
        return self.summary
