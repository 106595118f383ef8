"""Partners in the admin: who manages them, their keys, and the deliveries' log."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import SUCCESS, get_messages
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.roles import ROLES
from partners.models import Delivery, Endpoint, Partner, PartnerKey, key_digest
from tests.factories import ArticleFactory, SectionFactory, SourceFactory, UserFactory
from tests.newsroom import test_html_validity as html_validity

pytestmark = pytest.mark.django_db

PARTNERS = reverse("admin:partners_partner_changelist")
ADD_PARTNER = reverse("admin:partners_partner_add")
DELIVERIES = reverse("admin:partners_delivery_changelist")


@pytest.fixture
def manager(db):
    return UserFactory(username="partners-1", groups=["Partner managers"])


def change_url(partner: Partner) -> str:
    return reverse("admin:partners_partner_change", args=[partner.pk])


def issue_url(partner: Partner) -> str:
    return reverse("admin:partners_partner_issue_key", args=[partner.pk])


def revoke_url(key: PartnerKey) -> str:
    return reverse("admin:partners_partner_revoke_key", args=[key.partner_id, key.pk])


def partner_form(**overrides) -> dict:
    return {
        "name": "Kyiv Daily",
        "is_active": "on",
        "contact": "desk@kyivdaily.example",
        "rate_limit": "",
        "notes": "",
        "keys-TOTAL_FORMS": "0",
        "keys-INITIAL_FORMS": "0",
        "endpoints-TOTAL_FORMS": "0",
        "endpoints-INITIAL_FORMS": "0",
        **overrides,
    }


def delivery(endpoint: Endpoint, status=Delivery.Status.DELIVERED, **kwargs) -> Delivery:
    return Delivery.objects.create(
        endpoint=endpoint,
        article=kwargs.pop("article", None) or ArticleFactory(published=True),
        event=Delivery.Event.PUBLISHED,
        status=status,
        **kwargs,
    )


# --- Who manages partners -----------------------------------------------------------------


def test_the_partner_managers_group_holds_the_partners_permissions_only(groups):
    perms = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in groups["Partner managers"].permissions.select_related("content_type")
    }
    assert perms == ROLES["Partner managers"]
    assert all(perm.startswith("partners.") for perm in perms)
    for name in ("Reporters", "Editors", "Topic moderators"):
        assert (
            not Group.objects.get(name=name)
            .permissions.filter(content_type__app_label="partners")
            .exists()
        )


@pytest.mark.parametrize("role", ["editor", "reporter", "moderator"])
@pytest.mark.parametrize("screen", ["list", "add", "change", "issue", "deliveries"])
def test_the_newsroom_roles_may_not_open_the_partners_admin(client, request, role, screen):
    partner = Partner.objects.create(name="Kyiv Daily")
    url = {
        "list": PARTNERS,
        "add": ADD_PARTNER,
        "change": change_url(partner),
        "issue": issue_url(partner),
        "deliveries": DELIVERIES,
    }[screen]
    client.force_login(request.getfixturevalue(role))
    assert client.get(url).status_code == 403


def test_an_editor_may_not_issue_or_revoke_keys_with_a_crafted_post(client, editor):
    partner = Partner.objects.create(name="Kyiv Daily")
    key, _ = PartnerKey.issue(partner, "web desk")
    client.force_login(editor)
    assert client.post(issue_url(partner), {"name": "stolen"}).status_code == 403
    assert client.post(revoke_url(key)).status_code == 403
    key.refresh_from_db()
    assert key.revoked_at is None
    assert PartnerKey.objects.count() == 1


def test_a_superuser_sees_partners_and_deliveries(client, superuser):
    client.force_login(superuser)
    assert client.get(PARTNERS).status_code == 200
    assert client.get(DELIVERIES).status_code == 200


# --- Partners and their keys ------------------------------------------------------------


def test_manager_creates_a_partner_with_its_scope(client, manager):
    source, section = SourceFactory(), SectionFactory()
    client.force_login(manager)
    data = partner_form(sources=[source.pk], sections=[section.pk], languages=["uk"])
    response = client.post(ADD_PARTNER, data)
    assert response.status_code == 302
    partner = Partner.objects.get()
    assert partner.name == "Kyiv Daily"
    assert list(partner.sources.all()) == [source]
    assert list(partner.sections.all()) == [section]
    assert partner.languages == ["uk"]


def test_the_partner_form_offers_the_sites_languages_and_refuses_others(client, manager):
    client.force_login(manager)
    page = client.get(ADD_PARTNER).content.decode()
    assert 'type="checkbox" name="languages" value="uk"' in page
    response = client.post(ADD_PARTNER, partner_form(languages=["xx"]))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["languages"]
    assert not Partner.objects.exists()


def test_manager_adds_an_endpoint_and_sees_its_signing_secret(client, manager):
    partner = Partner.objects.create(name="Kyiv Daily")
    client.force_login(manager)
    data = partner_form(
        **{
            "endpoints-TOTAL_FORMS": "1",
            "endpoints-0-url": "https://kyivdaily.example/hooks/agency",
            "endpoints-0-is_active": "on",
        }
    )
    assert client.post(change_url(partner), data).status_code == 302
    endpoint = Endpoint.objects.get(partner=partner)
    assert endpoint.url == "https://kyivdaily.example/hooks/agency"
    page = client.get(change_url(partner)).content.decode()
    assert endpoint.secret in page
    assert 'name="endpoints-0-secret"' not in page  # Shown, not editable.


def test_manager_issues_a_key_shown_once_and_stored_as_a_digest(client, manager):
    partner = Partner.objects.create(name="Kyiv Daily")
    client.force_login(manager)
    assert issue_url(partner) in client.get(change_url(partner)).content.decode()
    form = client.get(issue_url(partner))
    assert form.status_code == 200
    assert 'name="name"' in form.content.decode()

    response = client.post(issue_url(partner), {"name": "web desk"})
    assert response.status_code == 200
    shown = response.context["key"]
    assert shown.startswith("nrp_")
    page = response.content.decode()
    assert shown in page
    assert "will not be shown again" in page
    assert "no-store" in response["Cache-Control"]
    # The key went nowhere else: no message (kept in the session or a cookie) carries it.
    assert not list(get_messages(response.wsgi_request))
    assert shown not in "".join(morsel.value for morsel in response.cookies.values())

    key = PartnerKey.objects.get()
    assert key.digest == key_digest(shown)
    assert (key.partner, key.name, key.created_by) == (partner, "web desk", manager)
    assert shown not in client.get(change_url(partner)).content.decode()
    assert key.prefix in client.get(change_url(partner)).content.decode()


def test_manager_revokes_a_key(client, manager):
    partner = Partner.objects.create(name="Kyiv Daily")
    key, _ = PartnerKey.issue(partner, "web desk")
    client.force_login(manager)
    assert revoke_url(key) in client.get(change_url(partner)).content.decode()
    confirm = client.get(revoke_url(key))
    assert confirm.status_code == 200
    key.refresh_from_db()
    assert key.revoked_at is None  # Asking is not doing.

    response = client.post(revoke_url(key))
    assert response.status_code == 302
    assert response["Location"] == change_url(partner)
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert not PartnerKey.objects.active().exists()


def test_a_key_of_another_partner_cannot_be_revoked_through_this_one(client, manager):
    partner = Partner.objects.create(name="Kyiv Daily")
    other = Partner.objects.create(name="Lviv Post")
    key, _ = PartnerKey.issue(other, "web desk")
    client.force_login(manager)
    url = reverse("admin:partners_partner_revoke_key", args=[partner.pk, key.pk])
    assert client.post(url).status_code == 404
    key.refresh_from_db()
    assert key.revoked_at is None


def test_the_partner_list_sums_up_keys_endpoints_and_failures(client, manager):
    partner = Partner.objects.create(name="Kyiv Daily", languages=["uk"])
    partner.sources.add(SourceFactory(name="Ukrinform"))
    PartnerKey.issue(partner, "web")
    used, _ = PartnerKey.issue(partner, "app")
    used.touch()
    PartnerKey.issue(partner, "old")[0].revoke()
    endpoint = Endpoint.objects.create(partner=partner, url="https://kyivdaily.example/a")
    Endpoint.objects.create(partner=partner, url="https://kyivdaily.example/b")
    delivery(endpoint, Delivery.Status.FAILED)
    delivery(endpoint, Delivery.Status.GIVEN_UP)
    delivery(endpoint, Delivery.Status.DELIVERED)
    client.force_login(manager)
    response = client.get(PARTNERS)
    (row,) = response.context["cl"].result_list
    assert (row.key_count, row.endpoint_count, row.failed_count) == (2, 2, 2)
    used.refresh_from_db()
    assert row.last_key_use == used.last_used_at
    page = response.content.decode()
    assert "sources: Ukrinform; languages: uk" in page
    assert f"?partner={partner.pk}&amp;status=failed" in page


def test_the_partner_list_answers_with_a_fixed_number_of_queries(
    client, manager, django_assert_max_num_queries
):
    # Prefetched scope and counts in subqueries: not a query per partner (the N+1 of
    # each row's sources, sections, keys, endpoints and deliveries).
    for n in range(12):
        partner = Partner.objects.create(name=f"Partner {n}")
        partner.sources.add(SourceFactory())
        partner.sections.add(SectionFactory())
        PartnerKey.issue(partner, "web")[0].touch()
        delivery(
            Endpoint.objects.create(partner=partner, url=f"https://p{n}.example/"),
            Delivery.Status.FAILED,
        )
    client.force_login(manager)
    with django_assert_max_num_queries(9):
        response = client.get(PARTNERS)
    assert len(response.context["cl"].result_list) == 12


def test_partners_are_found_by_name_and_filtered_by_activity(client, manager):
    Partner.objects.create(name="Kyiv Daily")
    Partner.objects.create(name="Lviv Post", is_active=False)
    client.force_login(manager)
    found = client.get(PARTNERS, {"q": "kyiv"}).context["cl"].result_list
    assert [p.name for p in found] == ["Kyiv Daily"]
    inactive = client.get(PARTNERS, {"is_active__exact": "0"}).context["cl"].result_list
    assert [p.name for p in inactive] == ["Lviv Post"]


# --- Deliveries ---------------------------------------------------------------------------


@pytest.fixture
def deliveries():
    kyiv = Partner.objects.create(name="Kyiv Daily")
    lviv = Partner.objects.create(name="Lviv Post")
    kyiv_hook = Endpoint.objects.create(partner=kyiv, url="https://kyivdaily.example/hook")
    lviv_hook = Endpoint.objects.create(partner=lviv, url="https://lvivpost.example/hook")
    return {
        "retrying": delivery(
            kyiv_hook, Delivery.Status.FAILED, attempts=2, response_status=503, error="503"
        ),
        "given_up": delivery(kyiv_hook, Delivery.Status.GIVEN_UP, attempts=6, error="timeout"),
        "delivered": delivery(
            kyiv_hook, Delivery.Status.DELIVERED, attempts=1, delivered_at=timezone.now()
        ),
        "other": delivery(lviv_hook, Delivery.Status.FAILED, attempts=1),
    }


def test_the_failed_filter_lists_failed_and_given_up_deliveries_of_a_partner(
    client, manager, deliveries
):
    kyiv = Partner.objects.get(name="Kyiv Daily")
    client.force_login(manager)
    response = client.get(DELIVERIES, {"partner": kyiv.pk, "status": "failed"})
    assert set(response.context["cl"].result_list) == {
        deliveries["retrying"],
        deliveries["given_up"],
    }
    every_failed = client.get(DELIVERIES, {"status": "failed"}).context["cl"].result_list
    assert set(every_failed) == {
        deliveries["retrying"],
        deliveries["given_up"],
        deliveries["other"],
    }
    given_up = client.get(DELIVERIES, {"status": "given_up"}).context["cl"].result_list
    assert list(given_up) == [deliveries["given_up"]]


def test_the_partner_form_links_to_its_deliveries_and_failed_ones(client, manager, deliveries):
    kyiv = Partner.objects.get(name="Kyiv Daily")
    client.force_login(manager)
    page = client.get(change_url(kyiv)).content.decode()
    assert f"{DELIVERIES}?partner={kyiv.pk}&amp;status=failed" in page
    assert f'{DELIVERIES}?partner={kyiv.pk}"' in page


def test_deliveries_are_read_only(client, manager, deliveries):
    client.force_login(manager)
    url = reverse("admin:partners_delivery_change", args=[deliveries["retrying"].pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="status"' not in response.content.decode()
    client.post(url, {"status": "delivered", "attempts": "0"})
    deliveries["retrying"].refresh_from_db()
    assert deliveries["retrying"].status == Delivery.Status.FAILED
    assert client.get(reverse("admin:partners_delivery_add")).status_code == 403


def test_manager_resends_the_selected_deliveries(client, manager, deliveries):
    chosen = [deliveries["retrying"], deliveries["given_up"]]
    client.force_login(manager)
    response = client.post(
        DELIVERIES,
        {"action": "resend", "_selected_action": [d.pk for d in chosen], "index": "0"},
    )
    assert response.status_code == 302
    assert (SUCCESS, "Queued again: 2 deliveries.") in [
        (m.level, m.message) for m in get_messages(response.wsgi_request)
    ]
    for chosen_delivery in chosen:
        chosen_delivery.refresh_from_db()
        assert chosen_delivery.status == Delivery.Status.PENDING
    deliveries["other"].refresh_from_db()
    assert deliveries["other"].status == Delivery.Status.FAILED
    assert DBTaskResult.objects.filter(task_path="partners.tasks.deliver").exists()


def test_resending_needs_the_change_permission(client, deliveries):
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_delivery"))
    client.force_login(viewer)
    response = client.get(DELIVERIES)
    assert response.status_code == 200
    assert 'value="resend"' not in response.content.decode()
    client.post(
        DELIVERIES,
        {"action": "resend", "_selected_action": [deliveries["given_up"].pk], "index": "0"},
    )
    deliveries["given_up"].refresh_from_db()
    assert deliveries["given_up"].status == Delivery.Status.GIVEN_UP


def test_the_delivery_list_answers_with_a_fixed_number_of_queries(
    client, manager, django_assert_max_num_queries
):
    # Partner and story joined in: not two queries per row.
    for n in range(15):
        partner = Partner.objects.create(name=f"Partner {n}")
        endpoint = Endpoint.objects.create(partner=partner, url=f"https://p{n}.example/")
        delivery(endpoint, Delivery.Status.FAILED, created_at=timezone.now() - timedelta(hours=n))
    client.force_login(manager)
    with django_assert_max_num_queries(10):
        response = client.get(DELIVERIES, {"status": "failed"})
    assert len(response.context["cl"].result_list) == 15


# --- Valid HTML ---------------------------------------------------------------------------

vnu = html_validity.vnu


def test_the_partner_screens_are_valid_html(client, manager, deliveries, vnu, tmp_path):
    kyiv = Partner.objects.get(name="Kyiv Daily")
    key, _ = PartnerKey.issue(kyiv, "web desk")
    client.force_login(manager)
    responses = {
        "partners": client.get(PARTNERS),
        "partner": client.get(change_url(kyiv)),
        "issue": client.get(issue_url(kyiv)),
        "issued": client.post(issue_url(kyiv), {"name": "app"}),
        "revoke": client.get(revoke_url(key)),
        "deliveries": client.get(DELIVERIES, {"status": "failed"}),
    }
    files = []
    for name, response in responses.items():
        assert response.status_code == 200, name
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(response.content)
    assert html_validity.check(vnu, files) == {}


def test_an_endpoint_must_be_https(client, manager, settings):
    settings.NEWSROOM_PUSH_ALLOW_HTTP = False
    partner = Partner.objects.create(name="Kyiv Daily")
    client.force_login(manager)
    data = partner_form(
        **{
            "endpoints-TOTAL_FORMS": "1",
            "endpoints-0-url": "http://kyivdaily.example/hooks/agency",
            "endpoints-0-is_active": "on",
        }
    )
    response = client.post(change_url(partner), data)
    assert response.status_code == 200
    assert "https://" in str(response.context["inline_admin_formsets"][1].formset.errors)
    assert not Endpoint.objects.exists()


def test_a_partner_manager_finds_partners_and_deliveries_on_the_admin_index(client, manager):
    client.force_login(manager)
    page = client.get(reverse("admin:index")).content.decode()
    assert PARTNERS in page
    assert DELIVERIES in page
