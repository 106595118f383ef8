"""What the home page and the story lists tell search engines and social sites."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

from articles.structured_data import LOGO_HEIGHT, LOGO_PATH, LOGO_WIDTH
from tests.factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


def json_ld(content: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


def meta(content: str, attribute: str, name: str) -> str:
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', content)
    assert match, f"no <meta {attribute}={name!r}>"
    return match.group(1)


@pytest.fixture
def stories():
    author = UserFactory(first_name="Olena", last_name="Kovalenko")
    section = SectionFactory(name="Economy")
    return [
        ArticleFactory(published=True, section=section, authors=[author], topics=["Grain"])
        for _ in range(3)
    ]


def list_pages(story) -> dict[str, str]:
    return {
        "home": reverse("articles:home"),
        "section": story.section.get_absolute_url(),
        "topic": story.topics.get().get_absolute_url(),
        "source": story.source.get_absolute_url(),
        "author": reverse("articles:author", kwargs={"pk": story.authors.get().pk}),
        "search": reverse("articles:search") + "?q=council",
    }


@pytest.mark.parametrize("page", ["home", "section", "topic", "source", "author", "search"])
def test_every_list_page_has_a_description_and_open_graph_tags(client, stories, page):
    content = client.get(list_pages(stories[0])[page]).content.decode()

    description = meta(content, "name", "description")
    assert description
    assert meta(content, "property", "og:description") == description
    assert meta(content, "property", "og:type") == "website"
    assert meta(content, "property", "og:site_name") == "Newsroom"
    assert meta(content, "property", "og:image").endswith("/static/logo.png")


def test_list_pages_have_descriptions_of_their_own(client, stories):
    descriptions = {
        meta(client.get(url).content.decode(), "name", "description")
        for url in list_pages(stories[0]).values()
    }

    assert len(descriptions) == 6


def test_section_page_lists_its_stories_newest_first_as_a_collection(client, stories):
    data = json_ld(client.get(stories[0].section.get_absolute_url()).content.decode())

    assert data["@type"] == "CollectionPage"
    assert data["name"] == "Economy"
    assert data["url"].endswith(stories[0].section.get_absolute_url())
    items = data["mainEntity"]["itemListElement"]
    assert [item["name"] for item in items] == [s.headline for s in reversed(stories)]
    assert [item["position"] for item in items] == [1, 2, 3]
    assert data["mainEntity"]["numberOfItems"] == 3


def test_home_page_lists_each_story_once(client, stories):
    data = json_ld(client.get(reverse("articles:home")).content.decode())

    names = [item["name"] for item in data["mainEntity"]["itemListElement"]]
    assert sorted(names) == sorted(s.headline for s in stories)


def test_search_results_are_a_search_results_page(client, stories):
    content = client.get(reverse("articles:search") + "?q=council").content.decode()

    assert json_ld(content)["@type"] == "SearchResultsPage"


def test_publisher_has_a_png_logo_google_accepts(client, stories):
    data = json_ld(client.get(reverse("articles:home")).content.decode())

    logo = data["publisher"]["logo"]
    assert logo["@type"] == "ImageObject"
    assert logo["url"].endswith("/static/logo.png")
    with Image.open(finders.find(LOGO_PATH)) as image:
        assert image.format == "PNG"
        assert image.size == (logo["width"], logo["height"]) == (LOGO_WIDTH, LOGO_HEIGHT)
        assert min(image.size) >= 112


def test_story_publisher_has_the_logo_too(client, stories):
    data = json_ld(client.get(stories[0].get_absolute_url()).content.decode())

    assert data["publisher"]["logo"]["url"].endswith("/static/logo.png")


def test_a_long_subject_description_is_cut_for_the_meta_tag(client):
    story = ArticleFactory(published=True, section=SectionFactory(description="Long. " * 80))

    content = client.get(story.section.get_absolute_url()).content.decode()

    description = meta(content, "name", "description")
    assert len(description) <= 200
    assert description.endswith("…")


def test_a_story_without_a_photo_is_shared_with_the_logo(client, stories):
    content = client.get(stories[0].get_absolute_url()).content.decode()

    assert meta(content, "property", "og:image").endswith("/static/logo.png")
    assert meta(content, "name", "twitter:card") == "summary"
