"""Stories taken from the wire are in the language of the feed or source that filed them."""

from io import StringIO

import pytest
from django.core.management import call_command

from sources.models import SourceFeed
from tests.factories import SourceFactory, UserFactory
from wire.models import WireItem

pytestmark = pytest.mark.django_db

UKRAINIAN_RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>Укрінформ</title>
    <link>https://www.ukrinform.ua/</link>
    <description>Останні новини</description>
    <language>uk</language>
    <item>
      <title>З портів Одещини вийшли три судна із зерном</title>
      <link>https://www.ukrinform.ua/rubric-economy/2001-zerno.html</link>
      <guid isPermaLink="false">ukrinform-ua-2001</guid>
      <pubDate>Tue, 24 Nov 2026 09:30:00 +0200</pubDate>
      <description>Судна вийшли з портів уранці.</description>
    </item>
  </channel>
</rss>
"""


def test_a_ukrainian_feed_item_becomes_a_ukrainian_story(feed_server):
    source = SourceFactory(name="Укрінформ", slug="ukrinform-ua", language="uk")
    SourceFeed.objects.create(source=source, url=feed_server.serve("/rss", UKRAINIAN_RSS))
    call_command("ingest_feeds", stdout=StringIO(), stderr=StringIO())
    item = WireItem.objects.get(guid="ukrinform-ua-2001")
    article = item.take(UserFactory(groups=["Reporters"]))
    assert article.language == "uk"
    assert article.headline == "З портів Одещини вийшли три судна із зерном"


@pytest.mark.parametrize(
    ("source_language", "story_language"),
    [("uk-UA", "uk"), ("UK", "uk"), ("en-GB", "en"), ("de", "en"), ("", "en")],
)
def test_a_taken_story_is_in_its_source_language_if_the_site_has_it(
    source_language, story_language
):
    source = SourceFactory(language=source_language)
    item = WireItem.objects.create(source=source, guid="guid-1", headline="Grain ships leave")
    assert item.take(UserFactory(groups=["Reporters"])).language == story_language


def test_a_feeds_own_language_wins_over_its_sources(feed_server):
    # An agency filing in English with a Ukrainian wire beside it.
    source = SourceFactory(name="Ukrinform", slug="ukrinform", language="en")
    feed = SourceFeed.objects.create(
        source=source, url=feed_server.serve("/rss", UKRAINIAN_RSS), language="uk-UA"
    )
    call_command("ingest_feeds", stdout=StringIO(), stderr=StringIO())
    item = WireItem.objects.get(guid="ukrinform-ua-2001")
    assert item.feed == feed
    assert item.take(UserFactory(groups=["Reporters"])).language == "uk"
