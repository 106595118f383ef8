"""The topic vocabulary in the admin: the moderators' list, queue, merge and duplicates.

Anyone with the topic permissions of their group sees the list; only users who
may moderate (`topics.moderate_topic`: the Topic moderators group and superusers)
approve, reject, rename, merge and delete, through `moderation.actions`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Q, Value
from django.db.models.functions import Concat
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from articles.pagination import StoryPaginator
from moderation import actions
from moderation.forms import MergeForm, TopicAliasForm, TopicForm, TopicNameForm
from moderation.usage import topics_in_use, with_usage
from topics.duplicates import likely_duplicates
from topics.models import NormalName, Topic, TopicAlias, TopicLogEntry, TopicName, tidy_name

# Topics found by a name in another language, at most, in one admin search.
SEARCH_NAMES_LIMIT = 1000
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


class TopicNameInline(admin.TabularInline):
    """The topic's names in the site's other languages, each with the slug made from it.

    Saved through `moderation.actions` (see `TopicAdmin.save_related`). Whoever may
    add a topic may name it in other languages as they add it; changing or
    removing a name afterwards is for topic moderators, like a rename.
    """

    model = TopicName
    form = TopicNameForm
    fields = ("language", "name", "slug")
    readonly_fields = ("slug",)
    extra = 0

    def get_extra(self, request: HttpRequest, obj=None, **kwargs) -> int:
        return 1 if self.has_add_permission(request, obj) else 0

    def get_max_num(self, request: HttpRequest, obj=None, **kwargs) -> int:
        return len(settings.LANGUAGES) - 1

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm("topics.view_topic") or actions.can_moderate(request.user)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is None:
            return request.user.has_perm("topics.add_topic")
        return actions.can_moderate(request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return actions.can_moderate(request.user)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return actions.can_moderate(request.user)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    inlines = (TopicNameInline,)
    form = TopicForm
    list_display = (
        "name",
        "other_names",
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
            _("Moderation"),
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
        # Counts, examples and names in other languages are subqueries evaluated for
        # the rows shown only; the examples are stories the user may read.
        names = TopicName.objects.filter(topic=OuterRef("pk")).order_by("language")
        topics = topics.annotate(
            names_elsewhere=ArraySubquery(
                names.values(text=Concat("language", Value(": "), "name"))
            )
        )
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
        key = NormalName(Value(term))
        # Names in other languages too (the start of its Ukrainian name finds "Russia"),
        # through their own trigram index; the ids are few, so the OR stays on indexes.
        named = list(
            TopicName.objects.alias(name_key=NormalName("name"))
            .filter(name_key__contains=key)
            .values_list("topic_id", flat=True)[:SEARCH_NAMES_LIMIT]
        )
        matches = queryset.alias(name_key=NormalName("name")).filter(
            Q(name_key__contains=key) | Q(pk__in=named)
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

    @admin.display(description=_("published stories"), ordering="published_stories")
    def published_stories(self, topic: Topic) -> int:
        return topic.published_stories

    @admin.display(description=_("all stories"), ordering="all_stories")
    def all_stories(self, topic: Topic) -> int:
        return topic.all_stories

    @admin.display(description=_("latest stories"))
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

    @admin.display(description=_("stories"))
    def usage(self, topic: Topic) -> str:
        return format_html(
            gettext("{published} published, {all} in all. Latest: {latest}"),
            published=topic.published_stories,
            all=topic.all_stories,
            latest=self.sample(topic),
        )

    @admin.display(description=_("in other languages"))
    def other_names(self, topic: Topic) -> str:
        return ", ".join(getattr(topic, "names_elsewhere", None) or ()) or "—"

    @admin.display(description=_("aliases"))
    def alias_names(self, topic: Topic) -> str:
        return ", ".join(alias.name for alias in topic.aliases.all()) or "—"

    @admin.display(description=_("old addresses (301 to this topic)"))
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

    def get_inline_instances(self, request: HttpRequest, obj=None):
        inlines = super().get_inline_instances(request, obj)
        if request.method == "POST" and "names-TOTAL_FORMS" not in request.POST:
            # Posted without the names (a script, a page from before they existed):
            # the names stay as they are.
            return [inline for inline in inlines if not isinstance(inline, TopicNameInline)]
        return inlines

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        names = [formset for formset in formsets if formset.model is TopicName]
        others = [formset for formset in formsets if formset.model is not TopicName]
        super().save_related(request, form, others, change)
        for formset in names:
            self.save_names(request, form.instance, formset, moderated=change)

    def save_names(self, request: HttpRequest, topic: Topic, formset, *, moderated: bool) -> None:
        """Save the inline's names: each change a logged action, unless a proposal is added."""
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if not moderated and not actions.can_moderate(request.user):
            # A proposal: named as it is added, like its default name (`add_topic`).
            for name_form in formset.forms:
                if name_form.has_changed() and name_form not in formset.deleted_forms:
                    data = name_form.cleaned_data
                    formset.new_objects.append(topic.set_name(data["language"], data["name"]))
            return
        for name_form in formset.deleted_forms:
            if name_form.instance.pk:
                # As stored: the form may carry edits of the row it deletes.
                stored = TopicName.objects.select_related("topic").get(pk=name_form.instance.pk)
                actions.remove_name(request.user, stored)
                formset.deleted_objects.append(stored)
        for name_form in formset.forms:
            if not name_form.has_changed() or name_form in formset.deleted_forms:
                continue
            data = name_form.cleaned_data
            old_language = name_form.initial.get("language")
            if name_form.instance.pk and old_language != data["language"]:
                old = TopicName.objects.get(pk=name_form.instance.pk)
                actions.remove_name(request.user, old)
            saved = actions.set_name(request.user, topic, data["language"], data["name"])
            if name_form.instance.pk and old_language == data["language"]:
                formset.changed_objects.append((saved, name_form.changed_data))
            else:
                formset.new_objects.append(saved)

    def delete_model(self, request: HttpRequest, obj: Topic) -> None:
        actions.delete_unused(request.user, [obj])

    # --- Actions ------------------------------------------------------------------------------

    @admin.action(description=_("Approve the selected topics"), permissions=["moderate"])
    def approve_selected(self, request: HttpRequest, queryset) -> None:
        count = len(actions.approve(request.user, queryset))
        message = ngettext("Approved %(count)s topic.", "Approved %(count)s topics.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Reject the selected topics"), permissions=["moderate"])
    def reject_selected(self, request: HttpRequest, queryset) -> None:
        count = len(actions.reject(request.user, queryset))
        message = ngettext("Rejected %(count)s topic.", "Rejected %(count)s topics.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Merge the selected topics…"), permissions=["moderate"])
    def merge_selected(self, request: HttpRequest, queryset) -> HttpResponse | None:
        topics = list(queryset.order_by("pk")[: MERGE_LIMIT + 1])
        if not 2 <= len(topics) <= MERGE_LIMIT:
            self.message_user(
                request,
                gettext("Select between two and %(limit)s topics to merge.")
                % {"limit": MERGE_LIMIT},
                messages.WARNING,
            )
            return None
        return HttpResponseRedirect(_merge_url(topics))

    @admin.action(
        description=_("Delete the selected topics no story uses"), permissions=["moderate"]
    )
    def delete_unused_selected(self, request: HttpRequest, queryset) -> None:
        deleted, kept = actions.delete_unused(request.user, queryset)
        if deleted:
            count = len(deleted)
            message = ngettext(
                "Deleted %(count)s unused topic.", "Deleted %(count)s unused topics.", count
            )
            self.message_user(request, message % {"count": count}, messages.SUCCESS)
        if kept:
            names = ", ".join(f"“{topic.name}”" for topic in kept)
            message = gettext(
                "Kept %(names)s: stories use them. Merge them into another topic instead."
            )
            self.message_user(request, message % {"names": names}, messages.WARNING)

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
                    merged = ngettext(
                        "Merged %(count)s topic into “%(target)s”",
                        "Merged %(count)s topics into “%(target)s”",
                        len(result.merged),
                    ) % {"count": len(result.merged), "target": result.target.name}
                    tagged = ngettext(
                        "%(count)s story newly tagged with it.",
                        "%(count)s stories newly tagged with it.",
                        result.links_added,
                    ) % {"count": result.links_added}
                    self.message_user(request, f"{merged}: {tagged}", messages.SUCCESS)
                    return HttpResponseRedirect(
                        reverse("admin:topics_topic_change", args=[result.target.pk])
                    )
        return self._screen(
            request,
            "admin/topics/topic/merge_confirmation.html",
            gettext("Merge topics"),
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
            request,
            "admin/topics/topic/duplicates.html",
            gettext("Likely duplicate topics"),
            rows=rows,
        )


@admin.register(TopicAlias)
class TopicAliasAdmin(admin.ModelAdmin):
    """Other names of topics: tagging with one attaches its topic."""

    form = TopicAliasForm
    list_display = ("name", "language", "topic", "created_by", "created_at")
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
        saved = actions.add_alias(request.user, obj.topic, obj.name, obj.language)
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
