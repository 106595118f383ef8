"""The front page: lead story, pins with an end time, the latest stories, section blocks."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article, Pin
from articles.views import HomeView
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def story(hours_ago: float, **kwargs) -> Article:
    return ArticleFactory(
        status=Article.Status.PUBLISHED,
        publish_at=timezone.now() - timedelta(hours=hours_ago),
        **kwargs,
    )


def pin(article, section=None, position=0, hours=6) -> Pin:
    return Pin.objects.create(
        article=article,
        section=section,
        position=position,
        ends_at=timezone.now() + timedelta(hours=hours),
    )


def test_without_a_pick_the_newest_story_leads(client):
    story(3, headline="Older")
    newest = story(1, headline="Newest")
    assert client.get("/").context["lead"] == newest


def test_the_first_pinned_story_leads_and_the_others_are_top_stories(client):
    older = story(10)
    second = story(5)
    story(1)
    pin(second, position=1)
    pin(older, position=0)
    context = client.get("/").context
    assert context["lead"] == older
    assert context["top_stories"] == [second]


def test_pinned_stories_are_not_repeated_in_the_latest_list(client):
    pinned = story(1)
    other = story(2)
    pin(pinned)
    context = client.get("/").context
    assert context["lead"] == pinned
    assert context["articles"] == [other]


def test_a_pin_ends_at_its_end_time(client):
    old = story(10, headline="Old news")
    story(1, headline="Fresh news")
    pin(old, hours=1)
    assert client.get("/").context["lead"] == old
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        assert client.get("/").context["lead"].headline == "Fresh news"


def test_a_pin_ends_at_its_end_time_without_a_save(client):
    old = story(10, headline="Old news")
    story(1, headline="Fresh news")
    Pin.objects.create(article=old, ends_at=timezone.now() + timedelta(seconds=10))
    assert client.get("/").context["lead"] == old
    with time_machine.travel(timezone.now() + timedelta(seconds=11)):
        assert client.get("/").context["lead"].headline == "Fresh news"


def test_a_warm_home_page_asks_for_its_pinned_stories_only_when_there_are_some(
    client, django_assert_num_queries
):
    pinned = story(10, headline="Pinned")
    story(1)
    client.get("/")
    # pins, latest, section blocks, bylines, topics (the navigation is in the cache)
    with django_assert_num_queries(5):
        client.get("/")
    pin(pinned)
    client.get("/")
    with django_assert_num_queries(6):  # and the pinned stories
        assert client.get("/").context["lead"] == pinned


def test_pinning_never_shows_an_unpublished_story(client):
    draft = ArticleFactory(headline="Pinned draft")
    scheduled = ArticleFactory(
        status=Article.Status.PUBLISHED, publish_at=timezone.now() + timedelta(hours=2)
    )
    pin(draft)
    pin(scheduled, position=1)
    public = story(1)
    response = client.get("/")
    assert response.context["lead"] == public
    assert response.context["top_stories"] == []
    assert "Pinned draft" not in response.content.decode()


def test_a_story_pinned_to_home_and_to_its_section_shows_once_on_each(client):
    section = SectionFactory()
    article = story(1, section=section)
    pin(article)
    pin(article, section=section)
    home = client.get("/").content.decode()
    assert home.count(f'href="{article.get_absolute_url()}"') == 1
    page = client.get(section.get_absolute_url())
    assert page.context["pinned"] == [article]
    assert page.context["articles"] == []


def test_section_page_shows_its_pins_first(client):
    section = SectionFactory()
    pinned = story(20, section=section)
    newer = story(1, section=section)
    pin(pinned, section=section)
    context = client.get(section.get_absolute_url()).context
    assert context["pinned"] == [pinned]
    assert context["articles"] == [newer]


def test_a_home_pin_does_not_pin_to_the_section_page(client):
    section = SectionFactory()
    pinned = story(20, section=section)
    newer = story(1, section=section)
    pin(pinned)
    context = client.get(section.get_absolute_url()).context
    assert context["pinned"] == []
    assert context["articles"] == [newer, pinned]


def test_section_blocks_show_the_newest_stories_not_already_on_the_page(client, monkeypatch):
    monkeypatch.setattr(HomeView, "paginate_by", 2)
    economy, culture = SectionFactory(name="Economy"), SectionFactory(name="Culture")
    stories = [story(hours, section=economy) for hours in (1, 2, 3, 4, 5, 6)]
    museum = story(30, section=culture)
    context = client.get("/").context
    shown = [context["lead"], *context["articles"]]
    assert shown == stories[:2]
    blocks = dict(context["section_blocks"])
    assert blocks[economy] == stories[2:5]
    assert blocks[culture] == [museum]


def test_a_section_without_public_stories_has_no_block(client):
    empty = SectionFactory(name="Empty")
    ArticleFactory(section=empty)
    story(1)
    assert empty not in dict(client.get("/").context["section_blocks"])


def test_later_pages_have_no_lead_pins_or_blocks(client):
    for hours in range(25):
        story(hours + 1)
    context = client.get("/?page=2").context
    assert "lead" not in context
    assert "section_blocks" not in context
    assert len(context["articles"]) == 5


def test_only_the_lead_story_is_styled_as_the_lead(client):
    for hours in range(5):
        story(hours + 1)
    assert client.get("/").content.decode().count("card--lead") == 1


def test_section_blocks_with_nothing_to_leave_out_show_each_section_s_newest():
    economy, culture = SectionFactory(name="Economy"), SectionFactory(name="Culture")
    newest = [story(hours, section=economy) for hours in (1, 2, 3, 4)]
    museum = story(5, section=culture)
    ArticleFactory(section=culture)  # a draft: never in a block
    found = Article.objects.published().latest_in_sections([economy.pk, culture.pk], 3)
    assert sorted(a.pk for a in found) == sorted(a.pk for a in [*newest[:3], museum])
    assert list(Article.objects.published().latest_in_sections([], 3)) == []
    left_out = Article.objects.published().latest_in_sections(
        [economy.pk, culture.pk], 3, exclude=[newest[0].pk]
    )
    assert sorted(a.pk for a in left_out) == sorted(a.pk for a in [*newest[1:], museum])
