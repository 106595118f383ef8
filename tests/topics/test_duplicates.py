"""The likely-duplicates finder on the kinds of near-duplicates newsrooms really make."""

import pytest

from tests.factories import TopicFactory
from topics.duplicates import likely_duplicates
from topics.models import Topic

pytestmark = pytest.mark.django_db


def pairs() -> dict[frozenset, str]:
    return {
        frozenset({found.first.name, found.second.name}): found.reason
        for found in likely_duplicates()
    }


@pytest.mark.parametrize(
    ("one", "other", "reason"),
    [
        ("C.P.T.", "CPT", "Same name apart from punctuation and spaces"),
        ("E-commerce", "Ecommerce", "Same name apart from punctuation and spaces"),
        ("Sanction", "Sanctions", "Singular and plural, or possessive"),
        ("Tax", "Taxes", "Singular and plural, or possessive"),
        ("Party", "Parties", "Singular and plural, or possessive"),
        ("Russia", "Russia’s", "Singular and plural, or possessive"),
        ("Київ", "Kyiv", "Cyrillic and Latin spellings"),
        ("Одеса", "Odesa", "Cyrillic and Latin spellings"),
        ("Зеленський", "Zelenskyi", "Cyrillic and Latin spellings"),
        ("Prisoners of war", "Prisoner of war", "Similar spelling"),
        ("Council of Europe", "Council of the Europe", "Similar spelling"),
    ],
)
def test_finds_the_pair_and_says_why(one, other, reason):
    TopicFactory(name=one)
    TopicFactory(name=other)
    TopicFactory(name="Energy")
    assert pairs() == {frozenset({one, other}): reason}


def test_unrelated_topics_are_not_paired():
    for name in ("Energy", "Human rights", "Torture", "Odesa", "Sanctions"):
        TopicFactory(name=name)
    assert pairs() == {}


def test_rejected_topics_are_left_out():
    TopicFactory(name="Sanctions")
    TopicFactory(name="Sanction", status=Topic.Status.REJECTED)
    assert pairs() == {}


def test_pending_proposals_are_paired_with_approved_topics():
    TopicFactory(name="Sanctions")
    TopicFactory(name="sanction", status=Topic.Status.PENDING)
    assert pairs() == {frozenset({"Sanctions", "sanction"}): "Singular and plural, or possessive"}


def test_the_strongest_evidence_is_given_for_a_pair():
    # Also similar in spelling; the plural form is the better reason.
    TopicFactory(name="Prisoner of war")
    TopicFactory(name="Prisoners of war")
    TopicFactory(name="Prisoner of wars")
    assert pairs()[frozenset({"Prisoner of war", "Prisoner of wars"})] == (
        "Singular and plural, or possessive"
    )
