"""Partner keys on the syndication API: scope, embargoes, the change feed, refusals, limits."""

import json
import logging
import socket
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from articles import workflow
from articles.models import Article
from partners.models import Partner, PartnerKey
from tests.factories import (
    ArticleFactory,
    ImageFactory,
    SectionFactory,
    SourceFactory,
    UserFactory,
    hidden_articles,
)

pytestmark = pytest.mark.django_db

SCHEMAS = Path(settings.BASE_DIR).parent / "shared" / "schemas" / "ninjs"
LIST = "/api/v1/articles/"


def story(hours_ago: float = 1, **kwargs) -> Article:
    return ArticleFactory(
        status=Article.Status.PUBLISHED,
        publish_at=timezone.now() - timedelta(hours=hours_ago),
        **kwargs,
    )


def embargoed_story(hours_ahead: float = 2, **kwargs) -> Article:
    return ArticleFactory(
        status=Article.Status.PUBLISHED,
        publish_at=timezone.now() + timedelta(hours=hours_ahead),
        embargoed=True,
        **kwargs,
    )


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [int(item["altIds"][0]["value"]) for item in response.json()["items"]]


def a_day_ago() -> str:
    return (timezone.now() - timedelta(days=1)).isoformat()


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def partner():
    return Partner.objects.create(name="Kyiv Post")


@pytest.fixture
def key(partner):
    return PartnerKey.issue(partner)[1]


@pytest.fixture
def keyed(client, key):
    """A client that sends the partner's key with every request."""
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


# --- What a key widens --------------------------------------------------------------


def test_a_partner_receives_an_embargoed_story_with_its_embargo_time(keyed):
    article = embargoed_story()
    [item] = keyed.get(LIST).json()["items"]
    assert item["embargoedUntil"] == article.publish_at.isoformat()
    assert item["pubStatus"] == "usable"
    assert keyed.get(f"{LIST}{article.pk}").json()["embargoedUntil"] == item["embargoedUntil"]
    assert ids(keyed.get(LIST, {"updated_since": a_day_ago()})) == [article.pk]


def test_the_public_never_sees_an_embargoed_story(client):
    article = embargoed_story()
    assert ids(client.get(LIST)) == []
    assert ids(client.get(LIST, {"updated_since": a_day_ago()})) == []
    assert client.get(f"{LIST}{article.pk}").status_code == 404


def test_a_public_story_carries_no_embargo_for_a_partner(keyed):
    article = story()
    item = keyed.get(f"{LIST}{article.pk}").json()
    assert "embargoedUntil" not in item
    assert item["version"] == str(article.version)


def test_a_partner_list_without_updated_since_holds_only_usable_stories(keyed, editor):
    kept, gone = story(), story()
    workflow.withdraw(gone, editor, "Sources retracted")
    assert ids(keyed.get(LIST)) == [kept.pk]


def test_stories_never_released_stay_out_of_a_partners_answers(keyed):
    hidden = {article.headline: article for article in hidden_articles()}
    released = [
        hidden[h].pk
        for h in ("Embargoed story", "Unpublished story", "Deleted story", "Withdrawn story")
    ]
    assert sorted(ids(keyed.get(LIST, {"updated_since": a_day_ago()}))) == sorted(released)
    for headline, article in hidden.items():
        if article.pk not in released:
            assert keyed.get(f"{LIST}{article.pk}").status_code == 404, headline


# --- Scope ------------------------------------------------------------------------


@pytest.fixture
def scoped(client, partner, editor):
    """A partner limited to one source, and a story of every kind from another source."""
    ours, theirs = SourceFactory(slug="ukrinform"), SourceFactory(slug="reuters")
    partner.sources.set([ours])
    key = PartnerKey.issue(partner)[1]
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    mine = story(source=ours)
    others = [story(source=theirs), embargoed_story(source=theirs), story(source=theirs)]
    workflow.withdraw(others[2], editor, "Legal")
    return client, mine, others, theirs


def test_a_key_limited_to_one_source_lists_only_its_stories(scoped):
    client, mine, _, theirs = scoped
    assert ids(client.get(LIST)) == [mine.pk]
    assert ids(client.get(LIST, {"source": theirs.slug})) == []


def test_a_key_limited_to_one_source_has_no_other_sources_changes(scoped):
    client, mine, _, _ = scoped
    assert ids(client.get(LIST, {"updated_since": a_day_ago()})) == [mine.pk]


def test_a_key_limited_to_one_source_finds_no_other_sources_story(scoped):
    client, mine, others, _ = scoped
    assert client.get(f"{LIST}{mine.pk}").status_code == 200
    for article in others:
        response = client.get(f"{LIST}{article.pk}")
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}


def test_a_partner_scope_by_section_and_language(client, partner):
    section = SectionFactory(slug="war")
    partner.sections.set([section])
    partner.languages = ["uk"]
    partner.save()
    wanted = story(section=section, language="uk")
    story(section=section, language="en")
    story(language="uk")
    key = PartnerKey.issue(partner)[1]
    assert ids(client.get(LIST, headers=bearer(key))) == [wanted.pk]


# --- Tombstones ---------------------------------------------------------------------


def test_a_withdrawn_story_comes_back_to_partners_as_canceled_with_the_reason(
    keyed, client, editor
):
    article = story()
    workflow.withdraw(article, editor, "The interview was fabricated.")
    [item] = keyed.get(LIST, {"updated_since": a_day_ago()}).json()["items"]
    assert item["pubStatus"] == "canceled"
    assert item["descriptions"] == [
        {
            "role": "withdrawal",
            "contentType": "text/plain",
            "value": "The interview was fabricated.",
        }
    ]
    assert "headlines" not in item and "bodies" not in item
    assert item["version"] == str(Article.objects.get(pk=article.pk).version)
    assert keyed.get(f"{LIST}{article.pk}").json() == item
    del client.defaults["HTTP_AUTHORIZATION"]
    assert client.get(f"{LIST}{article.pk}").status_code == 404
    assert ids(client.get(LIST, {"updated_since": a_day_ago()})) == []


def test_an_unpublished_story_comes_back_to_partners_as_withheld(keyed, editor):
    article = story()
    workflow.unpublish(article, editor)
    [item] = keyed.get(LIST, {"updated_since": a_day_ago()}).json()["items"]
    assert item["pubStatus"] == "withheld"
    assert "descriptions" not in item
    assert keyed.get(f"{LIST}{article.pk}").json()["pubStatus"] == "withheld"


def test_a_withdrawal_long_ago_is_not_in_a_recent_change_feed(keyed, editor):
    article = story(hours_ago=72)
    workflow.withdraw(article, editor, "Legal")
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now() - timedelta(days=2))
    assert ids(keyed.get(LIST, {"updated_since": a_day_ago()})) == []


@pytest.mark.skipif(not SCHEMAS.exists(), reason="../shared/schemas is not present")
def test_every_partner_payload_validates_against_the_official_ninjs_schema(keyed, editor):
    import jsonschema

    schema = json.loads((SCHEMAS / "ninjs-schema_3.1.json").read_text())
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    story(topics=["Energy"], authors=[UserFactory()], standfirst="Lead", dateline="Kyiv")
    story(lead_image=ImageFactory(file__width=2400, file__height=1600))
    embargoed_story(topics=["Energy"], source=None, section=None)
    workflow.withdraw(story(), editor, "Sources retracted")
    workflow.unpublish(story(), editor)
    items = keyed.get(LIST, {"updated_since": a_day_ago()}).json()["items"]
    assert sorted(item["pubStatus"] for item in items) == [
        "canceled", "usable", "usable", "usable", "withheld"
    ]  # fmt: skip
    assert sum("embargoedUntil" in item for item in items) == 1
    for item in items:
        assert [e.message for e in validator.iter_errors(item)] == []
        detail = keyed.get(f"{LIST}{item['altIds'][0]['value']}").json()
        assert [e.message for e in validator.iter_errors(detail)] == []


# --- The change feed's cursor -------------------------------------------------------------


def test_the_cursor_walks_a_change_feed_without_repeats_or_gaps(keyed, editor):
    stories = [story(hours_ago=n) for n in range(1, 8)]
    stories.append(embargoed_story())
    workflow.withdraw(stories[2], editor, "Legal")
    workflow.unpublish(stories[4], editor)
    # Two stories changed at the same moment: the id settles their order.
    same = timezone.now() - timedelta(minutes=30)
    Article.objects.filter(pk__in=[stories[0].pk, stories[1].pk]).update(updated_at=same)
    expected = list(
        Article.objects.partner_changes(since=timezone.now() - timedelta(days=1)).values_list(
            "pk", flat=True
        )
    )
    assert len(expected) == 8
    seen, url = [], f"{LIST}?updated_since={a_day_ago().replace('+', '%2B')}&limit=3"
    while url:
        answer = keyed.get(url.removeprefix("http://127.0.0.1:8000"))
        seen += ids(answer)
        url = answer.json()["next"]
    assert seen == expected


def test_a_partner_cursor_holds_the_partner_sort_key(keyed):
    import base64

    embargoed_story()
    story()
    answer = keyed.get(LIST, {"limit": 1}).json()
    cursor = answer["next"].split("cursor=")[1]
    changed, pk = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    first = Article.objects.partner_changes().get(pk=pk)
    assert changed == first.partner_changed.isoformat()


# --- Refused keys ----------------------------------------------------------------------


@pytest.fixture
def refused_headers(partner):
    revoked, revoked_key = PartnerKey.issue(partner)
    revoked.revoke()
    idle = Partner.objects.create(name="Closed paper", is_active=False)
    return {
        "revoked": f"Bearer {revoked_key}",
        "wrong": "Bearer nrp_" + "A" * 43,
        "inactive partner": f"Bearer {PartnerKey.issue(idle)[1]}",
        "no scheme": PartnerKey.issue(partner)[1],
        "basic": "Basic dXNlcjpwYXNz",
        "empty": "",
        "bearer alone": "Bearer",
        "not a key": "Bearer letmein",
    }


@pytest.mark.parametrize(
    "case",
    ["revoked", "wrong", "inactive partner", "no scheme", "basic", "empty", "bearer alone",
     "not a key"],
)  # fmt: skip
@pytest.mark.parametrize("path", [LIST, "detail", "/api/v1/topics/", "/api/v1/sources/"])
def test_a_refused_key_gets_a_401_and_no_data(client, refused_headers, case, path):
    article = embargoed_story()
    path = f"{LIST}{article.pk}" if path == "detail" else path
    response = client.get(path, HTTP_AUTHORIZATION=refused_headers[case])
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert list(response.json()) == ["detail"]
    assert "no-store" in response["Cache-Control"]
    assert not response.has_header("Surrogate-Key")


def test_a_revoked_key_is_refused_at_once(client, partner):
    issued, key = PartnerKey.issue(partner)
    assert client.get(LIST, headers=bearer(key)).status_code == 200
    issued.revoke()
    assert client.get(LIST, headers=bearer(key)).status_code == 401


def test_a_key_notes_its_last_use(client, partner):
    issued, key = PartnerKey.issue(partner)
    client.get(LIST, headers=bearer(key))
    issued.refresh_from_db()
    assert issued.last_used_at is not None


# --- Rate limit -------------------------------------------------------------------------


def test_a_key_over_its_partners_rate_gets_429_with_retry_after(client, partner):
    partner.rate_limit = 2
    partner.save()
    key = PartnerKey.issue(partner)[1]
    assert [client.get(LIST, headers=bearer(key)).status_code for _ in range(2)] == [200, 200]
    response = client.get(LIST, headers=bearer(key))
    assert response.status_code == 429
    assert list(response.json()) == ["detail"]
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "no-store" in response["Cache-Control"]
    # Each key has its own count; the public has none.
    assert client.get(LIST, headers=bearer(PartnerKey.issue(partner)[1])).status_code == 200
    assert client.get(LIST).status_code == 200


def test_the_rate_limit_lets_requests_through_when_the_cache_is_down(client, partner, settings):
    with socket.socket() as probe:  # A port nothing listens on: every connection is refused.
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        },
    }
    partner.rate_limit = 1
    partner.save()
    key = PartnerKey.issue(partner)[1]
    assert [client.get(LIST, headers=bearer(key)).status_code for _ in range(3)] == [200] * 3


def test_the_rate_limit_counts_in_a_fixed_minute():
    from partners import ratelimit

    start = 1_800_000_000.0 + 50  # 50 seconds into a minute.
    assert ratelimit.hit("test", 2, now=start) is None
    assert ratelimit.hit("test", 2, now=start + 1) is None
    assert ratelimit.hit("test", 2, now=start + 2) == 8
    assert ratelimit.hit("test", 2, now=start + 10) is None  # The next minute.


# --- Caching ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", [LIST, "detail", "/api/v1/topics/", "/api/v1/sources/"])
def test_partner_answers_are_never_kept_by_any_cache(keyed, path):
    article = story(topics=["Energy"])
    path = f"{LIST}{article.pk}" if path == "detail" else path
    response = keyed.get(path)
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert "public" not in directives
    assert not response.has_header("Surrogate-Key")
    assert "Authorization" in response["Vary"]


def test_public_answers_vary_on_authorization(client):
    story()
    response = client.get(LIST)
    assert response["Cache-Control"] == "public, max-age=30, s-maxage=3600"
    assert response.has_header("Surrogate-Key")
    assert "Authorization" in response["Vary"]


# --- Query counts -----------------------------------------------------------------------


@pytest.fixture
def busy_desk(editor):
    for _ in range(10):
        story(
            topics=["Energy", "Grid"],
            authors=UserFactory.create_batch(2),
            lead_image=ImageFactory(),
        )
    for _ in range(5):
        embargoed_story(topics=["Energy"], authors=UserFactory.create_batch(2))
    workflow.withdraw(story(), editor, "Legal")


def test_a_partner_list_costs_the_public_lists_queries_and_the_key(
    client, partner, busy_desk, django_assert_num_queries
):
    partner.sources.set(Article.objects.values_list("source", flat=True))
    key = PartnerKey.issue(partner)[1]
    # the key with its partner's scope, the last use noted, then as the public list:
    # stories with source, section and lead photo, bylines, topics
    with django_assert_num_queries(5):
        assert len(ids(client.get(LIST, headers=bearer(key)))) == 15
    # Within the minute, the last use is not written again.
    with django_assert_num_queries(4):
        assert len(ids(client.get(LIST, headers=bearer(key)))) == 15


def test_a_partner_change_feed_costs_no_more_than_its_list(
    client, key, busy_desk, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):
        assert len(ids(client.get(LIST, {"updated_since": a_day_ago()}, headers=bearer(key)))) == 16


def test_a_partner_detail_costs_the_public_details_queries_and_the_key(
    client, key, busy_desk, django_assert_max_num_queries
):
    article = Article.objects.filter(embargoed=True).first()
    with django_assert_max_num_queries(5):
        assert client.get(f"{LIST}{article.pk}", headers=bearer(key)).status_code == 200


# --- Documentation and logs -------------------------------------------------------------------


def test_the_openapi_document_describes_the_optional_partner_key(client):
    document = client.get("/api/v1/openapi.json").json()
    scheme = document["components"]["securitySchemes"]["PartnerKeyBearer"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert "embargo" in scheme["description"]
    operation = document["paths"]["/api/v1/articles/"]["get"]
    assert operation["security"] == [{"PartnerKeyBearer": []}, {}]
    assert {"401", "429"} <= set(operation["responses"])


def test_keyed_requests_are_logged_per_partner(keyed, partner, caplog):
    story()
    with caplog.at_level(logging.INFO, logger="partners.access"):
        keyed.get(LIST)
    [record] = [r for r in caplog.records if r.name == "partners.access"]
    message = record.getMessage()
    prefix = partner.keys.get().prefix
    assert "'Kyiv Post'" in message and prefix in message
    assert f"GET {LIST} status=200 items=1" in message


def test_public_requests_are_not_logged_as_partners(client, caplog):
    story()
    with caplog.at_level(logging.INFO, logger="partners.access"):
        client.get(LIST)
    assert [r for r in caplog.records if r.name == "partners.access"] == []
