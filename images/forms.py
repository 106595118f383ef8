from django import forms

from images.models import Image
from images.uploads import ACCEPTED_TYPES, check_upload


class CheckedImageField(forms.ImageField):
    """An image upload checked on its header (size, type, pixels) before Pillow decodes it."""

    def to_python(self, data):
        if data in self.empty_values:
            return None
        check_upload(data)
        return super().to_python(data)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput):
            attrs["accept"] = ",".join(sorted(ACCEPTED_TYPES))
        return attrs


class ImageForm(forms.ModelForm):
    class Meta:
        model = Image
        fields = ["file", "alt_text", "caption", "credit"]
        field_classes = {"file": CheckedImageField}
