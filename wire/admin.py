from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.people import display_name
from articles import workflow
from articles.sanitize import sanitize_body
from wire.models import WireItem


def story_for(user):
    """Return the item form's "story" field: the draft made from it, if `user` may read it."""

    @admin.display(description=_("story"))
    def story(item: WireItem) -> str:
        if item.article is None:
            return "—"
        if not workflow.can_read(user, item.article):
            return gettext("Taken as a story you may not open")
        url = reverse("admin:articles_article_change", args=[item.article_id])
        return format_html('<a href="{}">{}</a>', url, item.article.headline)

    return story


class TakenFilter(admin.SimpleListFilter):
    title = _("taken")
    parameter_name = "taken"

    def lookups(self, request, model_admin):
        return [("no", _("Waiting")), ("yes", _("Taken"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(taken_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(taken_at__isnull=False)
        return queryset


@admin.register(WireItem)
class WireInboxAdmin(admin.ModelAdmin):
    """The wire inbox: what the sources filed, newest first; take an item to write it up."""

    list_display = ("headline", "source", "published_at", "received_at", "category_list", "taker")
    list_filter = (TakenFilter, "source", "received_at")
    list_select_related = ("source", "taken_by", "article")
    search_fields = ("headline", "summary", "=guid")
    ordering = ("-received_at", "-pk")
    actions = ("take",)
    show_full_result_count = False
    readonly_fields = (
        "source", "feed", "guid", "link", "headline", "summary", "body_html", "byline",
        "published_at", "received_at", "categories", "topic_list", "taken_by", "taken_at",
    )  # fmt: skip
    # The story made from the item is named only to who may read it (`story_for`).
    exclude = ("body", "topics", "article")

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return [*self.readonly_fields, story_for(request.user)]

    @admin.display(description=_("categories"))
    def category_list(self, item: WireItem) -> str:
        return ", ".join(item.categories)

    @admin.display(description=_("taken by"))
    def taker(self, item: WireItem) -> str:
        if not item.taken_by:
            return "—"
        return display_name(item.taken_by)

    @admin.display(description=_("body"))
    def body_html(self, item: WireItem) -> str:
        # Shown as the source wrote it, cleaned again like a story's body.
        body = mark_safe(sanitize_body(item.body))  # noqa: S308 - cleaned on the line itself
        return format_html("<div>{}</div>", body)

    @admin.display(description=_("topics"))
    def topic_list(self, item: WireItem) -> str:
        return ", ".join(topic.name for topic in item.topics.all())

    @admin.action(description=_("Take the selected items as drafts"), permissions=["take"])
    def take(self, request: HttpRequest, queryset: QuerySet[WireItem]) -> None:
        taken = []
        for item in queryset:
            try:
                taken.append(item.take(request.user))
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
        if taken:
            # English says "draft(s)" whatever the count; other languages decline it.
            message = ngettext(
                "%(count)s draft(s) created with you on the byline: %(headlines)s",
                "%(count)s draft(s) created with you on the byline: %(headlines)s",
                len(taken),
            ) % {
                "count": len(taken),
                "headlines": ", ".join(f"“{article.headline}”" for article in taken),
            }
            self.message_user(request, message, messages.SUCCESS)

    def has_take_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("wire.take_wireitem") and request.user.has_perm(
            "articles.add_article"
        )

    # Wire copy is the source's text: nobody edits or adds it by hand.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
