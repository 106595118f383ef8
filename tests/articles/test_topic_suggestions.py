"""Topic suggestions in the article form: the JSON endpoint the topics field asks as one types."""

import pytest
from django.urls import reverse

from tests.articles.admin_forms import ADD
from tests.factories import TopicFactory, UserFactory
from topics.models import Topic, TopicAlias

pytestmark = pytest.mark.django_db

SUGGESTIONS = reverse("admin:articles_article_topic_suggestions")


def suggested(client, term: str) -> list[str]:
    response = client.get(SUGGESTIONS, {"q": term})
    assert response.status_code == 200
    return [result["name"] for result in response.json()["results"]]


@pytest.fixture
def writer(client, reporter):
    client.force_login(reporter)
    return client


# --- Who may ask --------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    TopicFactory(name="Russia")
    response = client.get(SUGGESTIONS, {"q": "rus"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_a_topic_moderator_who_may_not_write_stories_is_refused(client, moderator):
    TopicFactory(name="Russia")
    client.force_login(moderator)
    assert client.get(SUGGESTIONS, {"q": "rus"}).status_code == 403


def test_a_signed_in_user_who_is_not_staff_is_sent_to_the_login_page(client):
    TopicFactory(name="Russia")
    client.force_login(UserFactory(username="reader-1"))
    assert client.get(SUGGESTIONS, {"q": "rus"}).status_code == 302


@pytest.mark.parametrize("role", ["reporter", "editor"])
def test_reporters_and_editors_get_suggestions(client, request, role):
    TopicFactory(name="Russia")
    client.force_login(request.getfixturevalue(role))
    assert suggested(client, "rus") == ["Russia"]


def test_only_get_is_answered(writer):
    assert writer.post(SUGGESTIONS, {"q": "rus"}).status_code == 405


# --- What is suggested ------------------------------------------------------------------


@pytest.mark.parametrize("status", [Topic.Status.PENDING, Topic.Status.REJECTED])
def test_topics_not_approved_are_not_suggested(writer, status):
    TopicFactory(name="Russia today", status=status)
    TopicFactory(name="Russia")
    assert suggested(writer, "russia") == ["Russia"]


def test_an_alias_is_suggested_with_the_topic_it_leads_to(writer):
    TopicAlias.objects.create(name="Russian Federation", topic=TopicFactory(name="Russia"))
    response = writer.get(SUGGESTIONS, {"q": "federation"})
    assert response.json()["results"] == [{"name": "Russia", "alias": "Russian Federation"}]


def test_an_alias_of_a_topic_not_approved_is_not_suggested(writer):
    pending = TopicFactory(name="Sea of Azov", status=Topic.Status.PENDING)
    TopicAlias.objects.create(name="Azov Sea", topic=pending)
    assert suggested(writer, "azov") == []


@pytest.mark.parametrize("typed", ["russ", "RUSS", "Rúss", "  rUsS "])
def test_matching_ignores_case_accents_and_spaces(writer, typed):
    TopicFactory(name="Rússia")
    assert suggested(writer, typed) == ["Rússia"]


def test_the_exact_name_comes_first_then_names_starting_with_it_then_the_rest(writer):
    for name in ["Black Sea grain", "Sea ports", "Chelsea", "Sea"]:
        TopicFactory(name=name)
    assert suggested(writer, "sea") == ["Sea", "Sea ports", "Black Sea grain", "Chelsea"]


def test_at_most_ten_topics_are_suggested(writer):
    for n in range(15):
        TopicFactory(name=f"Energy {n:02}")
    assert len(suggested(writer, "energy")) == 10


# --- Bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize("query", [{}, {"q": ""}, {"q": "   "}, {"q": "r"}, {"q": "%_"}])
def test_nothing_to_look_up_gives_an_empty_list(writer, query):
    TopicFactory(name="Russia")
    response = writer.get(SUGGESTIONS, query)
    assert (response.status_code, response.json()) == (200, {"results": []})


@pytest.mark.parametrize("term", ["x" * 101, "rus\x00sia"])
def test_a_term_too_long_or_with_a_nul_character_is_a_bad_request(writer, term):
    assert writer.get(SUGGESTIONS, {"q": term}).status_code == 400


@pytest.mark.parametrize(
    ("term", "name", "decoy"),
    [
        ("100%", "100% renewables", "1000 days"),
        ("a_b", "A_B testing", "Axb testing"),
        ("back\\sl", "Back\\slash", "Backsl"),
        ("o'bri", "O'Brien", "Obrist"),
    ],
)
def test_like_wildcards_backslashes_and_quotes_are_matched_as_typed(writer, term, name, decoy):
    TopicFactory(name=name)
    TopicFactory(name=decoy)
    assert suggested(writer, term) == [name]


# --- Cost and the form --------------------------------------------------------------------


def test_asking_costs_a_fixed_number_of_queries_however_many_topics_match(
    writer, django_assert_num_queries
):
    for n in range(3):
        TopicFactory(name=f"Grain exports {n}")
    # session, user, permissions (2), names starting with the term, then names
    # containing it, because three names starting with it do not fill the list.
    with django_assert_num_queries(6):
        writer.get(SUGGESTIONS, {"q": "grain"})
    # When names starting with the term fill the list, the second lookup is skipped.
    for n in range(3, 40):
        TopicFactory(name=f"Grain exports {n}")
        TopicAlias.objects.create(name=f"Grain shipments {n}", topic=TopicFactory())
    with django_assert_num_queries(5):
        writer.get(SUGGESTIONS, {"q": "grain"})


def test_the_topics_field_brings_its_script_and_the_address_to_ask(writer):
    content = writer.get(ADD).content.decode()
    assert f'data-suggestions-url="{SUGGESTIONS}"' in content
    assert "topics/admin/topic-suggestions.js" in content
