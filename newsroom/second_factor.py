"""A second factor for staff: a TOTP authenticator app (django-otp), optional or required.

A staff member enrols on the admin's "Second factor" page: the page shows a secret
and its QR code, and a first code from the app confirms it. From then on the admin's
login form asks for a code as well; a wrong code counts as a failed login (and so
towards the lockout). With STAFF_REQUIRE_2FA every admin page first sends staff
whose session was not confirmed with a code to that page.
"""

from __future__ import annotations

from base64 import b32encode
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import django_otp
import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

if TYPE_CHECKING:
    from django.contrib.admin import AdminSite
    from django.contrib.auth.models import AbstractBaseUser

DEVICE_NAME = "Authenticator app"


def confirmed_device(user: AbstractBaseUser) -> TOTPDevice | None:
    """Return the user's confirmed authenticator app, or None."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def verify(user: AbstractBaseUser, device: TOTPDevice, code: str) -> str | None:
    """Check `code` against `device`; return None when it is right, else why not.

    django-otp refuses a code used before (each is good once) and, after wrong
    codes, every code for a few seconds, doubling with each further wrong one.
    """
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        return gettext("Too many wrong codes: wait a minute, then enter the newest code.")
    code = "".join(code.split())
    if not (code.isascii() and code.isdigit() and len(code) == device.digits):
        return gettext("Enter the %(digits)s-digit code your authenticator app shows.") % {
            "digits": device.digits
        }
    if django_otp.verify_token(user, device.persistent_id, code) is None:
        return gettext(
            "That code is not right. Enter the newest code your authenticator app shows."
        )
    return None


def code_field(**kwargs: Any) -> forms.CharField:
    """A field for a code from the app: numeric keypad on phones, no autofill of old codes."""
    attrs = {"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
    attrs.update(kwargs.pop("attrs", {}))
    return forms.CharField(max_length=12, widget=forms.TextInput(attrs=attrs), **kwargs)


class StaffLoginForm(AdminAuthenticationForm):
    """The admin's login form with a code field, needed once a second factor is set up."""

    # The admin's login template lays out username and password only; this field
    # joins the form from outside it (the `form` attribute; see admin/newsroom/login.html).
    otp_token = code_field(
        label=_("Code"),
        required=False,
        help_text=_("From your authenticator app, if you have set up a second factor."),
        attrs={"form": "login-form"},
    )

    def clean(self) -> dict[str, Any]:
        # The password first: a locked-out account or address is refused there,
        # before any hashing, and only a right password is asked for a code.
        cleaned_data = super().clean()
        user = self.get_user()
        device = confirmed_device(user)
        if device is None:
            return cleaned_data
        code = cleaned_data.get("otp_token", "")
        if not code.strip():
            raise forms.ValidationError(
                _(
                    "This account has a second factor: enter the code from your authenticator "
                    "app as well as your password."
                ),
                code="code_required",
            )
        problem = verify(user, device, code)
        if problem is not None:
            # A wrong code is a failed login: it counts towards the lockout.
            user_login_failed.send(
                sender=__name__,
                credentials={"username": cleaned_data.get("username")},
                request=self.request,
            )
            raise forms.ValidationError(problem, code="code_invalid")
        # django-otp's user_logged_in receiver records the device in the session
        # (`django_otp.login`): the session counts as verified.
        user.otp_device = device
        return cleaned_data


class CodeForm(forms.Form):
    code = code_field(label=_("Code from your authenticator app"))


def secret_groups(device: TOTPDevice) -> str:
    """The device's secret in base32, in groups of four, for typing into an app."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> SafeString:
    """The device's otpauth:// address as an inline SVG QR code (no script, no image file)."""
    code = segno.make(device.config_url, error="m")
    return mark_safe(  # noqa: S308 - segno's own markup; the address is percent-encoded.
        code.svg_inline(scale=4, title=gettext("QR code for your authenticator app"), border=2)
    )


def pending_device(user: AbstractBaseUser) -> TOTPDevice:
    """Return the user's unconfirmed device, made on first use: one secret until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def is_verified(request: HttpRequest) -> bool:
    """Whether this session was confirmed with a code (django-otp's OTPMiddleware)."""
    return bool(getattr(request.user, "is_verified", lambda: False)())


def next_url(request: HttpRequest, default: str) -> str:
    """The `next` address the page was opened with, if it is one of ours."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def second_factor_view(request: HttpRequest, admin_site: AdminSite) -> HttpResponse:
    """Set up, confirm (for this session) or remove the user's authenticator app."""
    user = request.user
    device = confirmed_device(user)
    index = reverse(f"{admin_site.name}:index", current_app=admin_site.name)
    here = reverse(f"{admin_site.name}:second_factor", current_app=admin_site.name)
    form = CodeForm()
    action = request.POST.get("action") if request.method == "POST" else None
    if action in ({"enrol"} if device is None else {"verify", "remove"}):
        form = CodeForm(request.POST)
        target = pending_device(user) if device is None else device
        if form.is_valid():
            problem = verify(user, target, form.cleaned_data["code"])
            if problem is None:
                return _act(request, action, target, here, next_url(request, index))
            form.add_error("code", problem)
    context = {
        **admin_site.each_context(request),
        "title": gettext("Second factor"),
        "device": device,
        "verified": is_verified(request),
        "required": settings.STAFF_REQUIRE_2FA,
        "form": form,
        "next": next_url(request, ""),
    }
    if device is None:
        pending = pending_device(user)
        context.update(secret=secret_groups(pending), qr_svg=qr_svg(pending))
    return TemplateResponse(request, "admin/newsroom/second_factor.html", context)


def _act(
    request: HttpRequest, action: str, device: TOTPDevice, here: str, onward: str
) -> HttpResponseRedirect:
    if action == "enrol":
        # Only now does the device count; any other half-finished set-up goes.
        TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        django_otp.login(request, device)
        messages.success(
            request, gettext("Your second factor is set up: logins now ask for a code.")
        )
        return redirect(onward)
    if action == "verify":
        django_otp.login(request, device)
        messages.success(request, gettext("This session is confirmed with your second factor."))
        return redirect(onward)
    # Removing needs a code too, so that a session left open cannot switch it off.
    TOTPDevice.objects.filter(user=request.user).delete()
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
    messages.success(
        request, gettext("Your second factor is removed: logins ask for your password only.")
    )
    return redirect(here)


def require_second_factor(
    view: Callable[..., HttpResponse], admin_site: AdminSite
) -> Callable[..., HttpResponse]:
    """Wrap an admin view: with STAFF_REQUIRE_2FA, an unconfirmed session goes to enrol first."""

    @wraps(view)
    def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if settings.STAFF_REQUIRE_2FA and not is_verified(request):
            page = reverse(f"{admin_site.name}:second_factor", current_app=admin_site.name)
            return redirect(f"{page}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return inner
