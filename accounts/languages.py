"""Each staff member's admin language: chosen once, kept in their session from login.

The public site's language is its address's alone (`newsroom.locale`); the admin
speaks the language its user chose (`Preferences.language`), or the browser's.
It is read from the session, so no admin request pays a query for it.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Preferences
from articles.languages import language_choices

SESSION_KEY = "staff_language"


def session_language(request: HttpRequest) -> str | None:
    """Return the admin language the signed-in staff member chose, if any."""
    session = getattr(request, "session", None)
    return session.get(SESSION_KEY) if session is not None else None


@receiver(user_logged_in)
def remember_language(sender, request: HttpRequest, user, **kwargs) -> None:
    language = Preferences.objects.filter(user=user).values_list("language", flat=True).first()
    if language and request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = language


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the admin"),
        required=False,
        help_text=gettext_lazy("Leave empty to follow your browser’s language."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            ("", gettext_lazy("Browser’s language")),
            *language_choices(),
        ]


def language_view(request: HttpRequest, site: admin.AdminSite) -> HttpResponse:
    """Let a staff member choose the language of their admin screens."""
    preferences, _created = Preferences.objects.get_or_create(user=request.user)
    form = LanguageForm(request.POST or None, initial={"language": preferences.language})
    if request.method == "POST" and form.is_valid():
        preferences.language = form.cleaned_data["language"]
        preferences.save(update_fields=["language"])
        if preferences.language:
            request.session[SESSION_KEY] = preferences.language
        else:
            request.session.pop(SESSION_KEY, None)
        translation.activate(preferences.language or translation.get_language_from_request(request))
        messages.success(request, _("Your admin language is saved."))
        return HttpResponseRedirect(reverse("admin:index", current_app=site.name))
    context = {**site.each_context(request), "title": _("Language"), "form": form}
    return TemplateResponse(request, "admin/newsroom/language.html", context)
