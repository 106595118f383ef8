from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.http import HttpRequest
from django.utils import timezone
from taggit.managers import TaggableManager

from articles.models import Article, Correction, Pin, Section
from topics.tagging import TopicsField, proposals_by

EDITORIAL_STATUSES = (Article.Status.DRAFT, Article.Status.IN_REVIEW)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position", "story_count")
    list_editable = ("position",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_count=Count("articles"))

    @admin.display(description="stories", ordering="story_count")
    def story_count(self, obj: Section) -> int:
        return obj.story_count


class EditorOnlyInline(admin.TabularInline):
    """An inline only users who may publish can add to, change or delete."""

    extra = 0

    def _can_publish(self, request: HttpRequest) -> bool:
        return request.user.has_perm("articles.publish_article")

    def has_add_permission(self, request, obj=None) -> bool:
        return self._can_publish(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._can_publish(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._can_publish(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("articles.view_article")


class PinInline(EditorOnlyInline):
    model = Pin
    fields = ("section", "position", "ends_at", "created_by")
    readonly_fields = ("created_by",)
    verbose_name = "pin to the top of a page"
    verbose_name_plural = "pins to the top of the home page or a section page"


class CorrectionInline(EditorOnlyInline):
    model = Correction
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

    @admin.display(description="page", ordering="section")
    def page(self, obj: Pin) -> str:
        return obj.section.name if obj.section_id else "Home"

    @admin.display(description="active", boolean=True)
    def is_active(self, obj: Pin) -> bool:
        return obj.ends_at > timezone.now()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("articles.publish_article")

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("articles.publish_article")

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission

    def save_model(self, request, obj: Pin, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https"},
        # Topics: rejected names refused, topics awaiting a moderator pointed out.
        TaggableManager: {"form_class": TopicsField},
    }
    list_display = (
        "headline",
        "state",
        "section",
        "source",
        "byline",
        "publish_at",
        "updated_at",
    )
    list_filter = ("status", "section", "source", "publish_at", "updated_at")
    list_select_related = ("section", "source")
    search_fields = ("headline", "standfirst", "=id")
    autocomplete_fields = ("authors", "source", "section")
    readonly_fields = ("first_published_at", "created_at", "updated_at")
    ordering = ("-updated_at",)
    # A desk with hundreds of thousands of stories: no full-table COUNT per page.
    show_full_result_count = False
    inlines = (PinInline, CorrectionInline)
    fieldsets = (
        (None, {"fields": ("headline", "slug", "standfirst", "body", "dateline")}),
        ("Attribution", {"fields": ("authors", "source", "source_url")}),
        ("Filing", {"fields": ("section", "topics")}),
        (
            "Publishing",
            {"fields": ("status", "publish_at", "first_published_at", "created_at", "updated_at")},
        ),
    )

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).prefetch_related("authors")

    @admin.display(description="status", ordering="status")
    def state(self, obj: Article) -> str:
        return "Scheduled" if obj.is_scheduled else obj.get_status_display()

    @admin.display(description="byline")
    def byline(self, obj: Article) -> str:
        return ", ".join(a.get_full_name() or a.get_username() for a in obj.authors.all())

    # Publishing is an editor's decision. Without the permission a user may only
    # move stories between draft and review, and may not touch a story that has
    # been published; the form refuses any other status, whatever is posted.

    def can_publish(self, request: HttpRequest) -> bool:
        return request.user.has_perm("articles.publish_article")

    def has_change_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        if (
            obj is not None
            and obj.status not in EDITORIAL_STATUSES
            and not self.can_publish(request)
        ):
            return False
        return super().has_change_permission(request, obj)

    def formfield_for_choice_field(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "status" and not self.can_publish(request):
            kwargs["choices"] = [(s.value, s.label) for s in EDITORIAL_STATUSES]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Article | None = None):
        fields = super().get_readonly_fields(request, obj)
        if not self.can_publish(request):
            fields = (*fields, "publish_at")
        return fields

    def save_related(self, request, form, formsets, change) -> None:
        # New topic names typed in the form are proposals by this user.
        with proposals_by(request.user):
            super().save_related(request, form, formsets, change)

    def save_formset(self, request, form, formset, change) -> None:
        for instance in formset.save(commit=False):
            if isinstance(instance, Pin | Correction) and instance.created_by_id is None:
                instance.created_by = request.user
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 20, "cols": 80})
        return super().formfield_for_dbfield(db_field, request, **kwargs)
