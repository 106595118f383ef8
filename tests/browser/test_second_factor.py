"""A second factor in a real browser: set it up from the QR page, then log in with a code."""

import re
import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def code_for(device: TOTPDevice, at: float) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at
    return f"{totp.token():06d}"


def wait_for_next_step() -> float:
    """Each code is good once: wait for the app's next one (at most 30 s)."""
    time.sleep(30 - time.time() % 30 + 0.5)
    return time.time()


def test_staff_sets_up_a_second_factor_and_logs_in_with_it(live_server, page: Page):
    UserFactory(username="desk-olena", groups=["Editors"])
    login = live_server.url + reverse("admin:login")
    page.goto(login)
    page.get_by_label("Username").fill("desk-olena")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_label("Password").press("Enter")  # Submits the form as the hidden button would.
    page.get_by_role("link", name="Second factor").click()

    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    device = TOTPDevice.objects.get(user__username="desk-olena")
    secret = page.locator("code.secret").inner_text().replace(" ", "")
    assert secret in device.config_url
    page.get_by_label("Code from your authenticator app").fill(code_for(device, time.time()))
    page.get_by_role("button", name="Set up").click()
    expect(page.locator(".messagelist")).to_contain_text("Your second factor is set up")

    page.context.clear_cookies()
    page.goto(login)
    page.get_by_label("Username").fill("desk-olena")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".errornote")).to_contain_text("enter the code")

    at = wait_for_next_step()
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_label("Code").fill(code_for(device, at))
    page.get_by_label("Code").press("Enter")

    expect(page).to_have_url(re.compile(re.escape(live_server.url + reverse("admin:index")) + "$"))
