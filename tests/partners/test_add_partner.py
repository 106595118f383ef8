"""`manage.py add_partner`: a partner with its scope and its first key, shown once."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from partners.models import Partner, PartnerKey, key_digest
from tests.factories import SectionFactory, SourceFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"


def add_partner(*args: str) -> str:
    out = StringIO()
    call_command("add_partner", *args, stdout=out)
    return out.getvalue()


def printed_key(output: str) -> str:
    [line] = [line for line in output.splitlines() if line.startswith("API key: ")]
    return line.removeprefix("API key: ")


def test_adds_a_partner_with_its_scope_and_prints_its_first_key_once():
    source, section = SourceFactory(slug="ukrinform"), SectionFactory(slug="war")
    output = add_partner(
        "Kyiv Post", "--source", "ukrinform", "--section", "war", "--language", "uk",
        "--rate-limit", "120",
    )  # fmt: skip
    partner = Partner.objects.get(name="Kyiv Post")
    assert list(partner.sources.all()) == [source]
    assert list(partner.sections.all()) == [section]
    assert (partner.languages, partner.rate_limit) == (["uk"], 120)
    key = printed_key(output)
    assert partner.keys.get().digest == key_digest(key)
    assert "will not be shown again" in output


def test_the_printed_key_opens_the_api(client):
    key = printed_key(add_partner("Kyiv Post"))
    response = client.get(LIST, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_a_partner_without_a_scope_takes_everything():
    add_partner("Kyiv Post")
    partner = Partner.objects.get()
    assert (list(partner.sources.all()), list(partner.sections.all())) == ([], [])
    assert (partner.languages, partner.rate_limit) == ([], None)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--source", "nowhere"], "No source with the slug nowhere"),
        (["--section", "nowhere"], "No section with the slug nowhere"),
        (["--language", "xx"], "no edition in xx"),
        (["--rate-limit", "0"], "--rate-limit"),
    ],
)
def test_bad_input_is_a_clear_error_and_creates_nothing(args, message):
    SourceFactory(slug="ukrinform")
    with pytest.raises(CommandError, match=message):
        add_partner("Kyiv Post", "--source", "ukrinform", *args)
    assert not Partner.objects.exists()
    assert not PartnerKey.objects.exists()


def test_a_name_already_taken_is_refused():
    Partner.objects.create(name="Kyiv Post")
    with pytest.raises(CommandError, match="already a partner called"):
        add_partner("kyiv post")
    assert Partner.objects.count() == 1
    assert not PartnerKey.objects.exists()


def test_a_dry_run_creates_nothing():
    output = add_partner("Kyiv Post", "--dry-run")
    assert "Would add the partner “Kyiv Post”" in output
    assert "API key" not in output
    assert not Partner.objects.exists()
