"""A writer tagging a story in a real browser: the topics field suggests approved topics."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from articles.models import Article
from tests.browser.test_workflow import sign_in
from tests.factories import TopicFactory
from topics.models import Topic

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_writer_types_part_of_a_topic_and_picks_the_suggestion(live_server, page: Page):
    TopicFactory(name="Energy")
    TopicFactory(name="Grain corridor")
    TopicFactory(name="Grain theft", status=Topic.Status.PENDING)
    sign_in(page, live_server, "reporter-olena")
    page.goto(live_server.url + reverse("admin:articles_article_add"))
    page.get_by_label("Headline").fill("Convoy leaves Odesa")

    topics = page.get_by_role("combobox", name="Topics")
    suggestions = page.get_by_role("listbox", name="Suggested topics")
    topics.press_sequentially("Energy, grai")
    expect(suggestions.get_by_role("option")).to_have_text(["Grain corridor"])
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(topics).to_have_value('Energy, "Grain corridor", ')
    expect(suggestions).to_be_hidden()

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    assert set(Article.objects.get().topics.names()) == {"Energy", "Grain corridor"}
