"""How the newsdesk in the admin writes people and times in its lists, screens and messages.

Shared by the admin's screens (`articles.admin`) and its forms (`articles.admin_forms`).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from accounts.people import display_name


def person(user) -> str:
    return display_name(user) if user else gettext("someone")


def local(value) -> str:
    return date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else "—"
