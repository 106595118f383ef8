from django.contrib.admin import apps as admin_apps


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, with NewsroomAdminSite (newsroom/admin_site.py) as `admin.site`."""

    # Not the configuration of the `newsroom` app itself, which keeps Django's default.
    default = False
    default_site = "newsroom.admin_site.NewsroomAdminSite"
