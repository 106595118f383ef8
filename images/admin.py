from django.contrib import admin
from django.utils.html import format_html

from images.forms import ImageForm
from images.models import Image


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    """The photo library: upload, describe and find photos for stories."""

    form = ImageForm
    list_display = ("thumbnail", "alt_text", "credit", "size", "uploaded_by", "created_at")
    list_display_links = ("thumbnail", "alt_text")
    list_select_related = ("uploaded_by",)
    search_fields = ("alt_text", "caption", "credit")
    readonly_fields = ("thumbnail", "size", "uploaded_by", "created_at")
    fields = ("file", "thumbnail", "alt_text", "caption", "credit", "size", "uploaded_by")
    date_hierarchy = "created_at"
    show_full_result_count = False

    @admin.display(description="photo")
    def thumbnail(self, obj: Image) -> str:
        if not obj.pk:
            return "—"
        smallest = obj.renditions[0]
        return format_html(
            '<img src="{}" alt="" width="120" height="{}" loading="lazy">',
            smallest.url,
            round(120 * smallest.height / smallest.width),
        )

    @admin.display(description="size")
    def size(self, obj: Image) -> str:
        return f"{obj.width} × {obj.height}" if obj.pk else "—"

    def save_model(self, request, obj: Image, form, change) -> None:
        if not change:
            obj.uploaded_by = request.user
        if "file" in form.changed_data:
            obj.width = obj.height = None  # Read again from the new file's header.
        super().save_model(request, obj, form, change)
