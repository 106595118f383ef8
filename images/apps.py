from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImagesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "images"
    verbose_name = _("Photos")

    def ready(self) -> None:
        from django.conf import settings
        from PIL import Image

        from images import receivers

        receivers.connect()

        # Pillow's own guard against decompression bombs, at our limit rather than its
        # default (about 89 megapixels): Pillow warns above it (an error where copies
        # are made, images/renditions.py) and refuses twice as many pixels outright.
        Image.MAX_IMAGE_PIXELS = settings.NEWSROOM_IMAGE_MAX_PIXELS
