from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from images.forms import ImageForm
from images.models import Image
from images.tasks import prepare_again


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    """The photo library: upload, describe and find photos for stories."""

    form = ImageForm
    list_display = ("thumbnail", "alt_text", "credit", "size", "uploaded_by", "created_at")
    list_display_links = ("thumbnail", "alt_text")
    list_filter = ("renditions_status",)
    list_select_related = ("uploaded_by",)
    search_fields = ("alt_text", "caption", "credit")
    readonly_fields = ("thumbnail", "size", "uploaded_by", "created_at")
    fields = ("file", "thumbnail", "alt_text", "caption", "credit", "size", "uploaded_by")
    date_hierarchy = "created_at"
    show_full_result_count = False
    actions = ["prepare_copies_again"]

    @admin.display(description=_("photo"))
    def thumbnail(self, obj: Image) -> str:
        if not obj.pk:
            return "—"
        if obj.renditions_status == Image.RenditionStatus.FAILED:
            return format_html(
                "<strong>{}</strong> {}<br>{}",
                gettext("The resized copies could not be made:"),
                obj.renditions_error,
                gettext("Upload a new file, or choose “Prepare the resized copies again”."),
            )
        if not obj.renditions_ready:
            return gettext("Being prepared: the resized copies are made in the background.")
        smallest = obj.renditions[0]
        return format_html(
            '<img src="{}" alt="" width="120" height="{}" loading="lazy">',
            smallest.url,
            round(120 * smallest.height / smallest.width),
        )

    @admin.display(description=_("size"))
    def size(self, obj: Image) -> str:
        return f"{obj.width} × {obj.height}" if obj.pk else "—"

    def save_model(self, request, obj: Image, form, change) -> None:
        if not change:
            obj.uploaded_by = request.user
        if "file" in form.changed_data:
            obj.width = obj.height = None  # Read again from the new file's header.
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Prepare the resized copies again"), permissions=["change"])
    def prepare_copies_again(self, request, queryset) -> None:
        queued = prepare_again(queryset)
        if queued:
            message = ngettext(
                "The copies of %(count)s photo are being prepared again.",
                "The copies of %(count)s photos are being prepared again.",
                queued,
            ) % {"count": queued}
            self.message_user(request, message, messages.SUCCESS)
        else:
            message = gettext("The selected photos have their copies.")
            self.message_user(request, message, messages.INFO)
