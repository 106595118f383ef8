from django.contrib import admin
from django.db import models
from django.db.models import Count

from sources.models import Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "kind", "attribution", "homepage_url", "is_active", "story_count")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "slug", "attribution")
    prepopulated_fields = {"slug": ("name",)}
    ordering = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_count=Count("articles"))

    @admin.display(description="stories", ordering="story_count")
    def story_count(self, obj: Source) -> int:
        return obj.story_count
