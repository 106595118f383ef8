"""A reader and an editor in a real browser."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.factories import ArticleFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_reader_opens_the_lead_story_from_the_home_page(live_server, page: Page):
    ArticleFactory(
        published=True,
        headline="Russia's exit from anti-torture convention is an admission of guilt",
        source=SourceFactory(name="Ukrinform", slug="ukrinform", attribution="Ukrinform reports"),
        topics=["Council of Europe"],
    )
    page.goto(live_server.url)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()

    page.get_by_role("link", name=re.compile("admission of guilt")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Russia's exit from anti-torture convention is an admission of guilt"
    )
    expect(page.get_by_role("link", name="Ukrinform reports")).to_be_visible()

    page.get_by_role("link", name="Council of Europe", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Council of Europe")


def test_editor_signs_in_to_the_admin_and_finds_the_desk(live_server, page: Page):
    editor = UserFactory(username="editor", groups=["Editors"])
    editor.set_password("editor-demo-pass")
    editor.save()
    ArticleFactory(headline="Draft on grain corridor")
    page.goto(live_server.url + reverse("admin:index"))
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("editor-demo-pass")
    page.get_by_role("button", name="Log in").click()
    page.locator(f"a[href='{reverse('admin:articles_article_changelist')}']").first.click()
    expect(page.get_by_role("link", name="Draft on grain corridor")).to_be_visible()
