"""The API in several languages: each story's own language, and links to its translations."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article
from tests.api.test_api import LIST, SCHEMAS, ids, story
from tests.factories import (
    ArticleFactory,
    ImageFactory,
    SectionFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def translated(original: Article, language: str = "uk", **kwargs) -> Article:
    """Return a published translation of `original`, made from its current text."""
    return story(
        language=language,
        translation_of=original,
        translated_from_revision=original.text_revision,
        **kwargs,
    )


def translations(item: dict) -> list[dict]:
    return [a for a in item.get("associations", []) if a["rel"] == "translation"]


def test_an_item_carries_the_story_language_not_the_source_one(client):
    article = story(language="uk", source=SourceFactory(language="en"))
    assert client.get(f"{LIST}{article.pk}").json()["language"] == "uk"


def test_a_story_without_a_source_is_in_its_own_language(client):
    article = story(language="uk", source=None)
    assert client.get(LIST).json()["items"][0]["language"] == "uk"
    assert client.get(f"{LIST}{article.pk}").json()["language"] == "uk"


def test_an_item_names_its_topics_and_links_its_pages_in_its_language(client):
    russia, energy = TopicFactory(name="Russia"), TopicFactory(name="Energy")
    russia.set_name("uk", "Росія")
    section = SectionFactory(slug="war")
    author = UserFactory()
    article = story(language="uk", topics=[russia, energy], section=section, authors=[author])
    item = client.get(f"{LIST}{article.pk}").json()
    site = "http://127.0.0.1:8000"
    about = {s["name"]: s["uri"] for s in item["subjects"] if s["rel"] == "about"}
    # A topic without a Ukrainian name goes by its own, on the Ukrainian edition's page.
    with translation.override("uk"):
        assert about == {
            "Росія": site + reverse("articles:topic", kwargs={"slug": russia.slug_in("uk")}),
            "Energy": site + reverse("articles:topic", kwargs={"slug": "energy"}),
        }
        assert item["people"][0]["uri"] == site + reverse(
            "articles:author", kwargs={"pk": author.pk}
        )
    assert item["people"][0]["uri"].startswith(f"{site}/uk/")
    [section_subject] = [s for s in item["subjects"] if s["rel"] == "section"]
    assert section_subject["uri"] == f"{site}/uk/sections/war/"


def test_an_english_item_keeps_the_default_names_and_pages(client):
    russia = TopicFactory(name="Russia")
    russia.set_name("uk", "Росія")
    article = story(topics=[russia])
    [about] = [
        s for s in client.get(f"{LIST}{article.pk}").json()["subjects"] if s["rel"] == "about"
    ]
    assert about == {
        "name": "Russia",
        "uri": "http://127.0.0.1:8000/topics/russia/",
        "rel": "about",
    }


def test_the_language_filter_reads_the_story_language(client):
    ukrainian = story(language="uk", source=SourceFactory(language="en"))
    english = story(language="en", source=SourceFactory(language="uk"))
    assert ids(client.get(LIST, {"language": "uk"})) == [str(ukrainian.pk)]
    assert ids(client.get(LIST, {"language": "en"})) == [str(english.pk)]


def test_the_language_filter_understands_a_regional_tag(client):
    ukrainian = story(language="uk")
    story(language="en")
    assert ids(client.get(LIST, {"language": "uk-UA"})) == [str(ukrainian.pk)]


def test_a_language_the_site_has_no_edition_in_is_a_clear_400(client):
    response = client.get(LIST, {"language": "de"})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("language: stories are in en, uk")


def test_an_original_links_its_published_translation(client):
    original = story(headline="Russia leaves the anti-torture convention")
    ukrainian = translated(original, headline="Росія виходить з конвенції проти катувань")
    [link] = translations(client.get(f"{LIST}{original.pk}").json())
    assert link == {
        "name": "Росія виходить з конвенції проти катувань",
        "rel": "translation",
        "uri": f"http://127.0.0.1:8000{ukrainian.get_absolute_url()}",
        "type": "text",
        "representationType": "partial",
        "language": "uk",
        "altIds": [{"role": "internal", "value": str(ukrainian.pk)}],
    }


def test_translation_links_are_reciprocal(client):
    original = story()
    ukrainian = translated(original)
    [back] = translations(client.get(f"{LIST}{ukrainian.pk}").json())
    assert (back["language"], back["altIds"][0]["value"]) == ("en", str(original.pk))
    assert back["uri"] == f"http://127.0.0.1:8000{original.get_absolute_url()}"


def test_translations_of_the_same_story_link_one_another(client, settings):
    settings.LANGUAGES = [("en", "English"), ("uk", "Українська"), ("pl", "Polski")]
    original = story()
    ukrainian = translated(original, "uk")
    polish = translated(original, "pl")
    linked = {
        item["altIds"][0]["value"]: {link["altIds"][0]["value"] for link in translations(item)}
        for item in client.get(LIST).json()["items"]
    }
    assert linked == {
        str(original.pk): {str(ukrainian.pk), str(polish.pk)},
        str(ukrainian.pk): {str(original.pk), str(polish.pk)},
        str(polish.pk): {str(original.pk), str(ukrainian.pk)},
    }


@pytest.mark.parametrize("state", range(6))
def test_an_unpublished_translation_is_never_linked(client, state):
    original = story()
    now = timezone.now()
    hidden = [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.IN_REVIEW},
        {"status": Article.Status.PUBLISHED, "publish_at": now + timedelta(hours=1)},
        {"status": Article.Status.UNPUBLISHED, "publish_at": now - timedelta(days=1)},
        {"status": Article.Status.CHANGES_REQUESTED},
        {"status": Article.Status.DELETED, "publish_at": now - timedelta(days=1)},
    ][state]
    ArticleFactory(language="uk", translation_of=original, **hidden)
    assert translations(client.get(f"{LIST}{original.pk}").json()) == []
    assert translations(client.get(LIST).json()["items"][0]) == []


def test_an_unpublished_original_is_not_linked_from_its_translations(client, settings):
    settings.LANGUAGES = [("en", "English"), ("uk", "Українська"), ("pl", "Polski")]
    original = ArticleFactory(status=Article.Status.UNPUBLISHED, publish_at=timezone.now())
    ukrainian = translated(original, "uk")
    polish = translated(original, "pl")
    [link] = translations(client.get(f"{LIST}{ukrainian.pk}").json())
    assert link["altIds"][0]["value"] == str(polish.pk)


def test_a_story_without_translations_links_none(client):
    story()
    story(language="uk")
    for item in client.get(LIST).json()["items"]:
        assert "associations" not in item


def test_a_translated_story_keeps_its_lead_photo_first(client):
    original = story(lead_image=ImageFactory())
    translated(original)
    rels = [a["rel"] for a in client.get(f"{LIST}{original.pk}").json()["associations"]]
    assert rels == ["lead-image", "translation"]


def test_an_answer_names_the_editions_it_links_for_the_front_cache(client):
    original = story()
    ukrainian = translated(original)
    for url in (f"{LIST}{original.pk}", LIST):
        keys = set(client.get(url)["Surrogate-Key"].split())
        assert {f"story-{original.pk}", f"story-{ukrainian.pk}"} <= keys


def test_translation_links_cost_no_query_per_story(client, django_assert_num_queries):
    energy = TopicFactory(name="Energy")
    energy.set_name("uk", "Енергетика")
    for _ in range(10):
        original = story(topics=[energy], authors=[UserFactory()], lead_image=ImageFactory())
        translated(original, topics=[energy, "Grid"], authors=[UserFactory()])
    # stories with source, section, lead photo and translations; bylines; topics with names
    with django_assert_num_queries(3):
        response = client.get(LIST)
    assert all(translations(item) for item in response.json()["items"])


@pytest.mark.skipif(not SCHEMAS.exists(), reason="../shared/schemas is not present")
def test_items_with_languages_and_translations_validate_against_ninjs(client):
    import jsonschema

    schema = json.loads((SCHEMAS / "ninjs-schema_3.1.json").read_text())
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    original = story(lead_image=ImageFactory())
    translated(original, lead_image=ImageFactory())
    translated(story(source=None), headline="Заголовок з «лапками» та апострофом ’")
    story(language="uk")
    items = client.get(LIST).json()["items"]
    assert sum(bool(translations(item)) for item in items) == 4
    for item in items:
        assert [e.message for e in validator.iter_errors(item)] == []


def test_the_openapi_document_describes_languages_and_translations(client):
    document = client.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    assert {"name", "rel", "uri", "language", "altIds"} <= set(schemas["Translation"]["properties"])
    assert "translation" in schemas["NewsItem"]["properties"]["associations"]["description"]
    [language] = [
        p for p in document["paths"]["/api/v1/articles/"]["get"]["parameters"]
        if p["name"] == "language"
    ]  # fmt: skip
    assert "en, uk" in language["description"]
