from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from images.metadata import DamagedPicture, without_metadata
from images.models import Image
from images.uploads import ACCEPTED_TYPES, check_upload


class CheckedImageField(forms.ImageField):
    """An image upload checked on its header (size, type, pixels) before Pillow decodes it.

    The file it gives the model is the upload without its metadata (location,
    camera, names): that is what is stored as the original.
    """

    def to_python(self, data):
        if data in self.empty_values:
            return None
        header = check_upload(data)
        checked = super().to_python(data)
        try:
            cleaned = without_metadata(checked, header)
        except DamagedPicture:
            raise ValidationError(
                "This file is not a JPEG, PNG or WebP photo, or it is damaged.",
                code="not_an_image",
            ) from None
        cleaned.seek(0, 2)
        size = cleaned.tell()
        cleaned.seek(0)
        return UploadedFile(cleaned, checked.name, checked.content_type, size)

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
