from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.http import HttpRequest

from articles.models import Article, Section

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


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
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

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 20, "cols": 80})
        return super().formfield_for_dbfield(db_field, request, **kwargs)
