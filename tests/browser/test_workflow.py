"""The newsroom's day in a real browser: a reporter writes, an editor publishes, readers see it."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from articles.models import Article
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

HEADLINE = "Grain corridor reopens as first convoy leaves Odesa"


def sign_in(page: Page, live_server, username: str) -> None:
    user = UserFactory(
        username=username, groups=["Reporters" if "reporter" in username else "Editors"]
    )
    user.set_password(f"{username}-pass")
    user.save()
    page.goto(live_server.url + reverse("admin:login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(f"{username}-pass")
    page.get_by_role("button", name="Log in").click()


def test_a_reporter_writes_and_submits_an_editor_publishes_readers_see_it(live_server, page: Page):
    sign_in(page, live_server, "reporter-olena")
    page.goto(live_server.url + reverse("admin:articles_article_add"))
    page.get_by_label("Headline").fill(HEADLINE)
    # The rich-text editor's writing area (ProseMirror, a contenteditable box).
    editor_area = page.get_by_role("textbox").and_(page.locator("[contenteditable=true]")).first
    editor_area.click()
    page.keyboard.type("Three ships left port in the morning, the agency reports.")
    page.keyboard.press("Enter")
    page.keyboard.type("The convoy is escorted by the navy.")
    page.get_by_label("Status:", exact=True).select_option(label="In review")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    article = Article.objects.get(headline=HEADLINE)
    assert article.status == Article.Status.IN_REVIEW
    assert "<p>Three ships left port in the morning, the agency reports.</p>" in article.body

    page.context.clear_cookies()
    sign_in(page, live_server, "editor-taras")
    page.goto(live_server.url + reverse("admin:articles_article_changelist") + "?status=review")
    page.get_by_role("link", name=HEADLINE).click()
    page.get_by_label("Status:", exact=True).select_option(label="Published")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Published")

    page.goto(live_server.url)
    lead = page.get_by_role("link", name=HEADLINE)
    expect(lead).to_be_visible()
    lead.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADLINE)
    expect(page.locator(".story .body")).to_contain_text(
        re.compile("The convoy is escorted by the navy.")
    )
