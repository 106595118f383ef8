"""Sections named in each edition's language: navigation, pages, stories, feeds and the admin."""

import json
import re
from xml.etree import ElementTree

import pytest
from django.core.cache import cache, caches
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from articles.models import Section
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav[^>]*aria-label="[^"]*"[^>]*>.*?</nav>', re.S)
LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture
def war():
    return SectionFactory(slug="war", name="War", position=0, names={"uk": "Війна"})


@pytest.fixture
def culture():
    """A section nobody has named in Ukrainian yet."""
    return SectionFactory(slug="culture", name="Culture", position=1)


@pytest.fixture
def stories(war, culture):
    """A story in each edition and section."""
    return {
        ("en", "war"): ArticleFactory(published=True, section=war, headline="Front holds"),
        ("uk", "war"): ArticleFactory(
            published=True, section=war, language="uk", headline="Фронт тримається"
        ),
        ("uk", "culture"): ArticleFactory(
            published=True, section=culture, language="uk", headline="Музей відкрився"
        ),
    }


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def section_links(html: str) -> list[str]:
    """Return the names the page's links to section pages show."""
    return re.findall(r'<a href="[^"]*/sections/[^"/]+/"[^>]*>([^<]+)</a>', html)


# --- The model --------------------------------------------------------------------------


def test_name_in_a_language_falls_back_to_the_default_name(war, culture):
    assert war.name_in("uk") == "Війна"
    assert war.name_in("en") == "War"
    assert culture.name_in("uk") == "Culture"


def test_local_name_is_the_name_in_the_readers_edition(war):
    assert war.local_name == "War"
    with translation.override("uk"):
        assert war.local_name == "Війна"


def test_names_are_trimmed_when_cleaned():
    section = Section(name="Economy", slug="economy", names={"uk": "  Економіка "})
    section.full_clean()
    assert section.names == {"uk": "Економіка"}


@pytest.mark.parametrize(
    "names, code",
    [
        ({"de": "Krieg"}, "invalid_language"),
        ({"en": "Warfare"}, "invalid_language"),  # The default language's name is `name`.
        ({"uk": "   "}, "blank_name"),
        ({"uk": 7}, "blank_name"),
    ],
)
def test_names_in_unknown_languages_or_blank_are_refused(names, code):
    section = Section(name="Economy", slug="economy", names=names)
    with pytest.raises(ValidationError) as raised:
        section.full_clean()
    assert [e.code for e in raised.value.error_dict["names"]] == [code]


def test_a_name_another_section_has_in_that_language_is_refused_whatever_its_case(war):
    section = Section(name="Warfare", slug="warfare", names={"uk": "ВІЙНА"})
    with pytest.raises(ValidationError) as raised:
        section.full_clean()
    assert [e.code for e in raised.value.error_dict["names"]] == ["duplicate_name"]


def test_a_name_another_section_shows_by_default_in_that_language_is_refused(culture):
    section = Section(name="Arts", slug="arts", names={"uk": "culture"})
    with pytest.raises(ValidationError):
        section.full_clean()


def test_a_section_keeps_its_own_names_when_cleaned_again(war):
    war.full_clean()
    assert war.names == {"uk": "Війна"}


# --- What readers see ---------------------------------------------------------------------


def test_the_ukrainian_navigation_names_sections_in_ukrainian_or_by_default(client, stories):
    nav = section_links(page(client, "/uk/"))
    assert "Війна" in nav
    assert "Culture" in nav  # Not named in Ukrainian: its default name.
    assert "War" not in nav


def test_the_english_navigation_keeps_the_english_names(client, stories):
    html = page(client, "/")
    assert "War" in section_links(html)
    assert "Війна" not in html


def test_the_ukrainian_section_page_is_titled_in_ukrainian(client, stories):
    html = page(client, "/uk/sections/war/")
    assert "<title>Війна — " in html
    assert re.search(r"<h1>Війна</h1>", html)


def test_the_english_section_page_is_titled_in_english(client, stories):
    html = page(client, "/sections/war/")
    assert "<title>War — " in html
    assert "Війна" not in html


def test_a_section_page_without_a_ukrainian_name_shows_its_default_name(client, stories):
    assert "<h1>Culture</h1>" in page(client, "/uk/sections/culture/")


def test_a_ukrainian_story_names_its_section_in_ukrainian(client, stories):
    story = stories[("uk", "war")]
    html = page(client, story.get_absolute_url())
    assert '<meta property="article:section" content="Війна">' in html
    kicker = re.search(r'<p class="kicker"><a [^>]*>([^<]+)</a></p>', html)
    assert kicker.group(1) == "Війна"
    data = [json.loads(block) for block in LD_JSON.findall(html)]
    assert any(item.get("articleSection") == "Війна" for item in data)


def test_an_english_story_names_its_section_in_english(client, stories):
    html = page(client, stories[("en", "war")].get_absolute_url())
    assert '<meta property="article:section" content="War">' in html
    assert "Війна" not in html


def test_ukrainian_cards_name_the_section_in_ukrainian(client, stories):
    html = page(client, "/uk/")
    assert "War<" not in html
    assert "Війна" in re.findall(r'<p class="kicker"><a [^>]*>([^<]+)</a></p>', html)


def test_the_ukrainian_section_feed_is_titled_in_ukrainian(client, stories):
    channel = ElementTree.fromstring(page(client, "/uk/sections/war/feed/")).find("channel")
    assert channel.findtext("title").startswith("Війна — ")
    assert "Війна" in channel.findtext("description")
    english = ElementTree.fromstring(page(client, "/sections/war/feed/")).find("channel")
    assert english.findtext("title").startswith("War — ")


def test_the_ukrainian_search_offers_and_names_sections_in_ukrainian(client, stories):
    html = page(client, "/uk/search/?section=war")
    assert '<option value="war" selected>Війна</option>' in html


# --- No query more ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/", "/sections/war/", "/sections/culture/", "/search/?section=war"]
)
def test_a_ukrainian_page_asks_no_more_queries_than_its_english_one(client, stories, path):
    # The same stories in each edition: one per section.
    ArticleFactory(published=True, section=stories[("uk", "culture")].section, headline="Museum")

    def queries(address: str) -> int:
        # Cold, as after a change: neither the navigation nor the cards are kept.
        cache.clear()
        caches["fragments"].clear()
        with CaptureQueriesContext(connection) as captured:
            page(client, address)
        return len(captured)

    assert queries("/uk" + path) == queries(path)


def test_a_ukrainian_story_page_asks_no_more_queries_than_an_english_one(client, stories):
    def queries(address: str) -> int:
        cache.clear()
        caches["fragments"].clear()
        with CaptureQueriesContext(connection) as captured:
            page(client, address)
        return len(captured)

    english = queries(stories[("en", "war")].get_absolute_url())
    assert queries(stories[("uk", "war")].get_absolute_url()) == english


# --- The admin ----------------------------------------------------------------------------


def change_form_data(section: Section, **changes) -> dict:
    return {
        "name": section.name,
        "slug": section.slug,
        "description": section.description,
        "position": section.position,
        "name_uk": section.names.get("uk", ""),
        **changes,
    }


def test_the_admin_form_has_a_field_for_the_ukrainian_name(client, superuser, war):
    client.force_login(superuser)
    html = page(client, reverse("admin:articles_section_change", args=[war.pk]))
    assert 'name="name_uk"' in html
    assert 'value="Війна"' in html
    assert "Name in Українська" in html
    assert 'name="names"' not in html


def test_the_admin_lists_the_names_in_other_languages(client, superuser, war):
    client.force_login(superuser)
    html = page(client, reverse("admin:articles_section_changelist"))
    assert "Name in Українська" in html
    assert "Війна" in html


def test_the_admin_saves_the_ukrainian_name(client, superuser, culture):
    client.force_login(superuser)
    url = reverse("admin:articles_section_change", args=[culture.pk])
    response = client.post(url, change_form_data(culture, name_uk=" Культура "))
    assert response.status_code == 302
    culture.refresh_from_db()
    assert culture.names == {"uk": "Культура"}


def test_the_admin_clears_a_ukrainian_name_left_blank(client, superuser, war):
    client.force_login(superuser)
    url = reverse("admin:articles_section_change", args=[war.pk])
    assert client.post(url, change_form_data(war, name_uk="  ")).status_code == 302
    war.refresh_from_db()
    assert war.names == {}
    assert war.name_in("uk") == "War"


def test_the_admin_adds_a_section_with_its_ukrainian_name(client, superuser):
    client.force_login(superuser)
    data = {"name": "Economy", "slug": "economy", "position": 2, "name_uk": "Економіка"}
    assert client.post(reverse("admin:articles_section_add"), data).status_code == 302
    assert Section.objects.get(slug="economy").names == {"uk": "Економіка"}


def test_the_admin_refuses_a_duplicate_ukrainian_name_and_saves_nothing(
    client, superuser, war, culture
):
    client.force_login(superuser)
    url = reverse("admin:articles_section_change", args=[culture.pk])
    response = client.post(url, change_form_data(culture, name="Arts", name_uk="війна"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["name_uk"]
    assert "“War”" in errors["name_uk"][0]
    culture.refresh_from_db()
    assert (culture.name, culture.names) == ("Culture", {})


def test_the_demo_names_each_of_its_sections_in_ukrainian():
    from newsroom import demo

    assert {section.slug for section in demo.SECTIONS} == set(demo.SECTION_NAMES)
    assert all(names.get("uk") for names in demo.SECTION_NAMES.values())
