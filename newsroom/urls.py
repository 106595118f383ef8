from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
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
]
# The reader's site, one edition per language: the default language's pages at
# today's addresses, the others' under their code (/uk/). See `articles.languages`.
urlpatterns += i18n_patterns(path("", include("articles.urls")), prefix_default_language=False)

# Uploaded photos: served by Django in development only (see the README for production).
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
