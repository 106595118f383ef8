"""/.well-known/security.txt tells researchers where to report a vulnerability (RFC 9116)."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

URL = "/.well-known/security.txt"


def fields(response) -> dict[str, str]:
    lines = response.content.decode().splitlines()
    return dict(line.split(": ", 1) for line in lines if line)


def test_security_txt_names_a_contact_expiry_canonical_address_and_language(client, settings):
    settings.SITE_URL = "https://news.example.com"
    settings.NEWSROOM_SECURITY_CONTACT = ""

    with time_machine.travel(datetime(2026, 3, 1, 12, 0, tzinfo=UTC), tick=False):
        response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert fields(response) == {
        "Contact": "mailto:security@news.example.com",
        "Expires": "2027-03-01T12:00:00Z",
        "Canonical": "https://news.example.com/.well-known/security.txt",
        "Preferred-Languages": "en",
    }


def test_expiry_is_a_year_from_each_request(client):
    with time_machine.travel(datetime(2030, 7, 15, 8, 30, tzinfo=UTC), tick=False):
        assert fields(client.get(URL))["Expires"] == "2031-07-15T08:30:00Z"


@pytest.mark.parametrize(
    ("setting", "contact"),
    [
        ("https://news.example.com/report", "https://news.example.com/report"),
        ("mailto:cert@example.org", "mailto:cert@example.org"),
        ("cert@example.org", "mailto:cert@example.org"),
    ],
)
def test_contact_comes_from_the_setting(client, settings, setting, contact):
    settings.NEWSROOM_SECURITY_CONTACT = setting

    assert fields(client.get(URL))["Contact"] == contact


def test_security_txt_is_kept_by_the_front_cache(client):
    response = client.get(URL)

    assert "public" in response["Cache-Control"]
    assert "s-maxage=" in response["Cache-Control"]
    assert reverse("security_txt") == URL


def test_security_txt_refuses_a_post(client):
    assert client.post(URL).status_code == 405
