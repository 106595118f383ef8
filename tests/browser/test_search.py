"""A reader searching from the site header."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_reader_searches_from_the_header_and_opens_a_result(live_server, page: Page):
    ArticleFactory(
        published=True,
        headline="Russia denounces the European anti-torture convention",
        body="<p>The convention lets the committee inspect prisons.</p>",
    )
    ArticleFactory(published=True, headline="Grain corridor reopens")
    page.goto(live_server.url)
    page.get_by_role("searchbox", name="Search stories").fill("prisons")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.get_by_label("Search for")).to_have_value("prisons")
    results = page.locator("article.result")
    expect(results).to_have_count(1)
    expect(results.locator("mark")).to_have_text("prisons")

    page.get_by_role("link", name=re.compile("anti-torture convention")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Russia denounces the European anti-torture convention"
    )
