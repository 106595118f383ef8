"""The topic vocabulary: topics, their synonyms, their old addresses and the moderation log.

Topics know nothing of the stories tagged with them; `articles` links the two.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F, Func, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Collate
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.models import NaturalKeyManager, TagBase

from topics.signals import topics_changed

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


def site_language() -> str:
    """Return the active language if the site has an edition in it, else the default one."""
    code = translation.get_language() or settings.LANGUAGE_CODE
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def validate_name_language(value: str) -> None:
    """Refuse a language the site has no edition in, and the default one (the topic's own)."""
    if value not in dict(settings.LANGUAGES):
        raise ValidationError(
            _("“%(value)s” is not one of the site’s languages."),
            code="invalid_language",
            params={"value": value},
        )
    if value == settings.LANGUAGE_CODE:
        raise ValidationError(
            _("The name in the default language is the topic’s own name: rename the topic."),
            code="default_language",
        )


def validate_alias_language(value: str) -> None:
    """Refuse a language the site has no edition in; blank means any language."""
    if value and value not in dict(settings.LANGUAGES):
        raise ValidationError(
            _("“%(value)s” is not one of the site’s languages."),
            code="invalid_language",
            params={"value": value},
        )


@lru_cache(maxsize=100_000)
def topic_url(language: str, slug: str) -> str:
    """Return the address of a topic page in a language's edition (remembered: cards
    show hundreds per page; the edition's prefix comes from `reverse` in that language)."""
    with translation.override(language):
        return reverse("articles:topic", kwargs={"slug": slug})


class TopicQuerySet(models.QuerySet):
    def public(self) -> TopicQuerySet:
        """Return the topics readers may see (see `approved_q`)."""
        return self.filter(approved_q())

    def pending(self) -> TopicQuerySet:
        return self.filter(status=Topic.Status.PENDING)

    def with_normal_name(self) -> TopicQuerySet:
        return self.annotate(name_key=NormalName("name"))

    def named_in(self, language: str) -> TopicQuerySet:
        """Carry each topic's name and slug in `language`, for `name_in()` and `slug_in()`.

        Two subqueries in the same statement, so showing topics in any language
        costs no query more than in the default one (which needs none).
        """
        if language == settings.LANGUAGE_CODE:
            return self
        names = TopicName.objects.filter(topic=OuterRef("pk"), language=language)
        return self.annotate(
            names_language=models.Value(language, output_field=models.CharField()),
            name_in_language=Coalesce(Subquery(names.values("name")[:1]), F("name")),
            slug_in_language=Coalesce(Subquery(names.values("slug")[:1]), F("slug")),
        )

    def at_slug(self, slug: str, language: str) -> Topic | None:
        """Return the topic whose page in `language` is at `slug`, named in that language.

        A topic named in `language` is there at that name's slug only; one that is
        not, at its default slug. Any other slug of the topic is for a redirect
        (`TopicRedirect.objects.target_for`). One query, two for a topic not named
        in a language other than the default.
        """
        topics = self.named_in(language)
        if language != settings.LANGUAGE_CODE:
            topic = topics.filter(names__language=language, names__slug=slug).first()
            if topic is not None:
                return topic
        topic = topics.filter(slug=slug).first()
        if topic is None or topic.slug_in(language) != slug:
            return None
        return topic


class TopicManager(NaturalKeyManager.from_queryset(TopicQuerySet)):
    def resolve(self, names: Iterable[str], language: str | None = None) -> dict[str, Topic]:
        """Map each name to the topic it means, leaving out names no topic answers to.

        Names compare by their normal form. In the story's `language` (the default
        language when not given), a name means, in this order: the topic with that
        name in `language`; the topic it is an alias of in `language` (or in any
        language, for an alias without one); the topic with that name in the
        default language; the topic it is an alias of in the default language;
        and last, the topic with that name or alias in any other language, so that
        "Росія" typed on an English story still finds "Russia". At most four
        queries, whatever the number of names.
        """
        names = list(dict.fromkeys(names))
        default = settings.LANGUAGE_CODE
        language = language or default
        keys = dict(zip(names, normal_forms(names), strict=True))
        wanted = set(keys.values())
        if not wanted:
            return {}
        # (rank, topic) per normal form; the lowest rank wins.
        found: dict[str, tuple[int, Topic]] = {}

        def offer(key: str, rank: int, topic: Topic) -> None:
            if key not in found or rank < found[key][0]:
                found[key] = (rank, topic)

        def alias_rank(alias_language: str) -> int:
            if alias_language in (language, ""):
                return 1
            return 3 if alias_language == default else 4

        def lookup_names() -> None:
            translated = (
                TopicName.objects.annotate(name_key=NormalName("name"))
                .filter(name_key__in=wanted)
                .select_related("topic")
            )
            for name in translated:
                offer(name.name_key, 0 if name.language == language else 4, name.topic)

        if language != default:
            lookup_names()
        for topic in self.get_queryset().with_normal_name().filter(name_key__in=wanted):
            offer(topic.name_key, 0 if language == default else 2, topic)
        if wanted - {key for key, (rank, _topic) in found.items() if rank == 0}:
            aliases = (
                TopicAlias.objects.annotate(name_key=NormalName("name"))
                .filter(name_key__in=wanted)
                .select_related("topic")
            )
            for alias in aliases:
                offer(alias.name_key, alias_rank(alias.language), alias.topic)
        if language == default and wanted - set(found):
            lookup_names()
        return {name: found[key][1] for name, key in keys.items() if key in found}

    def propose(self, name: str, language: str | None = None, **values) -> Topic:
        """Create the topic `name`, pending unless `values` say otherwise.

        Proposed from a story in a `language` other than the default, the topic
        is called `name` in that language and, until a moderator renames it, in
        the default language too: a topic always has a default name, and what
        was typed is the only name known. If someone created it (or an alias of
        it) meanwhile, return theirs.
        """
        values = {"proposed_at": timezone.now(), **values}
        try:
            with transaction.atomic(using=self.db):
                topic = self.create(name=name, **values)
                if language and language != settings.LANGUAGE_CODE:
                    topic.set_name(language, name)
                return topic
        except (IntegrityError, ValidationError):
            topic = self.resolve([name], language).get(name)
            if topic is None:
                raise
            return topic


# Outside the model, so that its check constraint lists these values (`TopicStatus.values`).
class TopicStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


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

    Status = TopicStatus

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")
        PLACE = "place", _("Place")
        SUBJECT = "subject", _("Subject")

    slug = models.SlugField(
        _("slug"),
        max_length=SLUG_MAX_LENGTH,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text=_("Part of the topic page’s URL; made from the name when left empty."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.PENDING,
        help_text=_("Only approved topics are shown to readers."),
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=Kind.choices,
        blank=True,
        default="",
        help_text=_("What the topic is about, so that “CPT” and “Russia” can be told apart."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        default="",
        help_text=_("Shown to readers at the top of the topic’s page."),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_topics",
        editable=False,
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now, editable=False)

    objects = TopicManager()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]
        permissions = [
            ("moderate_topic", "Can approve, reject, rename, merge and delete topics"),
        ]
        constraints = [
            # "Russia", "russia ", "Russia  " and "Rússia" are one topic.
            models.UniqueConstraint(
                NormalName("name"),
                name="topic_name_normal_unique",
                violation_error_message=_(
                    "A topic with this name already exists (ignoring case, accents and spaces)."
                ),
            ),
            models.CheckConstraint(condition=~Q(name=""), name="topic_name_not_empty"),
            models.CheckConstraint(condition=~Q(slug=""), name="topic_slug_not_empty"),
            models.CheckConstraint(
                condition=Q(status__in=TopicStatus.values),
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
        """Return the topic's page in the active language's edition, at that language's slug."""
        language = site_language()
        return topic_url(language, self.slug_in(language))

    # --- Names in the site's languages ---------------------------------------------------

    def _name_and_slug_in(self, language: str) -> tuple[str, str]:
        if language == settings.LANGUAGE_CODE:
            return self.name, self.slug
        # Carried by the query (`TopicQuerySet.named_in`), as on every public page.
        if getattr(self, "names_language", None) == language:
            return self.name_in_language, self.slug_in_language
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("names")
        if prefetched is not None:
            found = next(((n.name, n.slug) for n in prefetched if n.language == language), None)
        else:
            found = self.names.filter(language=language).values_list("name", "slug").first()
        return found or (self.name, self.slug)

    def name_in(self, language: str) -> str:
        """Return the topic's name in `language`, or its default name if it has none there."""
        return self._name_and_slug_in(language)[0]

    def slug_in(self, language: str) -> str:
        """Return the slug of the topic's page in `language` (the default one if unnamed there)."""
        return self._name_and_slug_in(language)[1]

    @property
    def local_name(self) -> str:
        """The topic's name in the active language, as readers of that edition see it."""
        return self.name_in(site_language())

    @property
    def local_slug(self) -> str:
        return self.slug_in(site_language())

    def set_name(self, language: str, name: str) -> TopicName:
        """Name the topic in `language`, or rename it there; the slug follows the name.

        The default language's name is the topic's own (`name`, `slug`): renaming
        it keeps the old address and name alive, which `moderation.actions.rename`
        does, so it is refused here (ValueError). A renamed name's old slug
        answers 301 to the topic's page and the old name stays an alias in that
        language. Raises ValidationError for an unknown language, an empty or too
        long name, or a name another topic has, or is an alias of, in `language`.
        """
        if language == settings.LANGUAGE_CODE:
            raise ValueError(
                "The default language's name is the topic's own: rename the topic instead."
            )
        validate_name_language(language)
        name = tidy_name(name)
        if not name or len(name) > NAME_MAX_LENGTH:
            raise ValidationError(
                _("A topic name has 1 to %(limit)d characters."),
                code="invalid_name",
                params={"limit": NAME_MAX_LENGTH},
            )
        clash = (
            TopicAlias.objects.annotate(name_key=NormalName("name"))
            .filter(Q(language=language) | Q(language=""), name_key=NormalName(models.Value(name)))
            .exclude(topic_id=self.pk)
            .select_related("topic")
            .first()
        )
        if clash:
            raise ValidationError(
                _("“%(name)s” is an alias of “%(topic)s”: merge the topics instead."),
                code="alias",
                params={"name": clash.name, "topic": clash.topic.name},
            )
        with transaction.atomic():
            Topic.objects.select_for_update().filter(pk=self.pk).first()
            current = self.names.filter(language=language).first()
            if current is not None and current.name == name:
                return current
            if current is not None and self.slugify(current.name) == self.slugify(name):
                slug = current.slug  # "Kyiv" to "KYIV": the address stays.
            else:
                slug = self.free_slug(name, language)
            taken = (
                TopicName.objects.annotate(name_key=NormalName("name"))
                .filter(language=language, name_key=NormalName(models.Value(name)))
                .exclude(topic_id=self.pk)
            )
            if taken.exists():
                raise ValidationError(
                    _("Another topic is called “%(name)s” in this language."),
                    code="unique",
                    params={"name": name},
                )
            # The new name is the topic's own in this language now, not an alias.
            TopicAlias.objects.annotate(name_key=NormalName("name")).filter(
                topic=self, name_key=NormalName(models.Value(name))
            ).delete()
            TopicRedirect.objects.filter(old_slug=slug, topic=self).delete()
            if current is None:
                current = TopicName.objects.create(
                    topic=self, language=language, name=name, slug=slug
                )
            else:
                old_name, old_slug = current.name, current.slug
                current.name, current.slug = name, slug
                current.save(update_fields=["name", "slug"])
                if normal_forms([old_name]) != normal_forms([name]):
                    TopicAlias.objects.bulk_create(
                        [TopicAlias(name=old_name, topic=self, language=language)],
                        ignore_conflicts=True,
                    )
                if old_slug != slug:
                    TopicRedirect.objects.get_or_create(old_slug=old_slug, defaults={"topic": self})
            # What readers see of the topic changed (see `topics.signals`).
            topics_changed.send(sender=Topic, topic_ids=[self.pk], shown_ids=[])
        if "names" in getattr(self, "_prefetched_objects_cache", {}):
            del self._prefetched_objects_cache["names"]
        return current

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

    def free_slug(self, name: str, language: str | None = None) -> str:
        """Return the slug for `name` that no other topic uses and no old address keeps.

        No other topic's default slug, nor its slug in any language: a topic not
        named in a language is found there at its default slug, so the two must
        never meet. The topic's own slugs are free to share ("NATO" everywhere).
        """
        base = self.slugify(name)
        own_redirects = Q(topic_id=self.pk) if language else Q(pk__in=[])
        taken = set(
            Topic.objects.filter(slug__startswith=base)
            .exclude(pk=self.pk)
            .values_list("slug", flat=True)
            .union(
                TopicName.objects.filter(slug__startswith=base)
                .exclude(topic_id=self.pk)
                .values_list("slug"),
                TopicRedirect.objects.filter(old_slug__startswith=base)
                .exclude(own_redirects)
                .values_list("old_slug"),
            )
        )
        slug, i = base, 0
        while slug in taken:
            i += 1
            slug = self.slugify(name, i)
        return slug


class TopicName(models.Model):
    """A topic's name and slug in one of the site's languages other than the default.

    "Russia" at /topics/russia/ is "Росія" at /uk/topics/росія/: one topic, one
    concept. The default language's name and slug are the topic's own
    (`Topic.name`, `Topic.slug`); a topic with no name in a language is shown
    there by its default name, at its default slug. Set with `Topic.set_name()`.
    """

    # Indexed by `topicname_topic_language_unique`. The database's own foreign key,
    # `topicname_topic_fk` (migration 0007), deletes the names with their topic
    # (ON DELETE CASCADE): deleting or merging topics costs no statement more.
    topic = models.ForeignKey(
        Topic,
        on_delete=models.DO_NOTHING,
        related_name="names",
        db_index=False,
        db_constraint=False,
        verbose_name=_("topic"),
    )
    language = models.CharField(_("language"), max_length=12, validators=[validate_name_language])
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    slug = models.SlugField(
        _("slug"), max_length=SLUG_MAX_LENGTH, allow_unicode=True, db_index=False, editable=False
    )

    class Meta:
        verbose_name = _("name in another language")
        verbose_name_plural = _("names in other languages")
        ordering = ["language"]
        constraints = [
            # Also the index of "the names of this topic".
            models.UniqueConstraint(
                fields=["topic", "language"], name="topicname_topic_language_unique"
            ),
            # Slug first: the index also finds a slug in any language (old addresses).
            models.UniqueConstraint(fields=["slug", "language"], name="topicname_slug_unique"),
            # As for default names: "Росія" and "росія " are one name in a language.
            models.UniqueConstraint(
                "language",
                NormalName("name"),
                name="topicname_name_normal_unique",
                violation_error_message=_(
                    "Another topic has this name in this language (ignoring case, accents "
                    "and spaces)."
                ),
            ),
            models.CheckConstraint(condition=~Q(name=""), name="topicname_name_not_empty"),
            models.CheckConstraint(condition=~Q(slug=""), name="topicname_slug_not_empty"),
            models.CheckConstraint(condition=~Q(language=""), name="topicname_language_not_empty"),
        ]
        indexes = [
            # The duplicate finder (similarity within a language) and the admin search.
            GinIndex(
                OpClass(NormalName("name"), name="gin_trgm_ops"), name="topicname_name_trgm_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TopicAlias(models.Model):
    """Another name of a topic ("Russian Federation" for "Russia").

    Tagging with an alias attaches its topic. Merged topics leave their names
    behind as aliases of the topic they became, in the language of each name.
    An alias's name is unique in every language; its `language` says in which
    language's stories it comes first (blank: in every language), see
    `TopicManager.resolve`.
    """

    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    language = models.CharField(
        _("language"),
        max_length=12,
        blank=True,
        default="",
        validators=[validate_alias_language],
        help_text=_("The language of the stories this name is typed in; blank for any."),
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("topic")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("topic alias")
        verbose_name_plural = _("topic aliases")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                NormalName("name"),
                name="topic_alias_name_normal_unique",
                violation_error_message=_("This name is already an alias of a topic."),
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
    def target_for(self, slug: str, language: str | None = None) -> Topic | None:
        """Return the public topic a slug leads to in `language`'s edition, if not there already.

        An old slug (the topic was renamed or merged), or a slug of the topic in
        another language ("russia" on a Ukrainian page when it is "росія" there),
        leads to its page in `language` (the active one when not given). None when
        `slug` is the topic's own in `language`: there is nowhere else to go.
        """
        language = language or site_language()
        redirect = self.filter(approved_q("topic__"), old_slug=slug).first()
        topics = Topic.objects.public().named_in(language)
        if redirect is not None:
            topic = topics.filter(pk=redirect.topic_id).first()
        else:
            topic = topics.filter(slug=slug).first() or topics.filter(names__slug=slug).first()
        if topic is None or topic.slug_in(language) == slug:
            return None
        return topic


class TopicRedirect(models.Model):
    """An old slug of a topic (renamed, or merged into it) that answers 301 to its page."""

    old_slug = models.SlugField(
        _("old slug"), max_length=SLUG_MAX_LENGTH, allow_unicode=True, unique=True
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="redirects", verbose_name=_("topic")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = TopicRedirectQuerySet.as_manager()

    class Meta:
        verbose_name = _("old topic address")
        verbose_name_plural = _("old topic addresses")
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
        ADDED = "added", _("Added")
        EDITED = "edited", _("Edited")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        RENAMED = "renamed", _("Renamed")
        MERGED = "merged", _("Merged")
        DELETED = "deleted", _("Deleted")
        ALIAS_ADDED = "alias-added", _("Alias added")
        ALIAS_REMOVED = "alias-removed", _("Alias removed")

    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    topic = models.ForeignKey(
        Topic,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="log_entries",
        verbose_name=_("topic"),
    )
    # Kept as it was at the time: the topic may since have been renamed, merged or deleted.
    topic_name = models.CharField(_("topic name"), max_length=NAME_MAX_LENGTH)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    summary = models.TextField(_("summary"))
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("topic moderation log entry")
        verbose_name_plural = _("topic moderation log")
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
