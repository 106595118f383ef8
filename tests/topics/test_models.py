"""The vocabulary in the database: one topic per normal form, tidy names, Unicode slugs."""

import pytest
from django.db import IntegrityError, transaction

from tests.factories import TopicFactory
from topics.models import Topic, TopicAlias, TopicRedirect, normal_forms

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "clash",
    ["RUSSIA", "russia", "Rússia", "Rüssia", "Russia ", " Russia", "R\u0075\u0301ssia"],
    ids=[
        "capitals",
        "lower case",
        "acute accent",
        "umlaut",
        "trailing space",
        "leading space",
        "combining accent",
    ],
)
def test_the_database_refuses_a_second_topic_with_the_same_normal_form(clash):
    TopicFactory(name="Russia")
    with pytest.raises(IntegrityError, match="topic_name_normal_unique"), transaction.atomic():
        # Straight to the database: the model's own tidying plays no part.
        Topic.objects.bulk_create([Topic(name=clash, slug="other")])


def test_the_database_refuses_names_differing_only_in_inner_spaces():
    TopicFactory(name="Human rights")
    with pytest.raises(IntegrityError, match="topic_name_normal_unique"), transaction.atomic():
        Topic.objects.bulk_create([Topic(name="Human   rights", slug="other")])


def test_cyrillic_names_clash_whatever_their_case():
    TopicFactory(name="Вишиванка")
    with pytest.raises(IntegrityError, match="topic_name_normal_unique"), transaction.atomic():
        Topic.objects.bulk_create([Topic(name="ВИШИВАНКА", slug="other")])


def test_ukrainian_letters_are_not_folded_into_others():
    # Ukrainian Ї, Й and Є are letters of their own, not accented forms of others.
    assert normal_forms(["Їжак", "Йорданія", "Євро"]) == ["їжак", "йорданія", "євро"]


def test_the_normal_form_is_lower_case_without_accents_and_with_single_spaces():
    assert normal_forms(["  São   Tomé\tand Príncipe "]) == ["sao tome and principe"]


def test_a_topic_name_is_stored_tidy():
    assert TopicFactory(name="  Prisoners   of war ").name == "Prisoners of war"


def test_the_database_refuses_two_aliases_with_the_same_normal_form():
    topic = TopicFactory(name="Russia")
    TopicAlias.objects.create(name="Russian Federation", topic=topic)
    with (
        pytest.raises(IntegrityError, match="topic_alias_name_normal_unique"),
        transaction.atomic(),
    ):
        TopicAlias.objects.create(name="russian federation", topic=topic)


def test_status_outside_the_three_is_refused():
    topic = TopicFactory()
    with pytest.raises(IntegrityError, match="topic_status_valid"), transaction.atomic():
        Topic.objects.filter(pk=topic.pk).update(status="published")


def test_a_new_topic_is_pending_until_approved():
    assert Topic.objects.create(name="Grain corridor").status == Topic.Status.PENDING


def test_public_topics_are_the_approved_ones():
    approved = TopicFactory()
    TopicFactory(status=Topic.Status.PENDING)
    TopicFactory(status=Topic.Status.REJECTED)
    assert list(Topic.objects.public()) == [approved]


def test_a_latin_slug_is_made_from_the_name():
    assert TopicFactory(name="Council of Europe").slug == "council-of-europe"


def test_a_new_slug_never_takes_an_old_address_that_still_redirects():
    russia = TopicFactory(name="Russia", slug="russia")
    TopicRedirect.objects.create(old_slug="russian-federation", topic=russia)
    assert TopicFactory(name="Russian federation!").slug == "russian-federation-1"
