from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, register_converter

from api.views import api
from frontcache.decorators import cache_in_front
from newsroom import csp, views
from newsroom.converters import UnicodeSlugConverter

register_converter(UnicodeSlugConverter, "uslug")

admin.site.site_header = "Newsroom"
admin.site.site_title = "Newsroom admin"
admin.site.index_title = "Newsdesk"

# A failed request: 503 with Retry-After while the database is down, a friendly 500 otherwise.
handler500 = "newsroom.errors.server_error"

urlpatterns = [
    # ADMIN_PATH; every link to the admin is reversed, never written out.
    path(settings.NEWSROOM_ADMIN_PATH, admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("csp-report", csp.csp_report, name="csp_report"),
    path("robots.txt", cache_in_front(views.robots_txt), name="robots_txt"),
    path(".well-known/security.txt", cache_in_front(views.security_txt), name="security_txt"),
    path("api/v1/", api.urls),
    path("", include("articles.urls")),
]

# Uploaded photos: served by Django in development only (see the README for production).
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
