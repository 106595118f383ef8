"""Staff accounts in the admin: whole accounts for account managers, names for writers.

Writers hold `auth.view_user` (given by the groups' migrations) so that the byline
field can look people up: Django's autocomplete asks the user admin for view
permission. That is all it lets them see. Whoever may not change accounts
(`auth.change_user`) gets no list or form of accounts, only the names the
autocomplete answers with, found by name; e-mail addresses, flags and password
hashes stay out of reach. The password hash summary is shown to superusers alone.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.http import HttpRequest

User = get_user_model()
NAME_FIELDS = ("username", "first_name", "last_name")


def is_autocomplete(request: HttpRequest) -> bool:
    match = request.resolver_match
    return bool(match and match.url_name == "autocomplete")


def manages_accounts(request: HttpRequest) -> bool:
    return request.user.has_perm("auth.change_user")


class AccountChangeForm(UserChangeForm):
    """The account form without the password hash summary."""

    password = None


admin.site.unregister(User)


@admin.register(User)
class StaffAccountAdmin(UserAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return manages_accounts(request) and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        if manages_accounts(request):
            return super().has_view_permission(request, obj)
        # Names for the byline field; no list, form or history of accounts.
        return obj is None and is_autocomplete(request) and super().has_view_permission(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False  # Setting a superuser's password would make one.
        return super().has_change_permission(request, obj)

    def get_search_fields(self, request: HttpRequest):
        if manages_accounts(request):
            return super().get_search_fields(request)
        return NAME_FIELDS  # Looking people up by e-mail would tell their addresses.

    def get_fieldsets(self, request: HttpRequest, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "password"]})
            for name, options in fieldsets
        ]

    def get_form(self, request: HttpRequest, obj=None, **kwargs):
        if obj is not None and not request.user.is_superuser:
            kwargs["form"] = AccountChangeForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Only a superuser makes another: account managers cannot raise themselves.
            fields += ["is_superuser", "user_permissions"]
        return fields
