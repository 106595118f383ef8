"""The story's writing screen in a real browser, on a phone and on a desktop screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page, expect

from articles.models import Article
from tests.browser.test_csp import RECORD_VIOLATIONS
from tests.browser.test_workflow import sign_in
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
LONG_HEADLINE = (
    "Grain corridor reopens as the first convoy of the season leaves Odesa under naval "
    "escort, while insurers weigh the risk of mines drifting into the shipping lanes"
)


@pytest.fixture
def story() -> Article:
    # The factory's body, "The meeting opened in the morning.", is six words.
    return ArticleFactory(headline=LONG_HEADLINE, topics=["Energy"])


def open_form(page: Page, live_server, path: str, viewport: dict) -> None:
    """Open a story form as an editor, once its editor and autocompletes are ready."""
    page.set_viewport_size(viewport)
    sign_in(page, live_server, "editor-taras")
    page.goto(live_server.url + path)
    expect(page.locator(".word-count")).to_be_visible()
    expect(page.locator("#select2-id_section-container")).to_have_attribute(
        "aria-labelledby", "id_section_label select2-id_section-container"
    )


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def serious_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def box(page: Page, selector: str) -> dict:
    found = page.locator(selector).first.bounding_box()
    assert found, f"{selector} is not shown"
    return found


def overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
@pytest.mark.parametrize("form", ["add", "change"])
def test_the_story_form_has_no_serious_accessibility_violations(
    live_server, page: Page, story, form, viewport
):
    path = reverse(f"admin:articles_article_{form}", args=[story.pk] if form == "change" else [])
    open_form(page, live_server, path, viewport)
    screenshot(page, f"writing-screen-{form}-{viewport['width']}")
    assert serious_violations(page) == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_the_story_list_has_no_serious_accessibility_violations(
    live_server, page: Page, story, viewport
):
    page.set_viewport_size(viewport)
    sign_in(page, live_server, "editor-taras")
    page.goto(live_server.url + reverse("admin:articles_article_changelist") + "?q=grain")
    expect(page.locator("#result_list")).to_contain_text("Grain corridor reopens")
    assert serious_violations(page) == []


def test_on_a_wide_screen_the_headline_is_wide_and_the_side_column_beside_the_story(
    live_server, page: Page, story
):
    open_form(page, live_server, reverse("admin:articles_article_change", args=[story.pk]), DESKTOP)
    headline = box(page, "#id_headline")
    main, side = box(page, ".writing-column-main"), box(page, ".writing-column-side")
    assert headline["width"] >= 600
    assert side["x"] >= main["x"] + main["width"]
    assert abs(side["y"] - main["y"]) < 5
    assert not overlap(box(page, ".object-tools"), box(page, "#content > h2"))
    assert not overlap(box(page, ".object-tools"), headline)


def test_on_a_phone_the_side_column_is_below_the_story_and_nothing_overlaps(
    live_server, page: Page, story
):
    open_form(page, live_server, reverse("admin:articles_article_change", args=[story.pk]), PHONE)
    main, side = box(page, ".writing-column-main"), box(page, ".writing-column-side")
    assert side["y"] >= main["y"] + main["height"]
    assert not overlap(box(page, ".object-tools"), box(page, "#content > h2"))
    assert box(page, "#id_headline")["x"] + box(page, "#id_headline")["width"] <= PHONE["width"]
    assert box(page, ".prose-editor")["x"] + box(page, ".prose-editor")["width"] <= PHONE["width"]


def test_typing_in_the_body_updates_its_word_count(live_server, page: Page, story):
    open_form(page, live_server, reverse("admin:articles_article_change", args=[story.pk]), DESKTOP)
    count = page.locator("#id_body_wordcount")
    expect(count).to_have_text("6 words")
    page.get_by_role("textbox", name="Body").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" Three ships left port — well-escorted.")
    # A dash is no word; a hyphenated word is one.
    expect(count).to_have_text("11 words")


def test_ctrl_s_saves_the_story_and_keeps_it_open_without_breaking_the_policy(
    live_server, page: Page, story
):
    found: list[dict] = []

    def record(violation: dict) -> None:
        found.append(violation)

    page.expose_function("cspViolation", record)
    page.add_init_script(RECORD_VIOLATIONS)
    change_url = live_server.url + reverse("admin:articles_article_change", args=[story.pk])
    open_form(page, live_server, change_url.removeprefix(live_server.url), DESKTOP)

    page.get_by_role("textbox", name="Body").click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("The navy escorts the convoy.")
    page.keyboard.press("Control+s")

    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert page.url == change_url
    stored = Article.objects.get(pk=story.pk)
    # What was typed is saved; where the caret landed in the body is the editor's business.
    assert "The navy escorts the convoy." in stored.body
    assert stored.version == story.version + 1
    expect(page.get_by_role("textbox", name="Body")).to_contain_text("The navy escorts the convoy.")
    page.wait_for_load_state("networkidle")
    assert found == []
