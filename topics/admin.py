from django.contrib import admin
from django.db.models import Count

from topics.models import Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "story_count")
    search_fields = ("name", "slug")
    ordering = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_count=Count("article_links"))

    @admin.display(description="stories", ordering="story_count")
    def story_count(self, obj: Topic) -> int:
        return obj.story_count
