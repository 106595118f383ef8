"""The topic vocabulary in the admin: the moderators' list, queue, merge and duplicates.

Anyone with the topic permissions of their group sees the list; only users who
may moderate (`topics.moderate_topic`: the Topic moderators group and superusers)
approve, reject, rename, merge and delete, through `moderation.actions`.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Value
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from articles.models import Article
from articles.pagination import StoryPaginator
from moderation import actions
from moderation.forms import MergeForm, TopicAliasForm, TopicForm
from moderation.usage import topics_in_use, with_usage
from topics.duplicates import likely_duplicates
from topics.models import NormalName, Topic, TopicAlias, TopicLogEntry, tidy_name

# Topics merged at once: a handful of duplicates, never half the vocabulary by accident.
MERGE_LIMIT = 50


def _merge_url(topics, target=None) -> str:
    query = "ids=" + ",".join(str(topic.pk) for topic in topics)
    if target is not None:
        query += f"&target={target.pk}"
    return f"{reverse('admin:topics_topic_merge')}?{query}"


def _ids(text: str) -> list[int]:
    """Return the topic ids in a comma-separated list, ignoring anything that is not one."""
    parts = (part.strip() for part in text.split(",")[:MERGE_LIMIT])
    return [int(part) for part in parts if part.isdigit() and len(part) <= 18]


class ChoicePaginator(StoryPaginator):
    """Pages of the topic autocomplete, which only asks whether more names follow.

    Counting every topic containing "ka" took 90 ms with 50,000 topics; a page
    is read with one row more instead (see `articles.pagination`).
    """

    @property
    def num_pages(self) -> int:
        # "?page=last": the deepest page served, past which a page is not found.
        return self.max_pages


def is_autocomplete(request: HttpRequest) -> bool:
    match = request.resolver_match
    return bool(match and match.url_name == "autocomplete")


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    form = TopicForm
    list_display = (
        "name",
        "status",
        "kind",
        "published_stories",
        "all_stories",
        "sample",
        "proposed_by",
        "proposed_at",
    )
    list_filter = ("status", "kind")
    list_select_related = ("proposed_by",)
    search_fields = ("name",)  # See get_search_results.
    ordering = ("name",)
    actions = ("approve_selected", "reject_selected", "merge_selected", "delete_unused_selected")
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "description")}),
        (
            "Moderation",
            {
                "fields": (
                    "status",
                    "proposed_by",
                    "proposed_at",
                    "usage",
                    "alias_names",
                    "old_addresses",
                )
            },
        ),
    )
    readonly_fields = (
        "status",
        "proposed_by",
        "proposed_at",
        "usage",
        "alias_names",
        "old_addresses",
    )

    def get_fieldsets(self, request: HttpRequest, obj=None):
        # A new topic has no moderation history yet.
        return self.fieldsets if obj is not None else self.fieldsets[:1]

    def get_queryset(self, request: HttpRequest):
        topics = super().get_queryset(request)
        if is_autocomplete(request):
            # A choice list shows names only: no counts to compute for every match.
            return topics
        # Counts and examples are subqueries evaluated for the rows shown only; the
        # examples are stories the user may read.
        return with_usage(topics, shown=Article.objects.readable_by(request.user))

    def get_paginator(self, request: HttpRequest, queryset, per_page: int, *args, **kwargs):
        if is_autocomplete(request):
            return ChoicePaginator(queryset, per_page)
        return super().get_paginator(request, queryset, per_page, *args, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        """Find topics whose normal form contains the term's, through the trigram index.

        "rus", "RUSS" and "Rüss" all find "Russia"; the GIN index on the normal form
        (`topic_name_trgm_idx`) answers LIKE '%…%' with 100,000 topics too.
        """
        term = tidy_name(search_term)
        if not term:
            return queryset, False
        matches = queryset.alias(name_key=NormalName("name")).filter(
            name_key__contains=NormalName(Value(term))
        )
        return matches, False

    def get_actions(self, request: HttpRequest):
        found = super().get_actions(request)
        # Deleting goes through delete_unused_selected: topics in use are merged, not deleted.
        found.pop("delete_selected", None)
        return found

    # --- Permissions --------------------------------------------------------------------

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return actions.can_moderate(request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.has_moderate_permission(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        if not (self.has_moderate_permission(request) and super().has_delete_permission(request)):
            return False
        return obj is None or not topics_in_use([obj.pk])

    # --- Columns and read-only fields -----------------------------------------------------

    @admin.display(description="published stories", ordering="published_stories")
    def published_stories(self, topic: Topic) -> int:
        return topic.published_stories

    @admin.display(description="all stories", ordering="all_stories")
    def all_stories(self, topic: Topic) -> int:
        return topic.all_stories

    @admin.display(description="latest stories")
    def sample(self, topic: Topic) -> str:
        return (
            format_html_join(
                ", ",
                '<a href="{}">{}</a> ({})',
                (
                    (
                        reverse("admin:articles_article_change", args=[story["id"]]),
                        story["headline"],
                        story["status"],
                    )
                    for story in topic.sample_stories
                ),
            )
            or "—"
        )

    @admin.display(description="stories")
    def usage(self, topic: Topic) -> str:
        return format_html(
            "{} published, {} in all. Latest: {}",
            topic.published_stories,
            topic.all_stories,
            self.sample(topic),
        )

    @admin.display(description="aliases")
    def alias_names(self, topic: Topic) -> str:
        return ", ".join(alias.name for alias in topic.aliases.all()) or "—"

    @admin.display(description="old addresses (301 to this topic)")
    def old_addresses(self, topic: Topic) -> str:
        return ", ".join(f"/topics/{r.old_slug}/" for r in topic.redirects.all()) or "—"

    # --- Saving and deleting ----------------------------------------------------------------

    def save_model(self, request: HttpRequest, obj: Topic, form, change: bool) -> None:
        if not change:
            actions.add_topic(request.user, obj)
            return
        if {"name", "slug"} & set(form.changed_data):
            actions.rename(request.user, obj, name=obj.name, slug=obj.slug)
        actions.edit(request.user, obj, form.changed_data)

    def delete_model(self, request: HttpRequest, obj: Topic) -> None:
        actions.delete_unused(request.user, [obj])

    # --- Actions ------------------------------------------------------------------------------

    @admin.action(description="Approve the selected topics", permissions=["moderate"])
    def approve_selected(self, request: HttpRequest, queryset) -> None:
        changed = actions.approve(request.user, queryset)
        self.message_user(request, f"Approved {len(changed)} topics.", messages.SUCCESS)

    @admin.action(description="Reject the selected topics", permissions=["moderate"])
    def reject_selected(self, request: HttpRequest, queryset) -> None:
        changed = actions.reject(request.user, queryset)
        self.message_user(request, f"Rejected {len(changed)} topics.", messages.SUCCESS)

    @admin.action(description="Merge the selected topics…", permissions=["moderate"])
    def merge_selected(self, request: HttpRequest, queryset) -> HttpResponse | None:
        topics = list(queryset.order_by("pk")[: MERGE_LIMIT + 1])
        if not 2 <= len(topics) <= MERGE_LIMIT:
            self.message_user(
                request,
                f"Select between two and {MERGE_LIMIT} topics to merge.",
                messages.WARNING,
            )
            return None
        return HttpResponseRedirect(_merge_url(topics))

    @admin.action(description="Delete the selected topics no story uses", permissions=["moderate"])
    def delete_unused_selected(self, request: HttpRequest, queryset) -> None:
        deleted, kept = actions.delete_unused(request.user, queryset)
        if deleted:
            self.message_user(request, f"Deleted {len(deleted)} unused topics.", messages.SUCCESS)
        if kept:
            names = ", ".join(f"“{topic.name}”" for topic in kept)
            self.message_user(
                request,
                f"Kept {names}: stories use them. Merge them into another topic instead.",
                messages.WARNING,
            )

    # --- Extra screens ------------------------------------------------------------------------

    def get_urls(self):
        def moderator_view(view):
            return self.admin_site.admin_view(view)

        return [
            path("merge/", moderator_view(self.merge_view), name="topics_topic_merge"),
            path(
                "duplicates/", moderator_view(self.duplicates_view), name="topics_topic_duplicates"
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context=None):
        can_moderate = self.has_moderate_permission(request)
        extra_context = {
            "can_moderate": can_moderate,
            "pending_count": Topic.objects.pending().count() if can_moderate else None,
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def _screen(
        self, request: HttpRequest, template: str, title: str, **context
    ) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            **context,
        }
        return TemplateResponse(request, template, context)

    def merge_view(self, request: HttpRequest) -> HttpResponse:
        """Confirm a merge: show what will change, then merge on POST."""
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else request.GET
        ids = _ids(data.get("ids", ""))
        topics = Topic.objects.filter(pk__in=ids).exclude(status=Topic.Status.REJECTED)
        form = MergeForm(
            {"topics": ids, "target": data.get("target") or self._likely_target(ids)},
            topics=topics,
        )
        plan = None
        if form.is_valid():
            plan = actions.plan_merge(form.cleaned_data["target"], form.sources)
            if request.method == "POST" and "confirm" in request.POST:
                try:
                    result = actions.merge(request.user, form.cleaned_data["target"], form.sources)
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    self.message_user(
                        request,
                        f"Merged {len(result.merged)} topics into “{result.target.name}”: "
                        f"{result.links_added} stories newly tagged with it.",
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(
                        reverse("admin:topics_topic_change", args=[result.target.pk])
                    )
        return self._screen(
            request,
            "admin/topics/topic/merge_confirmation.html",
            "Merge topics",
            form=form,
            plan=plan,
            ids=",".join(str(pk) for pk in ids),
        )

    def _likely_target(self, ids: list[int]) -> int | None:
        """Suggest the topic to keep: approved first, then the most published stories."""
        topics = with_usage(Topic.objects.filter(pk__in=ids))
        best = max(
            topics,
            key=lambda t: (t.status == Topic.Status.APPROVED, t.published_stories, -t.pk),
            default=None,
        )
        return best.pk if best else None

    def duplicates_view(self, request: HttpRequest) -> HttpResponse:
        """List pairs of topics that are probably one, each with a link to merge them."""
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        pairs = likely_duplicates()
        usage = with_usage(
            Topic.objects.filter(pk__in={t.pk for pair in pairs for t in (pair.first, pair.second)})
        ).in_bulk()
        rows = [
            {
                "pair": pair,
                "first": usage[pair.first.pk],
                "second": usage[pair.second.pk],
                "merge_url": _merge_url([pair.first, pair.second]),
            }
            for pair in pairs
        ]
        return self._screen(
            request, "admin/topics/topic/duplicates.html", "Likely duplicate topics", rows=rows
        )


@admin.register(TopicAlias)
class TopicAliasAdmin(admin.ModelAdmin):
    """Other names of topics: tagging with one attaches its topic."""

    form = TopicAliasForm
    list_display = ("name", "topic", "created_by", "created_at")
    list_select_related = ("topic", "created_by")
    search_fields = ("name", "topic__name")
    autocomplete_fields = ("topic",)
    ordering = ("name",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return actions.can_moderate(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return actions.can_moderate(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return actions.can_moderate(request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # An alias is added or removed, never edited: each is one logged action.
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return actions.can_moderate(request.user)

    def save_model(self, request: HttpRequest, obj: TopicAlias, form, change: bool) -> None:
        saved = actions.add_alias(request.user, obj.topic, obj.name)
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: TopicAlias) -> None:
        actions.remove_alias(request.user, obj)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for alias in queryset.select_related("topic"):
            actions.remove_alias(request.user, alias)


@admin.register(TopicLogEntry)
class TopicLogEntryAdmin(admin.ModelAdmin):
    """Who did what to the vocabulary, and when. Read only."""

    list_display = ("created_at", "action", "topic_name", "actor", "summary")
    list_filter = ("action", "created_at")
    list_select_related = ("actor",)
    search_fields = ("topic_name", "summary")
    date_hierarchy = "created_at"
    fields = ("created_at", "action", "topic", "topic_name", "actor", "summary", "details")
    readonly_fields = fields
    show_full_result_count = False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return actions.can_moderate(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return actions.can_moderate(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
