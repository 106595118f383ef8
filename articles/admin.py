"""The newsdesk in the admin.

Every decision about who may do what is `articles.workflow`'s: this module
offers the choices it allows, passes on what was asked, and shows its answer.
"""

from __future__ import annotations

from functools import update_wrapper

import reversion
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Count, F, Q
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorFormField
from reversion.models import Version
from taggit.managers import TaggableManager

from articles import presence, previews, revisions, views, workflow
from articles.admin_display import local, person
from articles.admin_filters import AuthorFilter, LanguageFilter, StatusFilter, TopicFilter
from articles.admin_forms import (
    BODY_EDITOR_EXTENSIONS,
    ArticleAdminForm,
    CorrectionFormSet,
    SectionForm,
    WithdrawForm,
    label_split_datetime,
    other_languages,
    section_form,
    section_name_field,
    word_count_forms,
)
from articles.languages import language_choices, language_name
from articles.models import Article, Correction, Pin, PreviewLink, Section
from articles.pagination import CappedCountPaginator
from articles.sanitize import sanitize_body
from articles.search import any_language_query
from newsroom.admin_markup import TabularInlineForm, ValidAutocompleteMixin
from newsroom.csp import media_with_nonce, prose_editor_styles
from newsroom.datetimes import validate_storable
from topics.suggestions import SuggestionQuery, suggest
from topics.tagging import TopicsField, proposals_by

Status = Article.Status

# Typed times: "0001-01-01 00:00" in Kyiv is stored, but is before year 1 in UTC and
# cannot be read back. Refused in the form instead (`newsroom.datetimes`): every
# registered admin gets this from the admin site; inlines are not registered.
STORABLE_TIMES = {models.DateTimeField: {"validators": [validate_storable]}}


def name_column(code: str):
    """Return a change list column showing a section's name in `code`."""

    @admin.display(description=_("Name in %(language)s") % {"language": language_name(code)})
    def column(obj: Section) -> str:
        return obj.names.get(code, "")

    column.__name__ = section_name_field(code)  # The column's CSS class.
    return column


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    form = SectionForm
    list_display = ("name", "slug", "position", "story_count")
    list_editable = ("position",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def get_form(self, request, obj=None, **kwargs):
        return super().get_form(request, obj, **{"form": section_form(), **kwargs})

    def get_fields(self, request, obj=None) -> list[str]:
        # The names in the other languages come right after the name.
        names = [section_name_field(code) for code in other_languages()]
        fields = [f for f in super().get_fields(request, obj) if f not in names]
        at = fields.index("name") + 1 if "name" in fields else 0
        return [*fields[:at], *names, *fields[at:]]

    def get_list_display(self, request) -> tuple:
        # A column for the name in each other language, read from `names`.
        names = [name_column(code) for code in other_languages()]
        return (self.list_display[0], *names, *self.list_display[1:])

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_count=Count("articles"))

    @admin.display(description=_("stories"), ordering="story_count")
    def story_count(self, obj: Section) -> int:
        return obj.story_count


class EditorOnlyInline(admin.TabularInline):
    """An inline only users who may publish can add to, change or delete."""

    extra = 0
    form = TabularInlineForm
    formfield_overrides = STORABLE_TIMES

    def _can_publish(self, request: HttpRequest) -> bool:
        return workflow.is_editor(request.user)

    def has_add_permission(self, request, obj=None) -> bool:
        return self._can_publish(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._can_publish(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._can_publish(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("articles.view_article")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return label_split_datetime(super().formfield_for_dbfield(db_field, request, **kwargs))


class PinInline(EditorOnlyInline):
    model = Pin
    fields = ("section", "position", "ends_at", "created_by")
    readonly_fields = ("created_by",)
    verbose_name = _("pin to the top of a page")
    verbose_name_plural = _("pins to the top of the home page or a section page")


class CorrectionInline(EditorOnlyInline):
    model = Correction
    formset = CorrectionFormSet
    fields = ("published_at", "note", "created_by")
    readonly_fields = ("created_by",)


@admin.register(Pin)
class PinAdmin(admin.ModelAdmin):
    """What is pinned where, and until when."""

    list_display = ("article", "page", "position", "ends_at", "is_active", "created_by")
    list_filter = ("section", "ends_at")
    list_select_related = ("article", "section", "created_by")
    autocomplete_fields = ("article",)
    ordering = ("section", "position", "-created_at")

    @admin.display(description=_("page"), ordering="section")
    def page(self, obj: Pin) -> str:
        return obj.section.name if obj.section_id else gettext("Home")

    @admin.display(description=_("active"), boolean=True)
    def is_active(self, obj: Pin) -> bool:
        return obj.ends_at > timezone.now()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return workflow.is_editor(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return workflow.is_editor(request.user)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission

    def save_model(self, request, obj: Pin, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


# --- The article admin ------------------------------------------------------------------


@admin.register(Article)
class ArticleAdmin(ValidAutocompleteMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https"},
        # Topics: rejected names refused, topics awaiting a moderator pointed out.
        TaggableManager: {"form_class": TopicsField},
    }
    list_display = (
        "headline",
        "state",
        "edition",
        "section",
        "source",
        "byline",
        "publish_at",
        "updated_by",
        "updated_at",
    )
    list_filter = (
        StatusFilter,
        LanguageFilter,
        "section",
        "source",
        TopicFilter,
        AuthorFilter,
        ("publish_at", admin.DateFieldListFilter),
        ("updated_at", admin.DateFieldListFilter),
    )
    list_select_related = ("section", "source", "updated_by")
    search_fields = ("headline", "standfirst", "=id")
    autocomplete_fields = ("authors", "source", "section", "lead_image")
    ordering = ("-updated_at",)
    # A desk with hundreds of thousands of stories: no full-table COUNT per page.
    show_full_result_count = False
    paginator = CappedCountPaginator
    list_per_page = 50
    inlines = (PinInline, CorrectionInline)
    actions = (
        "submit_selected",
        "publish_selected",
        "unpublish_selected",
        "delete_selected_recoverably",
        "recover_selected",
    )
    # The writing screen: the story in the main column, everything about it beside it
    # (below it on narrow screens). The template places fieldsets by these classes.
    # The hidden version is rendered apart, without a label (see `get_form`).
    fieldsets = (
        (
            None,
            {
                "fields": ("headline", "slug", "standfirst", "dateline", "body"),
                "classes": ("writing-main", "writing-story"),
            },
        ),
        (
            _("Status"),
            {
                "fields": ("status", "withdrawal", "transition_note"),
                "classes": ("writing-side",),
            },
        ),
        (
            _("Schedule"),
            {
                "fields": ("publish_at", "embargoed", "first_published_at"),
                "classes": ("writing-side",),
            },
        ),
        (_("Filing"), {"fields": ("section", "topics"), "classes": ("writing-side",)}),
        (_("Language"), {"fields": ("language", "editions"), "classes": ("writing-side",)}),
        (
            _("Attribution"),
            {"fields": ("source", "source_url", "authors"), "classes": ("writing-side",)},
        ),
        (_("Photo"), {"fields": ("lead_image",), "classes": ("writing-side",)}),
        (
            _("Record"),
            {
                "fields": ("created_at", "created_by", "updated_at", "updated_by"),
                "classes": ("writing-side", "collapse"),
            },
        ),
        (_("Workflow history"), {"fields": ("history",), "classes": ("writing-after",)}),
    )

    class Media:
        js = ["articles/admin/presence.js"]
        css = {"all": ["articles/admin/desk.css"]}

    # --- Lists -----------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest):
        queryset = super().get_queryset(request)
        match = request.resolver_match
        if not (match and "object_id" in match.kwargs):
            # The list, bulk actions and other forms' choices of stories hold what the
            # user may read. One story's screens find any and answer 403 for one the
            # user may not read (`has_view_permission`), never a redirect.
            queryset = queryset.readable_by(request.user)
        if match and match.url_name == "articles_article_changelist":
            # The list shows no text: leave the bodies in the database. A translation
            # is out of date when its original's text revision has moved on.
            queryset = (
                queryset.defer("body", "standfirst")
                .prefetch_related("authors")
                .annotate(original_revision=F("translation_of__text_revision"))
            )
        return queryset

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        """Search words with the stories' full-text index, not a scan of every headline.

        A number finds the story with that id too; the search syntax is the site's
        (phrases in quotes, -word, or).
        """
        term = search_term.strip()
        if not term or "\x00" in term:
            return queryset, False
        found = Q(search_vector=any_language_query(term[:200]))
        if term.isdigit() and int(term) < 2**63:
            found |= Q(pk=int(term))
        return queryset.filter(found), False

    @admin.display(description=_("status"), ordering="status")
    def state(self, obj: Article) -> str:
        return obj.state_label

    @admin.display(description=_("language"), ordering="language")
    def edition(self, obj: Article) -> str:
        if obj.translation_is_outdated(getattr(obj, "original_revision", None)):
            return format_html(
                '{} <span class="translation-outdated">{}</span>',
                obj.language,
                gettext("out of date"),
            )
        return obj.language

    @admin.display(description=_("editions"))
    def editions(self, obj: Article) -> str:
        """The story's piece of news in every language, each with its state."""
        if not obj.pk:
            return "—"
        original = obj.translation_of_id or obj.pk
        group = (
            Article.objects.on_the_desk()
            .editions_of(obj)
            .exclude(pk=obj.pk)
            .only("pk", "headline", "language", "status", "publish_at", "translation_of_id")
            .order_by("language")
        )
        rows = [
            (
                self.url("change", edition),
                edition.language,
                edition.headline,
                gettext("original") if edition.pk == original else edition.state_label,
            )
            for edition in group
        ]
        note = ""
        if obj.translation_is_outdated():
            note = format_html(
                '<p class="translation-outdated">{}</p>',
                gettext("The original changed after this translation was made: check it."),
            )
        if not rows:
            return format_html("{}{}", note, gettext("No other language yet."))
        return format_html(
            '{}<ul class="story-editions">{}</ul>',
            note,
            format_html_join("", '<li><a href="{}" lang="{}">{}</a> · {}</li>', rows),
        )

    @admin.display(description=_("withdrawal"))
    def withdrawal(self, obj: Article) -> str:
        if obj.status != Status.WITHDRAWN:
            return "—"
        return gettext("Withdrawn on %(time)s: %(reason)s") % {
            "time": local(obj.withdrawn_at),
            "reason": obj.withdrawal_reason,
        }

    @admin.display(description=_("byline"))
    def byline(self, obj: Article) -> str:
        return ", ".join(person(a) for a in obj.authors.all())

    @admin.display(description=_("transitions"))
    def history(self, obj: Article) -> str:
        if not obj.pk:
            return "—"
        rows = list(obj.transitions.select_related("user"))
        if not rows:
            return gettext("No change of status recorded yet.")
        headings = [
            gettext("When"),
            gettext("Who"),
            gettext("What"),
            gettext("From"),
            gettext("To"),
            gettext("Note"),
        ]
        return format_html(
            '<table class="workflow-history"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>',
            format_html_join("", '<th scope="col">{}</th>', ((h,) for h in headings)),
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                (
                    (
                        local(t.created_at),
                        person(t.user) if t.user_id else gettext("the system"),
                        workflow.describe_transition(t),
                        t.get_from_status_display() or "—",
                        t.get_to_status_display(),
                        t.note or "",
                    )
                    for t in rows
                ),
            ),
        )

    # --- Permissions: all asked of the workflow --------------------------------------

    def has_view_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        if obj is not None:
            return workflow.can_read(request.user, obj)
        return super().has_view_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        if obj is not None:
            return workflow.can_edit(request.user, obj)
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        if obj is not None:
            return workflow.can_delete(request.user, obj)
        return super().has_delete_permission(request, obj)

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return workflow.is_editor(request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: Article | None = None):
        fields = ["first_published_at", "created_at", "created_by", "updated_at"]
        fields += ["updated_by", "history", "editions", "withdrawal"]
        if not workflow.is_editor(request.user):
            fields += ["publish_at", "embargoed"]
        return fields

    def get_fieldsets(self, request: HttpRequest, obj: Article | None = None):
        fieldsets = super().get_fieldsets(request, obj)
        hidden = set()
        if obj is None or obj.status != Status.WITHDRAWN:
            hidden.add("withdrawal")
        if obj is None:
            hidden |= {"history", "created_by", "updated_by", "editions"}
        elif not self.has_change_permission(request, obj):
            hidden |= {"transition_note"}
        if obj is not None and not workflow.can_preview(request.user, obj):
            hidden.add("history")  # How the story got here is for its people and editors.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for name, options in fieldsets
            if [f for f in options["fields"] if f not in hidden]
        ]

    def get_form(self, request: HttpRequest, obj: Article | None = None, **kwargs):
        if kwargs.get("fields") and obj is not None:
            # The version for optimistic locking is in no fieldset, so that no label
            # points at a hidden input; the template renders it on its own. (Django
            # leaves every field out for those who may only view the story.)
            kwargs["fields"] = [*kwargs["fields"], "version"]
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        if "status" in form.base_fields:
            form.base_fields["status"].choices = [
                (status, Status(status).label)
                for status in workflow.reachable_statuses(request.user, obj)
            ]
            form.base_fields["status"].help_text = _(
                "Where the story goes when you save: only the steps open to you are offered. "
                "Published with a future publish time means scheduled."
            )
        return form

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            field = ProseEditorFormField(
                label=_("Body"),
                required=False,
                extensions=BODY_EDITOR_EXTENSIONS,
                sanitize=sanitize_body,
                help_text=db_field.help_text,
            )
            field.widget.attrs.update(word_count_forms())
            return field
        if db_field.name == "language":
            return forms.ChoiceField(
                label=capfirst(db_field.verbose_name),
                choices=language_choices(),
                initial=settings.LANGUAGE_CODE,
                help_text=db_field.help_text,
            )
        if db_field.name == "topics":
            kwargs["suggestions_url"] = reverse(
                f"{self.admin_site.name}:articles_article_topic_suggestions"
            )
        return label_split_datetime(super().formfield_for_dbfield(db_field, request, **kwargs))

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and "action" in request.POST and not self.get_actions(request):
            # Django would quietly show the list again; say why nothing happened.
            messages.error(request, gettext("You may not take actions on stories."))
            return HttpResponseRedirect(request.get_full_path())
        return super().changelist_view(request, extra_context)

    def get_actions(self, request: HttpRequest):
        actions = super().get_actions(request)
        # Deleting is recoverable here: Django's own bulk delete would destroy rows.
        actions.pop("delete_selected", None)
        return actions

    # --- Saving: through the workflow ------------------------------------------------

    @method_decorator(prose_editor_styles)
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return self.changeform_in_revision(request, object_id, form_url, extra_context)
        except (workflow.EditConflict, workflow.WorkflowError):
            # Saved or moved by someone else between the form's checks and the save:
            # nothing was written, and the form, checked again, says what happened.
            try:
                return self.changeform_in_revision(request, object_id, form_url, extra_context)
            except workflow.EditConflict:  # Saved again in between: say so, change nothing.
                raise PermissionDenied("The story changed while it was being saved.") from None

    def changeform_in_revision(self, request, object_id, form_url, extra_context):
        # One revision per save, holding the story with its byline and topics.
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj: Article, form, change) -> None:
        result = workflow.save(obj, request.user, note=form.cleaned_data.get("transition_note", ""))
        edited = [
            revisions.LABELS.get(name, name).lower()
            for name in form.changed_data
            if name not in ("status", "publish_at", "transition_note", "version")
        ]
        comment = [workflow.describe(result.action, obj)] if result else []
        if change and edited:
            comment.append(gettext("changed %(fields)s") % {"fields": ", ".join(edited)})
        reversion.set_comment("; ".join(comment).capitalize() or gettext("Saved without changes"))
        if result and change:
            messages.info(request, f"{workflow.describe(result.action, obj)}.")

    def save_related(self, request, form, formsets, change) -> None:
        # New topic names typed in the form are proposals by this user.
        with proposals_by(request.user):
            super().save_related(request, form, formsets, change)
        reversion.add_to_revision(form.instance)  # Now with its final byline and topics.

    def save_formset(self, request, form, formset, change) -> None:
        for instance in formset.save(commit=False):
            if isinstance(instance, Correction) and instance.pk is None:
                workflow.add_correction(
                    form.instance, request.user, instance.note, instance.published_at
                )
                continue
            if isinstance(instance, Pin) and instance.created_by_id is None:
                instance.created_by = request.user
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The prose editor's import map is an inline script: it runs with this page's nonce.
        context["media"] = media_with_nonce(context["media"], request)
        if obj is not None and obj.pk:
            if self.has_change_permission(request, obj):
                presence.mark(obj, request.user)
            context.update(
                presence_text=presence.describe(presence.others(obj, request.user)),
                presence_url=self.url("presence", obj),
                presence_interval=presence.HEARTBEAT_SECONDS,
                can_preview=workflow.can_preview(request.user, obj),
                can_share_preview=workflow.can_share_preview(request.user),
                can_recover=workflow.can_recover(request.user, obj),
                preview_url=self.url("preview", obj),
                revisions_url=self.url("revisions", obj),
                preview_links_url=self.url("preview_links", obj),
                recover_url=self.url("recover", obj),
                translate_url=self.url("translate", obj),
                translate_languages=[
                    (code, name)
                    for code, name in language_choices()
                    if code not in workflow.edition_languages(obj)
                ]
                if obj.status not in (Status.DELETED, Status.WITHDRAWN)
                and self.has_add_permission(request)
                else [],
                mark_current_url=self.url("mark_current", obj),
                can_mark_current=obj.translation_is_outdated()
                and self.has_change_permission(request, obj),
                withdraw_url=self.url("withdraw", obj),
                can_withdraw=self.can_withdraw(request, obj),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- Deleting: recoverably, through the workflow ---------------------------------

    def get_deleted_objects(self, objs, request):
        # Nothing is destroyed: the story alone moves to the deleted ones.
        return [str(obj) for obj in objs], {"stories": len(objs)}, set(), []

    def delete_model(self, request, obj: Article) -> None:
        workflow.delete(obj, request.user)
        messages.info(
            request,
            gettext(
                "It can be recovered: choose “Deleted (recoverable)” under Status in the list."
            ),
        )

    def delete_queryset(self, request, queryset) -> None:
        for article in queryset:
            workflow.delete(article, request.user)

    # --- Bulk actions -------------------------------------------------------------------

    def run_bulk(self, request, queryset, act, done) -> None:
        """Apply `act` to every selected story, or to none if any is refused.

        `done` is the message of success, plural by "count" (`ngettext_lazy`).
        """
        articles = list(queryset.select_related(None).prefetch_related(None).only("headline"))
        selected = set(request.POST.getlist(ACTION_CHECKBOX_NAME))
        if request.POST.get("select_across") != "1" and len(articles) < len(selected):
            # The list holds only what the user may read: say nothing of the others.
            messages.error(
                request, gettext("Nothing was changed: some selected stories were not found.")
            )
            return
        try:
            with transaction.atomic():
                for article in articles:
                    try:
                        act(article.pk, request.user)
                    except workflow.WorkflowError as error:
                        raise BulkRefused(article, error) from None
        except BulkRefused as refused:
            messages.error(
                request,
                gettext("Nothing was changed. “%(headline)s”: %(reason)s")
                % {"headline": refused.article.headline, "reason": refused.error},
            )
            return
        messages.success(request, done % {"count": len(articles)})

    @admin.action(description=_("Submit selected stories for review"), permissions=["change"])
    def submit_selected(self, request, queryset):
        done = ngettext_lazy(
            "Submitted for review: %(count)s story.",
            "Submitted for review: %(count)s stories.",
            "count",
        )
        self.run_bulk(request, queryset, workflow.submit, done)

    @admin.action(description=_("Publish selected stories now"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        done = ngettext_lazy(
            "Published: %(count)s story.", "Published: %(count)s stories.", "count"
        )
        self.run_bulk(request, queryset, workflow.publish, done)

    @admin.action(description=_("Unpublish selected stories"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        done = ngettext_lazy(
            "Unpublished: %(count)s story.", "Unpublished: %(count)s stories.", "count"
        )
        self.run_bulk(request, queryset, workflow.unpublish, done)

    @admin.action(description=_("Delete selected stories (recoverable)"), permissions=["delete"])
    def delete_selected_recoverably(self, request, queryset):
        done = ngettext_lazy(
            "Deleted (recoverable): %(count)s story.",
            "Deleted (recoverable): %(count)s stories.",
            "count",
        )
        self.run_bulk(request, queryset, workflow.delete, done)

    @admin.action(description=_("Recover selected deleted stories"), permissions=["delete"])
    def recover_selected(self, request, queryset):
        done = ngettext_lazy(
            "Recovered as drafts: %(count)s story.",
            "Recovered as drafts: %(count)s stories.",
            "count",
        )
        self.run_bulk(request, queryset, workflow.recover, done)

    # --- Extra screens: preview, preview links, revisions, presence, recover ---------

    def url(self, name: str, obj: Article, *args) -> str:
        return reverse(f"admin:articles_article_{name}", args=[obj.pk, *args])

    def get_urls(self):
        def wrap(view):
            def wrapper(*args, **kwargs):
                return self.admin_site.admin_view(view)(*args, **kwargs)

            return update_wrapper(wrapper, view)

        name = "articles_article_"
        return [
            path(
                "topic-suggestions/",
                wrap(self.topic_suggestions_view),
                name=f"{name}topic_suggestions",
            ),
            path("<path:object_id>/preview/", wrap(self.preview_view), name=f"{name}preview"),
            path(
                "<path:object_id>/preview-links/",
                wrap(self.preview_links_view),
                name=f"{name}preview_links",
            ),
            path("<path:object_id>/revisions/", wrap(self.revisions_view), name=f"{name}revisions"),
            path(
                "<path:object_id>/revisions/compare/",
                wrap(self.compare_view),
                name=f"{name}compare",
            ),
            path(
                "<path:object_id>/revisions/<int:version_id>/restore/",
                wrap(self.restore_view),
                name=f"{name}restore",
            ),
            path("<path:object_id>/presence/", wrap(self.presence_view), name=f"{name}presence"),
            path("<path:object_id>/recover/", wrap(self.recover_view), name=f"{name}recover"),
            path("<path:object_id>/translate/", wrap(self.translate_view), name=f"{name}translate"),
            path(
                "<path:object_id>/mark-current/",
                wrap(self.mark_current_view),
                name=f"{name}mark_current",
            ),
            path("<path:object_id>/withdraw/", wrap(self.withdraw_view), name=f"{name}withdraw"),
            *super().get_urls(),
        ]

    def topic_suggestions_view(self, request: HttpRequest) -> HttpResponse:
        """Approved topics matching the name being typed in the topics field, as JSON.

        For writers only: whoever may add or change stories.
        """
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        query = SuggestionQuery(request.GET)
        if not query.is_valid():
            return JsonResponse({"errors": query.errors.get_json_data()}, status=400)
        suggestions = suggest(query.cleaned_data["q"])
        return JsonResponse({"results": [{"name": s.name, "alias": s.alias} for s in suggestions]})

    def article_or_404(self, request, object_id: str) -> Article:
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such story.")
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        return article

    def story_history_or_403(self, request, object_id: str) -> Article:
        """Return the story whose preview, revisions or history the user asks for, if theirs."""
        article = self.article_or_404(request, object_id)
        if not workflow.can_preview(request.user, article):
            raise PermissionDenied
        return article

    def screen(self, request, template: str, article: Article, title: str, **context):
        return TemplateResponse(
            request,
            f"admin/articles/article/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": article,
                "title": title,
                "change_url": self.url("change", article),
                "revisions_url": self.url("revisions", article),
                **context,
            },
        )

    def preview_view(self, request, object_id: str) -> HttpResponse:
        article = self.story_history_or_403(request, object_id)
        article = views.for_article_page(Article.objects.all()).get(pk=article.pk)
        return views.preview_response(request, article, shared=False)

    def preview_links_view(self, request, object_id: str) -> HttpResponse:
        article = self.article_or_404(request, object_id)
        if not workflow.can_share_preview(request.user):
            raise PermissionDenied
        if request.method == "POST":
            try:
                if "revoke" in request.POST:
                    link = get_object_or_404(
                        PreviewLink, pk=request.POST["revoke"], article=article
                    )
                    previews.revoke(link, request.user)
                    messages.success(
                        request, gettext("The preview link was revoked: it no longer works.")
                    )
                else:
                    lifetime = request.POST.get("lifetime", previews.DEFAULT_LIFETIME)
                    if lifetime not in previews.LIFETIMES:
                        lifetime = previews.DEFAULT_LIFETIME
                    link = previews.create(
                        article, request.user, lifetime, request.POST.get("note", "")[:200]
                    )
                    messages.success(
                        request,
                        gettext("Preview link made; it works until %(time)s: %(url)s")
                        % {"time": local(link.expires_at), "url": previews.url_for(link)},
                    )
            except (workflow.WorkflowError, ValueError) as error:
                messages.error(request, str(error))
            return HttpResponseRedirect(request.path)
        links = [
            (link, previews.url_for(link) if link.is_active else "")
            for link in article.preview_links.select_related("created_by")
        ]
        return self.screen(
            request,
            "preview_links.html",
            article,
            gettext("Preview links: %(story)s") % {"story": article},
            links=links,
            lifetimes=[(key, label) for key, (label, _) in previews.LIFETIMES.items()],
            default_lifetime=previews.DEFAULT_LIFETIME,
        )

    def revisions_view(self, request, object_id: str) -> HttpResponse:
        article = self.story_history_or_403(request, object_id)
        versions = list(revisions.versions_of(article))
        return self.screen(
            request,
            "revisions.html",
            article,
            gettext("Revisions: %(story)s") % {"story": article},
            versions=[(v, revisions.Snapshot(v).describe()) for v in versions],
            can_restore=workflow.can_edit(request.user, article),
            compare_url=self.url("compare", article),
        )

    def history_view(self, request, object_id: str, extra_context=None) -> HttpResponse:
        self.story_history_or_403(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def compare_view(self, request, object_id: str) -> HttpResponse:
        article = self.story_history_or_403(request, object_id)
        versions = revisions.versions_of(article)
        try:
            old = versions.get(pk=int(request.GET.get("from", "")))
            new = versions.get(pk=int(request.GET.get("to", "")))
        except (ValueError, Version.DoesNotExist):
            messages.error(request, gettext("Choose two revisions of this story to compare."))
            return HttpResponseRedirect(self.url("revisions", article))
        if old.revision.date_created > new.revision.date_created:
            old, new = new, old
        old_snapshot, new_snapshot = revisions.Snapshot(old), revisions.Snapshot(new)
        return self.screen(
            request,
            "revision_diff.html",
            article,
            gettext("Changes: %(story)s") % {"story": article},
            old=old_snapshot,
            new=new_snapshot,
            changes=revisions.compare(old_snapshot, new_snapshot),
            can_restore=workflow.can_edit(request.user, article),
        )

    def restore_view(self, request, object_id: str, version_id: int) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.story_history_or_403(request, object_id)
        if not workflow.can_edit(request.user, article):
            raise PermissionDenied
        version = get_object_or_404(revisions.versions_of(article), pk=version_id)
        try:
            workflow.restore(article, request.user, version)
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(self.url("revisions", article))
        messages.success(
            request,
            gettext("Restored the revision of %(revision)s, saved as a new revision.")
            % {"revision": revisions.Snapshot(version).describe()},
        )
        return HttpResponseRedirect(self.url("change", article))

    def presence_view(self, request, object_id: str) -> HttpResponse:
        """Refresh the user's presence on the story's form; say who else is there."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.article_or_404(request, object_id)
        if "leave" in request.POST:
            presence.leave(article, request.user)
            return HttpResponse(status=204)
        if self.has_change_permission(request, article):
            presence.mark(article, request.user)
        return JsonResponse({"editing": presence.describe(presence.others(article, request.user))})

    def recover_view(self, request, object_id: str) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.article_or_404(request, object_id)
        try:
            workflow.recover(article, request.user)
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, gettext("Recovered as a draft."))
        return HttpResponseRedirect(self.url("change", article))

    def translate_view(self, request, object_id: str) -> HttpResponse:
        """Start the story's edition in another language, and open it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.article_or_404(request, object_id)
        try:
            draft = workflow.translate(article, request.user, request.POST.get("language", ""))
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(self.url("change", article))
        messages.success(
            request,
            gettext("A draft in %(language)s is started from the original: translate it here.")
            % {"language": language_name(draft.language)},
        )
        return HttpResponseRedirect(self.url("change", draft))

    def mark_current_view(self, request, object_id: str) -> HttpResponse:
        """Record that the translation matches its original's text again."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.article_or_404(request, object_id)
        try:
            workflow.mark_translation_current(article, request.user)
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, gettext("The translation is marked as current."))
        return HttpResponseRedirect(self.url("change", article))

    def can_withdraw(self, request: HttpRequest, article: Article) -> bool:
        """Whether the story's form offers `request.user` to withdraw it."""
        action = workflow.action_for(article.status, Status.WITHDRAWN)
        return action is not None and workflow.may(request.user, article, action)

    def withdraw_view(self, request, object_id: str) -> HttpResponse:
        """Ask for the reason, then take the story down for good and tell partners."""
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        if not workflow.is_editor(request.user):
            raise PermissionDenied
        article = self.article_or_404(request, object_id)
        try:
            workflow.check_transition(request.user, article, Status.WITHDRAWN)
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(self.url("change", article))
        form = WithdrawForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            try:
                workflow.withdraw(article, request.user, form.cleaned_data["reason"])
            except workflow.WorkflowError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, gettext("Withdrawn: partners are told."))
            return HttpResponseRedirect(self.url("change", article))
        return self.screen(
            request,
            "withdraw.html",
            article,
            gettext("Withdraw: %(story)s") % {"story": article},
            form=form,
        )


class BulkRefused(Exception):
    def __init__(self, article: Article, error: workflow.WorkflowError):
        super().__init__(str(error))
        self.article = article
        self.error = error
