"""The filters of the story list in the admin: status, language, topic and author.

The topic and author filters offer the ones of recently changed stories, not
every topic or person there is, so that the list stays quick to open.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.db.models import Count, F
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles.languages import language_choices
from articles.models import Article, ArticleTopic

Status = Article.Status

# The filters offer the topics and authors of this many recently changed stories.
RECENT_STORIES = 200
FILTER_CHOICES = 15


class StatusFilter(admin.SimpleListFilter):
    """Status as the desk sees it; without a choice, deleted stories stay out of sight."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            (Status.DRAFT, Status.DRAFT.label),
            (Status.CHANGES_REQUESTED, Status.CHANGES_REQUESTED.label),
            (Status.IN_REVIEW, Status.IN_REVIEW.label),
            ("scheduled", _("Scheduled")),
            (Status.PUBLISHED, _("Published (public)")),
            (Status.UNPUBLISHED, Status.UNPUBLISHED.label),
            (Status.WITHDRAWN, Status.WITHDRAWN.label),
            (Status.DELETED, _("Deleted (recoverable)")),
        ]

    def choices(self, changelist):
        # Django's own "All", in the language it was shown in.
        everything = gettext("All")
        for choice in super().choices(changelist):
            if choice["display"] == everything:
                choice["display"] = gettext("All but deleted")
            yield choice

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset.on_the_desk()
        if value == "scheduled":
            return queryset.scheduled()
        if value == Status.PUBLISHED:
            return queryset.published()
        if value in Status.values:
            return queryset.filter(status=value)
        return queryset.on_the_desk()


class LanguageFilter(admin.SimpleListFilter):
    """The stories of one edition; translations whose original changed since, apart."""

    title = _("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return [
            *language_choices(),
            ("outdated", _("Translations out of date")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "outdated":
            return queryset.filter(
                translation_of__isnull=False,
                translated_from_revision__lt=F("translation_of__text_revision"),
            )
        if value in dict(settings.LANGUAGES):
            return queryset.filter(language=value)
        return queryset


def recent_stories():
    return Article.objects.order_by("-updated_at").values("pk")[:RECENT_STORIES]


class TopicFilter(admin.SimpleListFilter):
    """The topics of recently changed stories; any topic through `?topic=<slug>`."""

    title = _("topic")
    parameter_name = "topic"

    def lookups(self, request, model_admin):
        rows = (
            ArticleTopic.objects.filter(content_object__in=recent_stories())
            .values_list("tag__slug", "tag__name")
            .annotate(uses=Count("pk"))
            .order_by("-uses", "tag__name")[:FILTER_CHOICES]
        )
        choices = [(slug, name) for slug, name, _ in rows]
        if self.value() and self.value() not in {slug for slug, _ in choices}:
            choices.append((self.value(), self.value()))
        return choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(topic_links__tag__slug=self.value())
        return queryset


class AuthorFilter(admin.SimpleListFilter):
    """ "Me", and the bylines of recently changed stories."""

    title = _("author")
    parameter_name = "author"

    def lookups(self, request, model_admin):
        through = Article.authors.through
        rows = (
            through.objects.filter(article__in=recent_stories())
            .values_list("user", "user__first_name", "user__last_name", "user__username")
            .annotate(stories=Count("pk"))
            .order_by("-stories", "user__last_name")[:FILTER_CHOICES]
        )
        choices = [("me", gettext("Me"))]
        choices += [
            (str(pk), f"{first} {last}".strip() or username)
            for pk, first, last, username, _ in rows
        ]
        return choices

    def queryset(self, request, queryset):
        value = self.value()
        if value == "me":
            return queryset.filter(authors=request.user)
        if value and value.isdigit():
            return queryset.filter(authors=int(value))
        return queryset
