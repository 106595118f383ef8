from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, register_converter

from api.views import api
from frontcache.decorators import cache_in_front
from newsroom import views
from newsroom.converters import UnicodeSlugConverter

register_converter(UnicodeSlugConverter, "uslug")

admin.site.site_header = "Newsroom"
admin.site.site_title = "Newsroom admin"
admin.site.index_title = "Newsdesk"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", cache_in_front(views.robots_txt), name="robots_txt"),
    path("api/v1/", api.urls),
    path("", include("articles.urls")),
]

# Uploaded photos: served by Django in development only (see the README for production).
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
