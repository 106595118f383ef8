"""The floor: Django's hello world under the same server, for comparison."""

from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-hello-world",  # noqa: S106 - a throwaway process on loopback
    ALLOWED_HOSTS=["127.0.0.1"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
)

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402


def hello(request):
    return HttpResponse("Hello, world")


urlpatterns = [path("", hello)]
application = get_wsgi_application()
