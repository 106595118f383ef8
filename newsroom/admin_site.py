"""The Newsroom admin site: the default AdminSite with a second factor for staff."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path

from accounts import languages
from newsroom import second_factor
from newsroom.admin_lists import CalendarSafeAdminMixin


class NewsroomAdminSite(admin.AdminSite):
    """The admin, whose login asks for a code once a staff member has set one up."""

    login_form = second_factor.StaffLoginForm
    login_template = "admin/newsroom/login.html"
    index_template = "admin/newsroom/index.html"

    def register(self, model_or_iterable, admin_class=None, **options) -> None:
        # Every admin, installed apps' too, answers impossible dates with a form error
        # or an "incorrect filter" notice, never a 500 (newsroom/admin_lists.py).
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, CalendarSafeAdminMixin):
            admin_class = type(
                admin_class.__name__,
                (CalendarSafeAdminMixin, admin_class),
                {"__module__": admin_class.__module__},
            )
        super().register(model_or_iterable, admin_class, **options)

    def admin_view(
        self, view: Callable[..., HttpResponse], cacheable: bool = False
    ) -> Callable[..., HttpResponse]:
        # Logging out never needs a second factor; every other page may.
        if view != self.logout:
            view = second_factor.require_second_factor(view, self)
        return super().admin_view(view, cacheable)

    def get_urls(self) -> list[URLPattern | URLResolver]:
        # Not through self.admin_view: it is where an unconfirmed session is sent.
        enrolment = super().admin_view(self.second_factor)
        return [
            path("second-factor/", enrolment, name="second_factor"),
            path("language/", self.admin_view(self.language), name="language"),
            *super().get_urls(),
        ]

    def second_factor(self, request: HttpRequest) -> HttpResponse:
        return second_factor.second_factor_view(request, self)

    def language(self, request: HttpRequest) -> HttpResponse:
        return languages.language_view(request, self)
