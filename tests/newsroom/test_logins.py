"""Logins that hold: lockout (django-axes), the admin's path, sessions, a second factor."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection
from django.http import HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from newsroom.addresses import client_address
from newsroom.admin_path import admin_path
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # UserFactory's
HOME = "203.0.113.10"
ELSEWHERE = "198.51.100.20"
NOW = timezone.now().replace(microsecond=0)


class CountingHasher(MD5PasswordHasher):
    """A fast hasher that counts how often a password was checked."""

    algorithm = "md5-counting"
    checks = 0

    def verify(self, password, encoded):
        CountingHasher.checks += 1
        return super().verify(password, encoded.replace(self.algorithm, "md5", 1))

    def encode(self, password, salt):
        return super().encode(password, salt).replace("md5", self.algorithm, 1)


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    settings.STAFF_REQUIRE_2FA = False


@pytest.fixture
def staff(db):
    return UserFactory(username="desk-1", is_staff=True)


def log_in(client, username, password=PASSWORD, address=HOME, code=None, **extra):
    data = {"username": username, "password": password, "next": reverse("admin:index")}
    if code is not None:
        data["otp_token"] = code
    return client.post(reverse("admin:login"), data, REMOTE_ADDR=address, **extra)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, username, times, address=HOME, **extra):
    for _ in range(times):
        log_in(client, username, "wrong password", address, **extra)


# --- Lockout -------------------------------------------------------------------------


def test_right_password_logs_in(client, staff):
    response = log_in(client, "desk-1")

    assert response.status_code == 302
    assert logged_in(client)


def test_account_is_locked_after_the_limit_even_from_many_addresses(client, staff):
    for number in range(5):
        log_in(client, "desk-1", "wrong password", address=f"192.0.2.{number + 1}")

    response = log_in(client, "desk-1", address=ELSEWHERE)

    assert response.status_code == 429
    assert not logged_in(client)


def test_address_is_locked_after_the_limit_even_for_many_accounts(client, staff):
    for number in range(5):
        log_in(client, f"guess-{number}", "wrong password", address=HOME)

    locked = log_in(client, "desk-1", address=HOME)
    assert (locked.status_code, logged_in(client)) == (429, False)
    # The account itself is not locked: from another address it logs in.
    assert log_in(client, "desk-1", address=ELSEWHERE).status_code == 302


def test_below_the_limit_the_right_password_still_works(client, staff):
    fail(client, "desk-1", 4)

    assert log_in(client, "desk-1").status_code == 302


def test_locked_out_login_is_refused_before_the_password_is_hashed(client, settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    UserFactory(username="desk-2", is_staff=True)
    fail(client, "desk-2", 5)
    CountingHasher.checks = 0

    with CaptureQueriesContext(connection) as queries:
        response = log_in(client, "desk-2")

    assert response.status_code == 429
    assert CountingHasher.checks == 0
    # Small indexed queries instead of the hash: the check (per account, per address),
    # expired attempts cleared, the attempt counted and logged, each in a savepoint.
    assert len(queries) <= 13


def test_lockout_page_says_how_long_to_wait_and_whom_to_ask(client, staff):
    fail(client, "desk-1", 4)
    response = log_in(client, "desk-1", "wrong password")  # The fifth failure.

    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "try again in 15 minutes" in page
    assert "ask an administrator" in page
    assert "Newsroom" in page  # The admin's own page, with its header.


def test_lock_ends_after_the_cool_off(client, staff):
    with time_machine.travel(NOW, tick=False) as traveller:
        fail(client, "desk-1", 5)
        traveller.shift(timedelta(minutes=14))
        assert log_in(client, "desk-1").status_code == 429
        # The refused attempt started the wait again.
        traveller.shift(timedelta(minutes=14))
        assert log_in(client, "desk-1").status_code == 429
        traveller.shift(timedelta(minutes=16))

        response = log_in(client, "desk-1")

    assert response.status_code == 302
    assert logged_in(client)


def test_success_does_not_clear_another_address_lockout(client, staff):
    for number in range(5):
        log_in(client, f"guess-{number}", "wrong password", address=HOME)

    assert log_in(client, "desk-1", address=ELSEWHERE).status_code == 302
    client.logout()

    assert log_in(client, "desk-1", address=HOME).status_code == 429


def test_failures_and_logins_are_kept_for_the_audit(client, staff):
    fail(client, "desk-1", 2)
    log_in(client, "desk-1", address=ELSEWHERE)

    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        "desk-1",
        HOME,
        2,
    )
    assert "wrong password" not in attempt.post_data
    assert AccessFailureLog.objects.filter(username="desk-1").count() == 2
    assert list(AccessLog.objects.values_list("username", "ip_address")) == [("desk-1", ELSEWHERE)]


def test_superusers_read_the_attempts_in_the_admin_and_editors_cannot(client, superuser, editor):
    fail(client, "desk-1", 1)
    changelist = reverse("admin:axes_accessattempt_changelist")

    client.force_login(editor)
    assert client.get(changelist).status_code == 403
    client.force_login(superuser)
    response = client.get(changelist)
    assert response.status_code == 200
    assert "desk-1" in response.content.decode()


def test_test_client_login_works_when_given_a_request(client, staff):
    assert client.login(request=HttpRequest(), username="desk-1", password=PASSWORD)


# --- The client's address ------------------------------------------------------------


def test_forwarded_for_is_ignored_unless_behind_a_proxy(client, staff, settings):
    settings.BEHIND_PROXY = False
    for number in range(5):
        forwarded = f"192.0.2.{number + 1}"
        log_in(client, f"guess-{number}", "x", address=HOME, HTTP_X_FORWARDED_FOR=forwarded)

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {HOME}
    assert log_in(client, "desk-1", HTTP_X_FORWARDED_FOR=ELSEWHERE).status_code == 429


def test_behind_a_proxy_the_last_forwarded_address_counts(client, staff, settings):
    settings.BEHIND_PROXY = True
    settings.PROXY_COUNT = 1
    proxy = "10.0.0.2"
    # The first entry is the client's own claim; the last is what our proxy saw.
    forwarded = f"192.0.2.99, {HOME}"
    fail(client, "guess", 5, address=proxy, HTTP_X_FORWARDED_FOR=forwarded)

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {HOME}
    assert log_in(client, "desk-1", address=proxy, HTTP_X_FORWARDED_FOR=HOME).status_code == 429
    other = log_in(client, "desk-1", address=proxy, HTTP_X_FORWARDED_FOR=ELSEWHERE)
    assert other.status_code == 302


@pytest.mark.parametrize(
    ("behind_proxy", "proxies", "forwarded", "expected"),
    [
        (False, 1, "192.0.2.1", HOME),
        (True, 1, "192.0.2.1", "192.0.2.1"),
        (True, 1, "192.0.2.1, 2001:db8::1", "2001:db8::1"),
        (True, 1, "not an address", HOME),
        (True, 1, "", HOME),
        # nginx wrote the client's address, then Varnish appended nginx's.
        (True, 2, "192.0.2.1, 127.0.0.1", "192.0.2.1"),
        (True, 2, "203.0.113.99, 192.0.2.1, 127.0.0.1", "192.0.2.1"),
        (True, 2, "127.0.0.1", HOME),
    ],
)
def test_client_address(settings, rf, behind_proxy, proxies, forwarded, expected):
    settings.BEHIND_PROXY = behind_proxy
    settings.PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR=HOME, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_address(request) == expected


# --- The admin's path ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, "admin/"), ("", "admin/"), ("desk", "desk/"), ("/office/desk-2/", "office/desk-2/")],
)
def test_admin_path_is_read_leniently(value, expected):
    assert admin_path(value) == expected


@pytest.mark.parametrize("value", ["de sk", "desk/../x", "a//b", "dé", ".hidden", "a?b"])
def test_admin_path_refuses_what_a_url_would_escape(value):
    with pytest.raises(ValueError, match="ADMIN_PATH"):
        admin_path(value)


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh process (settings read anew) on the test database."""
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    if database.get("PASSWORD"):
        url = url.replace("@", f":{database['PASSWORD']}@", 1)
    inherited = {k: v for k, v in os.environ.items() if k not in {"ADMIN_PATH", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=Path(settings.BASE_DIR),
        env={**inherited, "DEBUG": "true", "DATABASE_URL": url, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


MOVED_ADMIN = """
import json
from django.test import Client
from django.urls import reverse
client = Client()
print(json.dumps({
    "index": reverse("admin:index"),
    "login": client.get("/desk/login/").status_code,
    "old": client.get("/admin/login/").status_code,
    "robots": client.get("/robots.txt").content.decode(),
}))
"""


@pytest.mark.skipif(
    connection.vendor != "postgresql" or not connection.settings_dict.get("HOST"),
    reason="needs the database over TCP (DATABASE_URL) for a second process",
)
def test_admin_path_moves_the_admin_and_robots_txt():
    result = manage("shell", "-c", MOVED_ADMIN, ADMIN_PATH="desk")

    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["index"] == "/desk/"
    assert (answer["login"], answer["old"]) == (200, 404)
    assert "Disallow: /desk/\n" in answer["robots"]
    assert "/admin/" not in answer["robots"]


def test_bad_admin_path_stops_start_up():
    result = manage("check", ADMIN_PATH="de sk")

    assert result.returncode != 0
    assert "ImproperlyConfigured: ADMIN_PATH must be" in result.stderr


def test_robots_txt_disallows_the_admin(client):
    assert f"Disallow: {reverse('admin:index')}\n" in client.get("/robots.txt").content.decode()


# --- Sessions -------------------------------------------------------------------------------


def test_staff_session_lasts_a_working_day_and_ends_with_the_browser(client, staff):
    with time_machine.travel(NOW, tick=False):
        log_in(client, "desk-1")
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        expires = client.session.get_expiry_date()

    assert settings.SESSION_COOKIE_AGE == 10 * 60 * 60
    assert expires == NOW + timedelta(hours=10)
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # A browser-session cookie.
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"]


def test_session_is_over_after_ten_hours(client, staff):
    with time_machine.travel(NOW, tick=False) as traveller:
        log_in(client, "desk-1")
        index = reverse("admin:index")
        assert client.get(index).status_code == 200
        traveller.shift(timedelta(hours=10, minutes=1))

        response = client.get(index)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_passwords_need_twelve_characters(superuser, client):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:auth_user_add"),
        {"username": "new-desk", "password1": "Short-pw-1", "password2": "Short-pw-1"},
    )

    assert "at least 12 characters" in response.content.decode()


# --- Second factor ------------------------------------------------------------------------


def code_for(device: TOTPDevice, at=None) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if at is not None:
        totp.time = at.timestamp()
    return f"{totp.token():0{device.digits}d}"


def enrol(client, user, at=NOW) -> TOTPDevice:
    """Set up a second factor through the page, as the user would."""
    client.force_login(user)
    page = reverse("admin:second_factor")
    client.get(page)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    with time_machine.travel(at, tick=False):
        response = client.post(page, {"action": "enrol", "code": code_for(device, at)})
    assert response.status_code == 302, response.content.decode()
    device.refresh_from_db()
    return device


def test_enrolment_page_shows_the_secret_and_an_inline_qr_code(client, staff):
    client.force_login(staff)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:second_factor"))

    page = response.content.decode()
    device = TOTPDevice.objects.get(user=staff)
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1)
    assert secret.replace(" ", "") == device.config_url.split("secret=")[1].split("&")[0]
    assert "<svg" in page and "QR code for your authenticator app" in page
    assert not device.confirmed
    # Nothing inline for a Content-Security-Policy to refuse.
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", page))
    assert len(queries) <= 8
    # Reloading keeps the same secret until it is confirmed.
    assert secret in client.get(reverse("admin:second_factor")).content.decode()
    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_enrolment_is_confirmed_with_a_first_code(client, staff):
    device = enrol(client, staff)

    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_enrolment_refuses_a_wrong_code(client, staff):
    client.force_login(staff)
    page = reverse("admin:second_factor")
    client.get(page)
    device = TOTPDevice.objects.get(user=staff)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"

    response = client.post(page, {"action": "enrol", "code": wrong})

    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_login_page_has_a_code_field_joined_to_the_form(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:login"))

    page = response.content.decode()
    assert re.search(r'<input[^>]*name="otp_token"[^>]*form="login-form"', page)
    assert re.search(r'<input type="submit"[^>]*form="login-form"', page)
    assert len(queries) == 0


def test_login_with_a_second_factor_asks_for_the_code(client, staff):
    enrol(client, staff)
    client.logout()

    response = log_in(client, "desk-1")

    assert response.status_code == 200
    assert "enter the code from your authenticator app" in response.content.decode()
    assert not logged_in(client)
    # Not a failure: the password was right, and nothing was guessed.
    assert not AccessAttempt.objects.exists()


def test_login_with_the_right_code_verifies_the_session(client, staff):
    device = enrol(client, staff, at=NOW)
    client.logout()
    later = NOW + timedelta(seconds=60)  # Each code is good once: the next one.

    with time_machine.travel(later, tick=False):
        response = log_in(client, "desk-1", code=code_for(device, later))

    assert response.status_code == 302
    assert logged_in(client)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_a_wrong_code_is_refused_and_counted_as_a_failed_login(client, staff):
    device = enrol(client, staff, at=NOW)
    client.logout()
    later = NOW + timedelta(seconds=60)
    wrong = f"{(int(code_for(device, later)) + 1) % 1_000_000:06d}"

    with time_machine.travel(later, tick=False):
        response = log_in(client, "desk-1", code=wrong)

    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert not logged_in(client)
    assert AccessAttempt.objects.get().failures_since_start == 1


def test_wrong_codes_lock_the_account_like_wrong_passwords(client, staff):
    device = enrol(client, staff, at=NOW)
    client.logout()
    later = NOW + timedelta(seconds=60)
    wrong = f"{(int(code_for(device, later)) + 1) % 1_000_000:06d}"

    with time_machine.travel(later, tick=False):
        for _ in range(4):
            log_in(client, "desk-1", code=wrong)
        fifth = log_in(client, "desk-1", code=wrong)
        right = log_in(client, "desk-1", code=code_for(device, later))

    assert (fifth.status_code, right.status_code) == (429, 429)
    assert not logged_in(client)


def test_removing_your_second_factor_needs_a_code(client, staff):
    device = enrol(client, staff, at=NOW)
    page = reverse("admin:second_factor")

    refused = client.post(page, {"action": "remove", "code": ""})
    assert refused.status_code == 200
    assert TOTPDevice.objects.filter(pk=device.pk).exists()

    later = NOW + timedelta(seconds=60)
    with time_machine.travel(later, tick=False):
        removed = client.post(page, {"action": "remove", "code": code_for(device, later)})

    assert removed.status_code == 302
    assert not TOTPDevice.objects.filter(user=staff).exists()
    client.logout()
    assert log_in(client, "desk-1").status_code == 302  # Password only again.


def test_superuser_removes_a_colleagues_device_and_others_cannot(client, staff, superuser, editor):
    device = enrol(client, staff)
    delete = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])

    client.force_login(editor)
    assert client.post(delete, {"post": "yes"}).status_code == 403
    client.force_login(superuser)
    assert client.post(delete, {"post": "yes"}).status_code == 302

    assert not TOTPDevice.objects.filter(user=staff).exists()


def test_device_admin_does_not_show_the_secret(client, staff, superuser):
    device = enrol(client, staff)
    client.force_login(superuser)

    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))

    assert device.key not in page.content.decode()


def test_user_menu_on_the_admin_index_links_to_the_second_factor(client, staff):
    client.force_login(staff)

    page = client.get(reverse("admin:index")).content.decode()

    assert f'href="{reverse("admin:second_factor")}"' in page


def test_required_second_factor_sends_staff_to_enrol_first(client, staff, settings):
    settings.STAFF_REQUIRE_2FA = True
    client.force_login(staff)
    index = reverse("admin:index")

    response = client.get(index)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:second_factor')}?next=%2F{index[1:-1]}%2F"
    page = client.get(response["Location"])
    assert "A second factor is required" in page.content.decode()


def test_required_second_factor_lets_staff_in_once_enrolled(client, staff, settings):
    settings.STAFF_REQUIRE_2FA = True

    enrol(client, staff)

    assert client.get(reverse("admin:index")).status_code == 200


def test_required_second_factor_asks_an_unconfirmed_session_for_a_code(staff, settings):
    device = enrol(Client(), staff, at=NOW)
    settings.STAFF_REQUIRE_2FA = True
    client = Client()
    client.force_login(staff)  # A session not confirmed by a code.
    page = reverse("admin:second_factor")
    assert client.get(reverse("admin:index"))["Location"].startswith(page)

    later = NOW + timedelta(seconds=60)
    with time_machine.travel(later, tick=False):
        confirmed = client.post(page, {"action": "verify", "code": code_for(device, later)})

    assert confirmed.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_required_second_factor_still_lets_staff_log_out(client, staff, settings):
    settings.STAFF_REQUIRE_2FA = True
    client.force_login(staff)

    response = client.post(reverse("admin:logout"))

    assert response.status_code == 200
    assert not logged_in(client)
