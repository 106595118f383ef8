from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = _("Articles")

    def ready(self) -> None:
        from articles import websub
        from articles.context_processors import forget_navigation
        from articles.models import Section
        from articles.signals import story_changed

        post_save.connect(forget_navigation, sender=Section, dispatch_uid="navigation-save")
        post_delete.connect(forget_navigation, sender=Section, dispatch_uid="navigation-delete")
        story_changed.connect(websub.notify_hub, dispatch_uid="websub-story")
