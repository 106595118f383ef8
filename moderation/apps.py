from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    """Topic moderation: the tools that need both the vocabulary and the stories.

    `topics` knows nothing of stories and `articles` should not grow a second
    admin for the vocabulary, so merging, usage counts and the moderators' admin
    screens live here, above both.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "moderation"
    verbose_name = _("Topic moderation")
