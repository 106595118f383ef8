"""Accessibility of the reader's pages, checked in a real browser with axe-core."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from articles.models import Correction
from tests.factories import ArticleFactory, SourceFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def site():
    topic = TopicFactory(name="Council of Europe")
    author = UserFactory(first_name="Olena", last_name="Kovalenko")
    source = SourceFactory(name="Ukrinform", slug="ukrinform", attribution="Ukrinform reports")
    article = ArticleFactory(
        published=True,
        headline="Russia's exit from anti-torture convention is an admission of guilt",
        body="<p>Text with a <a href='https://www.coe.int/'>link</a>.</p>"
        "<blockquote><p>“A quotation.”</p></blockquote>",
        source=source,
        topics=[topic, "Human rights"],
        authors=[author],
    )
    ArticleFactory(published=True, topics=[topic], section=article.section)
    Correction.objects.create(article=article, note="An earlier version misdated the decision.")
    ukrainian = ArticleFactory(
        published=True,
        language="uk",
        translation_of=article,
        headline="Вихід Росії з конвенції проти катувань — це визнання провини",
        body="<p>Текст із <a href='https://www.coe.int/'>посиланням</a>.</p>",
        source=source,
        section=article.section,
        authors=[author],
    )
    return {
        "home uk": "/uk/",
        "article uk": ukrainian.get_absolute_url(),
        "search uk": "/uk/search/?q=конвенція",
        "home": "/",
        "article": article.get_absolute_url(),
        "topic": topic.get_absolute_url(),
        "source": source.get_absolute_url(),
        "section": article.section.get_absolute_url(),
        "author": f"/authors/{author.pk}/",
        "not found": "/no/such/page/",
        "search": "/search/?q=convention",
        "search errors": "/search/?q=x&date_from=2026-02-30",
    }


def serious_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize(
    "name",
    [
        "home",
        "article",
        "topic",
        "source",
        "section",
        "author",
        "not found",
        "search",
        "search errors",
        "home uk",
        "article uk",
        "search uk",
    ],
)
def test_page_has_no_serious_accessibility_violations(live_server, page: Page, site, name):
    page.goto(live_server.url + site[name])
    assert serious_violations(page) == []
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("main")).to_have_count(1)
    assert page.locator("html").get_attribute("lang") == ("uk" if name.endswith(" uk") else "en")


@pytest.mark.parametrize("name", ["home", "article", "search"])
def test_page_reads_on_a_phone_without_sideways_scrolling(live_server, page: Page, site, name):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + site[name])
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert serious_violations(page) == []


def test_keyboard_focus_is_visible(live_server, page: Page, site):
    page.goto(live_server.url + site["article"])
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Skip link: focus moves to the content.
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
