"""The stories and what they are filed under, with their querysets and the rules they share.

Sections, stories (`Article`) and their topic links, pins, corrections,
transitions, editing presences and preview links; the conditions every public
list starts from (`published_q`, `partner_q`) and the expressions the indexes
are built on (`LAST_CHANGED`, `PARTNER_CHANGED`). The helpers that are no
models live beside it: the index-only streams (`articles.streams`),
where a public story shows (`articles.footprints`), the pages' addresses
(`articles.edition_urls`), the prefetches of lists (`articles.prefetches`) and
a story's editions in other languages (`articles.editions`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import reversion
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest, Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from articles.edition_urls import section_url
from articles.languages import language_codes, language_name, reader_language, validate_language
from articles.prefetches import bylines, public_topics
from articles.sanitize import sanitize_body
from articles.streams import (
    RELATED_PER_TOPIC,
    RELATED_RANKED_SQL,
    SECTIONS_LATEST_SQL,
    TopicStream,
    array_of_ids,
)
from articles.textsearch import LEMMATISED, html_text, lemma_vector, story_search_config
from images.models import Image
from sources.models import Source
from topics.models import Topic
from topics.tagging import TopicTaggableManager


# Outside the model, so that its check constraint lists these values (`ArticleStatus.values`).
class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CHANGES_REQUESTED = "changes", _("Changes requested")
    IN_REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Unpublished")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DELETED = "deleted", _("Deleted")


SLUG_MAX_LENGTH = 120
# Editors are its holders: they read, change and publish every story.
EDITOR_PERMISSION = "articles.publish_article"
# When readers last saw a story change: its publication, or an edit after it. A
# scheduled story edited at nine and published at noon changes for readers at noon;
# its `updated_at` alone would hide it from a partner syncing changes since ten.
LAST_CHANGED = Greatest("updated_at", "publish_at")
# The statuses of the stories in the partners' change feed: usable or tombstones.
PARTNER_STATUSES = [
    ArticleStatus.PUBLISHED.value,
    ArticleStatus.UNPUBLISHED.value,
    ArticleStatus.WITHDRAWN.value,
    ArticleStatus.DELETED.value,
]
# When partners last saw a story change: as readers did, except that a story released
# to them under embargo changed for them when it was released, not at its publish
# time (PostgreSQL's GREATEST skips the NULL). Orders the partners' change feed.
PARTNER_CHANGED = Greatest(
    "updated_at", Case(When(embargoed=False, then="publish_at"), default=None)
)
# Edits this soon after publication (typo fixes) do not earn an "Updated" time.
UPDATE_GRACE = timedelta(minutes=5)
# What a translation is made from: a change to any of them is a new text revision.
TEXT_FIELDS = ("headline", "standfirst", "body")


def published_q(prefix: str = "", *, now: datetime | None = None) -> Q:
    """Return the condition for an article readers may see.

    An article is public when it is published and its publish time has come
    (by `now`, the present unless given). `prefix` reaches the article through
    a relation, e.g. `Count("articles", filter=published_q("articles__"))`. This
    is the one place the rule is written; everything public starts from it.
    """
    return Q(
        **{
            f"{prefix}status": Article.Status.PUBLISHED,
            f"{prefix}publish_at__lte": timezone.now() if now is None else now,
        }
    )


def partner_q(prefix: str = "", *, now: datetime | None = None) -> Q:
    """Return the condition for a story partners may receive (within what each may take).

    What readers see (`published_q`), and a published story released to partners
    under embargo before its publish time (`Article.embargoed`).
    """
    return published_q(prefix, now=now) | Q(
        **{f"{prefix}status": Article.Status.PUBLISHED, f"{prefix}embargoed": True}
    )


def taken_down_q(*, now: datetime | None = None) -> Q:
    """Return the condition for a story partners received once and may no longer use.

    Unpublished (withheld: it may come back), withdrawn or deleted (canceled),
    after it went public or out under embargo. Partners' change feeds carry these
    as tombstones, so that a partner who copied the story hears it is gone.
    """
    now = timezone.now() if now is None else now
    return Q(
        status__in=[Article.Status.UNPUBLISHED, Article.Status.WITHDRAWN, Article.Status.DELETED],
        first_published_at__isnull=False,
    ) & (Q(first_published_at__lte=now) | Q(embargoed=True))


def owned_q(user) -> Q:
    """Return the condition for the stories `user` started or carries the byline of."""
    bylines = Article.authors.through.objects.filter(user=user).values("article_id")
    return Q(created_by=user) | Q(pk__in=bylines)


def slug_from_headline(headline: str) -> str:
    """Return a URL slug for a headline, cut at a word boundary."""
    slug = slugify(headline, allow_unicode=True)
    if len(slug) > SLUG_MAX_LENGTH:
        slug = slug[:SLUG_MAX_LENGTH].rsplit("-", 1)[0]
    return slug or "story"


class Section(models.Model):
    """A desk and a part of the site, such as War, Politics or World."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(
        _("position"),
        default=0,
        help_text=_("Sections are listed in this order in the site navigation."),
    )
    # {language code: name} for the languages other than the default, whose name is
    # `name`; an edition without its own name shows `name`. Read with the row, so
    # naming a section in each edition costs no query.
    names = models.JSONField(default=dict, blank=True, verbose_name=_("names in other languages"))

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="section_name_ci_unique"),
            models.CheckConstraint(condition=~Q(slug=""), name="section_slug_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return section_url(self.slug)

    def name_in(self, language: str) -> str:
        """Return the section's name in `language`, or its default name if it has none there."""
        return self.names.get(language) or self.name

    @property
    def local_name(self) -> str:
        """The section's name in the reader's edition."""
        return self.name_in(reader_language())

    def clean(self) -> None:
        super().clean()
        self.names = self.clean_names(self.names)

    def clean_names(self, names) -> dict[str, str]:
        """Return `names` trimmed, or raise a `ValidationError` on `names` saying what is wrong.

        Each error's `language` param names the language it is about, if any. A
        name must differ (ignoring case) from every other section's name in that
        edition, its own or, for a section not named there, its default name.
        """
        if not isinstance(names, dict):
            raise ValidationError(
                {"names": _("Give the names as an object of language codes and names.")}
            )
        languages = language_codes()[1:]
        errors, cleaned = [], {}
        for code, name in names.items():
            if code not in languages:
                errors.append(
                    ValidationError(
                        _("“%(code)s” is not one of the site’s other languages (%(codes)s)."),
                        code="invalid_language",
                        params={"code": code, "codes": ", ".join(languages)},
                    )
                )
            elif not isinstance(name, str) or not name.strip():
                errors.append(
                    ValidationError(
                        _("The name in %(language_name)s must not be blank."),
                        code="blank_name",
                        params={"language": code, "language_name": language_name(code)},
                    )
                )
            else:
                cleaned[code] = name.strip()
        if cleaned:
            others = list(Section.objects.exclude(pk=self.pk).only("name", "names"))
            for code, name in cleaned.items():
                taken = next(
                    (o for o in others if o.name_in(code).casefold() == name.casefold()), None
                )
                if taken is not None:
                    errors.append(
                        ValidationError(
                            _(
                                "Another section, “%(other)s”, is already called “%(name)s” "
                                "in %(language_name)s."
                            ),
                            code="duplicate_name",
                            params={
                                "language": code,
                                "language_name": language_name(code),
                                "name": name,
                                "other": taken.name,
                            },
                        )
                    )
        if errors:
            raise ValidationError({"names": errors})
        return cleaned


class ArticleQuerySet(models.QuerySet):
    def published(self, *, now: datetime | None = None) -> ArticleQuerySet:
        """Return the articles readers may see (see `published_q`)."""
        return self.filter(published_q(now=now))

    def in_language(self, language: str | None = None) -> ArticleQuerySet:
        """Return the stories of one edition: `language`, or the reader's (the page's)."""
        return self.filter(language=language or reader_language())

    def for_partners(self, *, now: datetime | None = None) -> ArticleQuerySet:
        """Return the stories partners may receive (see `partner_q`)."""
        return self.filter(partner_q(now=now))

    def partner_changes(self, *, since: datetime | None = None) -> ArticleQuerySet:
        """Return what partners may receive and what they must drop, last changed first.

        A partner's sync: the stories of `for_partners()` and the ones taken down
        since they went out (`taken_down_q`), by `PARTNER_CHANGED`, from `since` when
        given, each with its `partner_changed` time (a cursor's sort key). Read from
        `article_partner_changed_idx`.
        """
        now = timezone.now()
        # The index's own condition, said again: the planner cannot infer it from the
        # rule (a published story's first publication is a constraint it does not
        # read) and would sort every story rather than walk the index in order.
        stories = self.filter(partner_q(now=now) | taken_down_q(now=now)).filter(
            status__in=PARTNER_STATUSES, first_published_at__isnull=False
        )
        stories = stories.annotate(partner_changed=PARTNER_CHANGED)
        stories = stories.filter(partner_changed__lte=now)
        if since is not None:
            stories = stories.filter(partner_changed__gte=since)
        return stories.order_by("-partner_changed", "-pk")

    def editions_of(self, article: Article) -> ArticleQuerySet:
        """Return the editions of `article`'s piece of news, itself included (see `editions_q`)."""
        return self.filter(editions_q(article.translation_of_id or article.pk))

    def scheduled(self) -> ArticleQuerySet:
        """Return published articles whose publish time is still to come."""
        return self.filter(status=Article.Status.PUBLISHED, publish_at__gt=timezone.now())

    def for_listing(self) -> ArticleQuerySet:
        """Fetch what a list of stories shows, in a fixed number of queries."""
        return self.for_cards().prefetch_related(bylines(), public_topics())

    def for_cards(self) -> ArticleQuerySet:
        """Fetch the story itself as cards show it; bylines and topics come separately."""
        # Cards show no body: leave 600 words per story in the database.
        return self.select_related("source", "section", "lead_image").defer("body")

    def for_results(self) -> ArticleQuerySet:
        """Fetch what a search result shows (`includes/search_result.html`), and no more.

        Results are ranked before they are cut to a page: a narrow row, without
        the body or the photo, keeps that cheap.
        """
        return self.select_related("section", "source").only(
            "id", "slug", "headline", "standfirst", "dateline", "publish_at", "updated_at",
            "language",  # The result's address is in its language's edition.
            "section__slug", "section__name", "section__names", "source__slug", "source__name",
        )  # fmt: skip

    def on_the_desk(self) -> ArticleQuerySet:
        """Return the stories that are not deleted (deleted ones wait to be recovered)."""
        return self.exclude(status=Article.Status.DELETED)

    def owned_by(self, user) -> ArticleQuerySet:
        """Return the stories `user` started or carries the byline of."""
        return self.filter(owned_q(user))

    def readable_by(self, user) -> ArticleQuerySet:
        """Return the stories `user` may read on the newsdesk: the one rule of every screen.

        Editors (and superusers) read every story, deleted ones too. Anyone else
        who may view stories reads the ones they may preview, their own (started
        or on the byline, `owned_q`), and what readers see (`published_q`).
        Nobody else reads any. `articles.workflow.can_read` asks it of one story.
        """
        if not user.has_perm("articles.view_article"):  # Inactive users hold no permission.
            return self.none()
        if user.has_perm(EDITOR_PERMISSION):
            return self.all()
        return self.filter(published_q() | owned_q(user))

    def latest_first(self) -> ArticleQuerySet:
        return self.order_by("-publish_at", "-pk")

    def last_changed_first(self, *, since: datetime | None = None) -> ArticleQuerySet:
        """Order published stories by when readers last saw them change, newest first.

        `since` keeps the stories changed at or after it. Read from one index
        (`article_changed_idx`), which starts at the present: stories scheduled
        for later are never walked past. `last_changed` can be filtered on.
        """
        stories = self.alias(last_changed=LAST_CHANGED).filter(last_changed__lte=timezone.now())
        if since is not None:
            stories = stories.filter(last_changed__gte=since)
        return stories.order_by("-last_changed", "-pk")

    def in_topic(self, topic: Topic | int) -> ArticleQuerySet:
        """Return the stories of a topic, newest first, read from its stream index.

        Combine with `published()`: the index only finds the candidates.
        """
        return self.filter(
            topic_links__tag=topic, topic_links__publish_at__lte=timezone.now()
        ).order_by("-topic_links__publish_at", "-topic_links__content_object_id")

    def in_topic_pages(self, topic: Topic | int, language: str | None = None) -> TopicStream:
        """Return the stories of a topic in one language (the reader's unless given),
        newest first, for paging (see `TopicStream`)."""
        return TopicStream(self, topic, language or reader_language())

    def related_to(
        self, article: Article, count: int, topic_ids: Iterable[int] | None = None
    ) -> list[Article]:
        """Return up to `count` stories sharing public topics with `article`, most shared first.

        The candidates are the newest `RELATED_PER_TOPIC` stories of each of the
        story's topics, ranked by how many of those lists they are in, then newest
        first (`RELATED_RANKED_SQL`): a few small index reads, whether a topic has
        ten stories or a hundred thousand. The ranked stories are fetched in the
        same query, through this queryset (`published()` keeps out one
        unpublished since). A topic awaiting a moderator relates nothing.
        `topic_ids` are the story's public topics, when already known. Related
        stories are in the story's own language.
        """
        if topic_ids is None:
            topics = getattr(article, "public_topics", None)
            if topics is None:
                topics = Topic.objects.public().filter(article_links__content_object=article)
            topic_ids = [topic.pk for topic in topics]
        topic_ids = list(topic_ids)
        if not topic_ids or count < 1:
            return []
        # Fixed text, values as parameters only. Twice as many as shown are
        # ranked: one the queryset leaves out makes room for the next.
        params = (
            topic_ids, timezone.now(), article.pk, article.language, RELATED_PER_TOPIC, 2 * count
        )  # fmt: skip
        # The ids select the rows through the primary key; their rank orders them.
        ranked_ids = RawSQL(RELATED_RANKED_SQL, params)  # noqa: S611
        position = f"array_position(ARRAY({RELATED_RANKED_SQL}), {Article._meta.db_table}.id)"
        rank = RawSQL(position, params)  # noqa: S611 - fixed text, values as parameters
        ranked = self.filter(pk__in=ranked_ids).alias(rank=rank).order_by("rank")
        return list(ranked[:count])

    def latest_in_sections(
        self, section_ids: list[int], per_section: int, exclude: list[int] = ()
    ) -> ArticleQuerySet:
        """Return the newest `per_section` articles of each section, in one query.

        One small index read per section, a LATERAL join over the sections,
        rather than ranking every article with a window function. A section's
        stories are asked for through this queryset (`published()` included),
        built and compiled once for all the sections rather than once each.
        Both lists are array parameters: the SQL is the same whatever their length.
        """
        newest = (
            self.filter(section_id=RawSQL("featured.id", ()))  # The LATERAL's current section.
            .exclude(pk__in=array_of_ids(exclude))
            .latest_first()
            .values_list("pk")[:per_section]
        )
        sql, params = newest.query.get_compiler(self.db).as_sql()
        # The queryset's own SQL, its values as parameters.
        in_sections = SECTIONS_LATEST_SQL.format(newest=sql)
        return self.filter(pk__in=RawSQL(in_sections, (list(section_ids), *params)))  # noqa: S611


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    def get_queryset(self) -> ArticleQuerySet:
        # The search vector is as large as the story and only the database reads
        # it (WHERE search_vector @@ query): no query fetches it unless asked to.
        return super().get_queryset().defer("search_vector", "search_lemmas")


class ArticleTopic(TaggedItemBase):
    """The link between an article and one of its topics."""

    content_object = models.ForeignKey(
        "Article",
        on_delete=models.CASCADE,
        related_name="topic_links",
        db_index=False,
        verbose_name=_("content object"),
    )
    tag = models.ForeignKey(
        Topic,
        on_delete=models.CASCADE,
        related_name="article_links",
        db_index=False,
        verbose_name=_("tag"),
    )
    # The story's publish time while it is published, NULL otherwise. Kept by the
    # database (triggers of migration 0008), never written by Django: it lets a
    # topic's stories be read newest first from one index, whether the topic has
    # ten stories or a hundred thousand. Pages still check `published()` on the
    # stories themselves; this copy only finds them fast.
    publish_at = models.DateTimeField(_("publish at"), null=True, editable=False)

    class Meta:
        verbose_name = _("article topic")
        verbose_name_plural = _("article topics")
        constraints = [
            # Also the index for "the topics of this article".
            models.UniqueConstraint(fields=["content_object", "tag"], name="article_topic_unique"),
        ]
        indexes = [
            # "The articles of this topic", for counts and merges.
            models.Index(fields=["tag", "content_object"], name="article_topic_by_topic_idx"),
            # "The newest published stories of this topic", for its page, feed and
            # related stories: read in order, page after page, without a sort.
            models.Index(
                fields=["tag", "-publish_at", "-content_object"],
                condition=Q(publish_at__isnull=False),
                name="article_topic_stream_idx",
            ),
        ]


def editions_q(original) -> Q:
    """Return the condition for the editions of one piece of news, in every language.

    `original` is the original story's id (or an expression for it): translations
    always point at the original, so its editions are itself and its translations.
    """
    return Q(pk=original) | Q(translation_of=original)


class Article(models.Model):
    """A story: from the first draft to the published page and beyond.

    Every write goes through `articles.workflow.save` (edits, state changes,
    the revision and the transition), which refuses a copy loaded before
    someone else's save. A save itself keeps only the row's own rules: clean
    text, its lemmas, its first publication and the next version.
    """

    Status = ArticleStatus

    headline = models.CharField(_("headline"), max_length=255)
    slug = models.SlugField(
        _("slug"),
        max_length=SLUG_MAX_LENGTH,
        allow_unicode=True,
        blank=True,
        help_text=_(
            "Part of the story’s URL; made from the headline when left empty. "
            "Old links keep working when it changes."
        ),
    )
    standfirst = models.TextField(
        _("standfirst"),
        blank=True,
        help_text=_("The lead: one or two sentences under the headline."),
    )
    body = models.TextField(_("body"), blank=True, help_text=_("Stored as HTML, cleaned on save."))
    dateline = models.CharField(
        _("dateline"),
        max_length=100,
        blank=True,
        help_text=_("Where the story was filed from, e.g. “Kyiv”."),
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="articles", blank=True, verbose_name=_("byline")
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="articles",
        null=True,
        blank=True,
        verbose_name=_("source"),
    )
    source_url = models.URLField(
        _("original story URL"),
        max_length=500,
        blank=True,
        help_text=_("The source’s own story."),
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        related_name="articles",
        null=True,
        blank=True,
        verbose_name=_("section"),
    )
    # Names resolve through the vocabulary (aliases, normal forms); unknown ones
    # become pending proposals (see `topics.tagging`).
    topics = TaggableManager(
        through=ArticleTopic,
        blank=True,
        related_name="articles",
        manager=TopicTaggableManager,
        verbose_name=_("topics"),
    )
    lead_image = models.ForeignKey(
        Image,
        on_delete=models.SET_NULL,
        related_name="lead_of",
        null=True,
        blank=True,
        verbose_name=_("lead photo"),
        help_text=_("Shown at the top of the story and when it is shared."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    publish_at = models.DateTimeField(
        _("publish time"),
        null=True,
        blank=True,
        help_text=_("When a published story becomes public; a future time schedules it."),
    )
    first_published_at = models.DateTimeField(
        _("first published at"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("created by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("last editor"),
    )
    # Released to partners before the publish time: a scheduled story goes to them
    # at once, marked embargoed until that time (ninjs `embargoedUntil`), and to
    # readers at the time, like any scheduled story.
    embargoed = models.BooleanField(
        _("release to partners under embargo"),
        default=False,
        help_text=_(
            "Partners receive a scheduled story at once, embargoed until its publish time; "
            "readers see it at that time."
        ),
    )
    # A withdrawal takes a published story down for good and tells partners why
    # (`articles.workflow.withdraw`); unlike unpublishing, it does not come back.
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True, editable=False)
    # Optimistic locking: every save adds one; a form carries the number it was
    # opened with, and a save from an older number is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    # The edition of the site the story is read in (see `articles.languages`).
    language = models.CharField(
        _("language"),
        max_length=12,
        default=settings.LANGUAGE_CODE,
        validators=[validate_language],
        help_text=_("The language the story is written in: readers find it in that edition."),
    )
    # One piece of news in several languages: each translation points at the
    # original (never at another translation), and each edition keeps its own
    # workflow, revisions and byline.
    translation_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        related_name="translations",
        null=True,
        blank=True,
        editable=False,
        db_index=False,  # `article_translations_idx`, built concurrently.
        verbose_name=_("translation of"),
    )
    # The revision of the text: one more at each change of headline, standfirst or
    # body and at each correction. A translation records the original's revision
    # it was made from (or last checked against); a higher one makes it out of date.
    text_revision = models.PositiveIntegerField(_("text revision"), default=1, editable=False)
    translated_from_revision = models.PositiveIntegerField(
        _("translated from revision"), null=True, blank=True, editable=False
    )
    # The lemmas of a story in a language PostgreSQL cannot stem (Ukrainian), made
    # by `save()` in Python (see `articles.textsearch`); None in other languages.
    # A row written with update(), bulk_create() or SQL keeps its old lemmas until it
    # is saved again or `manage.py reindex_search` runs; until a story has lemmas at
    # all, its words are matched as written.
    search_lemmas = SearchVectorField(null=True, blank=True, editable=False)
    # Kept by the database on every insert and update, however the row is written
    # (save, update(), SQL); it sees only this row, so topics and source are not in it.
    # Each language is stemmed by its own configuration; lemmatised languages take
    # their stored lemmas.
    search_vector = models.GeneratedField(
        expression=Case(
            When(
                Q(language__in=list(LEMMATISED), search_lemmas__isnull=False),
                then=F("search_lemmas"),
            ),
            default=SearchVector("headline", weight="A", config=story_search_config())
            + SearchVector("standfirst", weight="B", config=story_search_config())
            + SearchVector(html_text("body"), weight="C", config=story_search_config()),
            output_field=SearchVectorField(),
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = ArticleManager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-publish_at", "-pk"]
        permissions = [("publish_article", "Can publish, schedule and unpublish articles")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ArticleStatus.values),
                name="article_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | ~Q(withdrawal_reason=""),
                name="article_withdrawn_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(publish_at__isnull=False),
                name="article_published_has_publish_at",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(first_published_at__isnull=False),
                name="article_published_has_first_published_at",
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="article_slug_not_empty"),
            models.CheckConstraint(condition=~Q(headline=""), name="article_headline_not_empty"),
        ]
        indexes = [
            # Public listings: WHERE status = 'published' AND publish_at <= now()
            # ORDER BY publish_at DESC, overall and per source and section.
            models.Index(
                fields=["publish_at"], condition=Q(status="published"), name="article_public_idx"
            ),
            models.Index(
                fields=["source", "publish_at"],
                condition=Q(status="published"),
                name="article_source_public_idx",
            ),
            models.Index(
                fields=["section", "publish_at"],
                condition=Q(status="published"),
                name="article_section_public_idx",
            ),
            # The desk in the admin: by status, most recently changed first. The id
            # settles ties (a bulk action saves many stories at one time).
            models.Index(fields=["status", "updated_at", "id"], name="article_status_updated_idx"),
            models.Index(fields=["updated_at", "id"], name="article_updated_idx"),
            # The API's sync order (see `last_changed_first`).
            models.Index(
                LAST_CHANGED.desc(),
                F("id").desc(),
                condition=Q(status="published"),
                name="article_changed_idx",
            ),
            # The partners' change feed (see `partner_changes`), tombstones included.
            models.Index(
                PARTNER_CHANGED.desc(),
                F("id").desc(),
                condition=Q(status__in=PARTNER_STATUSES, first_published_at__isnull=False),
                name="article_partner_changed_idx",
            ),
            # Each edition's public listings: its newest stories first.
            models.Index(
                fields=["language", "publish_at"],
                condition=Q(status="published"),
                name="article_language_public_idx",
            ),
            # The translations of a story, for its hreflang links and the desk.
            models.Index(
                fields=["translation_of"],
                condition=Q(translation_of__isnull=False),
                name="article_translations_idx",
            ),
            # Reader search: search_vector @@ query (see `articles.search`).
            GinIndex(fields=["search_vector"], name="article_search_vector_idx"),
        ]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args, **kwargs) -> None:
        """Save the story, its text cleaned, as the next version."""
        self.normalise()
        # Every save refreshes the lemmas, whoever saves (see `search_lemmas`).
        self.search_lemmas = lemma_vector(self.language, self.headline, self.standfirst, self.body)
        # Until the story has gone public, its first publication follows the
        # (re)scheduled time; afterwards it is history and never moves.
        if self.status == self.Status.PUBLISHED and (
            self.first_published_at is None or self.first_published_at > timezone.now()
        ):
            self.first_published_at = self.publish_at
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                *("headline", "slug", "body", "first_published_at", "updated_at", "version"),
                *("search_lemmas", "text_revision", "translated_from_revision"),
            }
        self.version += 1
        try:
            super().save(*args, **kwargs)
        except BaseException:
            self.version -= 1
            raise

    def get_absolute_url(self) -> str:
        """Return the story's address in its own language's edition of the site."""
        with translation.override(self.language):
            return reverse("articles:detail", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def original(self) -> Article:
        """Return the story this one translates, or itself if it is an original."""
        return self.translation_of if self.translation_of_id else self

    @property
    def is_translation(self) -> bool:
        return self.translation_of_id is not None

    def translation_is_outdated(self, original_revision: int | None = None) -> bool:
        """Whether the original's text changed since this translation was made or checked.

        `original_revision` is the original's `text_revision`, when already known.
        """
        if not self.translation_of_id:
            return False
        if original_revision is None:
            original_revision = self.translation_of.text_revision
        return (self.translated_from_revision or 0) < original_revision

    def clean(self) -> None:
        self.headline = " ".join(self.headline.split())
        if not self.slug:
            self.slug = slug_from_headline(self.headline)

    def normalise(self) -> None:
        """Tidy the headline, make a missing slug and clean the body's HTML."""
        self.clean()
        self.body = sanitize_body(self.body)

    @property
    def state_label(self) -> str:
        """Return the status as the desk says it: a future publish time is "Scheduled"."""
        return gettext("Scheduled") if self.is_scheduled else str(self.get_status_display())

    @property
    def is_scheduled(self) -> bool:
        """Whether the story is published with a publish time still to come."""
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at > timezone.now()
        )

    @property
    def last_changed(self) -> datetime:
        """When readers last saw the story change (see `LAST_CHANGED`)."""
        if self.publish_at is None:
            return self.updated_at
        return max(self.updated_at, self.publish_at)

    @property
    def was_updated(self) -> bool:
        """Whether the story changed noticeably after it first went public."""
        return bool(
            self.first_published_at
            and self.updated_at
            and self.updated_at - max(self.first_published_at, self.publish_at) > UPDATE_GRACE
        )


class PinQuerySet(models.QuerySet):
    def active(self) -> PinQuerySet:
        """Return the pins whose end time has not come."""
        return self.filter(ends_at__gt=timezone.now())

    def pinned_ids(self, section: Section | None) -> list[int]:
        """Return the ids of the stories pinned to a page now (None: the home page), in order.

        Whether each story is public is for the query that fetches it to say.
        """
        pins = self.active().filter(section=section)
        return list(
            pins.order_by("position", "-article__publish_at", "-article__pk").values_list(
                "article_id", flat=True
            )
        )

    def pinned_stories(self, pinned_ids: list[int]) -> list[Article]:
        """Return the public stories among `pinned_ids` (see `pinned_ids`), in order, as cards.

        No query at all while nothing is pinned to the page.
        """
        if not pinned_ids:
            return []
        # A page of one edition shows the pinned stories of its language.
        stories = Article.objects.published().in_language().for_cards().in_bulk(pinned_ids)
        return [stories[pk] for pk in pinned_ids if pk in stories]


class Pin(models.Model):
    """A story held at the top of the home page or of a section page until a set time.

    Pins are ordered by position; the first one leads the page. A pinned story
    shows only while it is public: pinning never publishes anything.
    """

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="pins", verbose_name=_("article")
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.CASCADE,
        related_name="pins",
        null=True,
        blank=True,
        help_text=_("Leave empty to pin the story to the home page."),
        verbose_name=_("section"),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Lower comes first; the first pin leads the page.")
    )
    ends_at = models.DateTimeField(_("pinned until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PinQuerySet.as_manager()

    class Meta:
        verbose_name = _("pin")
        verbose_name_plural = _("pins")
        ordering = ["position", "-created_at"]
        constraints = [
            # One pin per story and page; NULL (the home page) counts as a value.
            models.UniqueConstraint(
                fields=["article", "section"], nulls_distinct=False, name="pin_article_page_unique"
            ),
        ]
        indexes = [models.Index(fields=["section", "ends_at"], name="pin_page_active_idx")]

    def __str__(self) -> str:
        page = self.section.name if self.section_id else gettext("Home")
        return gettext("%(story)s on %(page)s") % {"story": self.article, "page": page}


class Correction(models.Model):
    """A dated note appended to a published story, shown to readers under it."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("article")
    )
    note = models.TextField(
        _("note"), help_text=_("What was wrong and what is right now, in plain text.")
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["published_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(note=""), name="correction_note_not_empty"),
        ]

    def __str__(self) -> str:
        return gettext("Correction to %(story)s (%(date)s)") % {
            "story": self.article,
            "date": f"{self.published_at:%Y-%m-%d}",
        }

    def save(self, *args, **kwargs) -> None:
        edited = not self._state.adding
        super().save(*args, **kwargs)
        # A correction changes the story: its modified time moves with it (to now
        # when one is edited later: the story's pages kept rendered are keyed by
        # it), and it is a new version (partners see one). It changes the text
        # translations were made from, too.
        changed = max(self.published_at, timezone.now()) if edited else self.published_at
        Article.objects.filter(pk=self.article_id).update(
            updated_at=Greatest(F("updated_at"), Value(changed)),
            version=F("version") + 1,
            text_revision=F("text_revision") + 1,
        )


class ArticleTransition(models.Model):
    """One change of a story's state: who moved it, when, from what to what, and why."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        SUBMITTED = "submitted", _("Submitted for review")
        SENT_BACK = "sent_back", _("Sent back for changes")
        PUBLISHED = "published", _("Published")
        SCHEDULED = "scheduled", _("Scheduled")
        UNPUBLISHED = "unpublished", _("Unpublished")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DELETED = "deleted", _("Deleted")
        RECOVERED = "recovered", _("Recovered")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("article")
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status = models.CharField(
        _("from"), max_length=20, choices=Article.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=Article.Status.choices)
    publish_at = models.DateTimeField(_("publish time"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("article transition")
        verbose_name_plural = _("article transitions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    action__in=[
                        "created",
                        "submitted",
                        "sent_back",
                        "published",
                        "scheduled",
                        "unpublished",
                        "withdrawn",
                        "deleted",
                        "recovered",
                    ]
                ),
                name="article_transition_action_valid",
            ),
            models.CheckConstraint(
                condition=~Q(action="sent_back") | ~Q(note=""),
                name="article_transition_send_back_has_note",
            ),
        ]
        indexes = [
            models.Index(fields=["article", "-created_at"], name="article_transition_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.article}"


class ArticlePresence(models.Model):
    """Someone has a story open in the admin's form, as of `seen_at`.

    The form page refreshes `seen_at` while it stays open; an entry older than
    `NEWSROOM_PRESENCE_SECONDS` means they have left.
    """

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="presences", verbose_name=_("article")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    seen_at = models.DateTimeField(_("seen at"), default=timezone.now)

    class Meta:
        verbose_name = _("editing presence")
        verbose_name_plural = _("editing presences")
        constraints = [
            # Also the index for "who has this story open".
            models.UniqueConstraint(fields=["article", "user"], name="article_presence_unique"),
        ]

    def __str__(self) -> str:
        return gettext("%(person)s editing %(story)s") % {
            "person": self.user,
            "story": self.article,
        }


class PreviewLink(models.Model):
    """A signed link that shows a story's preview to someone without an account.

    It works until `expires_at`, or until an editor revokes it.
    """

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="preview_links", verbose_name=_("article")
    )
    note = models.CharField(
        _("for"),
        max_length=200,
        blank=True,
        help_text=_("Who the link is for, e.g. “legal review”."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("preview link")
        verbose_name_plural = _("preview links")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")),
                name="preview_link_expires_after_creation",
            ),
        ]
        indexes = [models.Index(fields=["article", "-created_at"], name="preview_link_article_idx")]

    def __str__(self) -> str:
        return gettext("Preview of %(story)s") % {"story": self.article}

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


# Revisions (django-reversion): a story's fields with its topic links, saved
# together (topics through those links). The search vector is the database's
# business and not worth keeping.
reversion.register(ArticleTopic)
reversion.register(
    Article, exclude=["search_vector", "search_lemmas", "topics"], follow=["topic_links"]
)
