from django.contrib import admin
from django.db import models
from django.db.models import Count, F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sources.models import Source, SourceFeed


class SourceFeedInline(admin.TabularInline):
    model = SourceFeed
    extra = 0
    fields = (
        "url", "language", "is_active", "last_success_at", "last_fetched_at", "last_report",
        "last_error",
    )  # fmt: skip
    readonly_fields = ("last_success_at", "last_fetched_at", "last_report", "last_error")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = (
        "name", "kind", "language", "country", "is_active", "story_count", "last_ingested",
        "last_error",
    )  # fmt: skip
    list_filter = ("kind", "is_active", "language", "country")
    search_fields = ("name", "slug", "attribution")
    prepopulated_fields = {"slug": ("name",)}
    ordering = ("name",)
    inlines = (SourceFeedInline,)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "homepage_url", "attribution", "is_active")}),
        (_("Wire"), {"fields": ("language", "country", "notes")}),
    )

    def get_queryset(self, request):
        feeds = SourceFeed.objects.filter(source=OuterRef("pk"))
        latest_error = feeds.exclude(last_error="").order_by("-last_error_at")
        # Feeds through subqueries: joined to the stories they would multiply the count.
        return (
            super()
            .get_queryset(request)
            .annotate(
                story_count=Count("articles"),
                last_ingested=Subquery(
                    feeds.order_by(F("last_success_at").desc(nulls_last=True)).values(
                        "last_success_at"
                    )[:1]
                ),
                last_error_at=Subquery(latest_error.values("last_error_at")[:1]),
                last_error_message=Subquery(latest_error.values("last_error")[:1]),
            )
        )

    @admin.display(description=_("stories"), ordering="story_count")
    def story_count(self, obj: Source) -> int:
        return obj.story_count

    @admin.display(description=_("last ingested"), ordering="last_ingested")
    def last_ingested(self, obj: Source):
        return obj.last_ingested

    @admin.display(description=_("last error"))
    def last_error(self, obj: Source) -> str:
        if not obj.last_error_at:
            return ""
        return f"{timezone.localtime(obj.last_error_at):%d %b %H:%M}: {obj.last_error_message}"
