from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, with NewsroomAdminSite (newsroom/admin_site.py) as `admin.site`."""

    # Not the configuration of the `newsroom` app itself, which keeps Django's default.
    default = False
    default_site = "newsroom.admin_site.NewsroomAdminSite"


class NewsroomConfig(AppConfig):
    """The `newsroom` app: the site's own pages, settings and their system checks."""

    name = "newsroom"
    default = True

    def ready(self) -> None:
        from newsroom import checks  # noqa: F401  (registers them)
