"""RSS 2.0 and Atom feeds: their shape, what they list, what they hide, and what they cost."""

from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from xml.etree import ElementTree

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    ImageFactory,
    SectionFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
    hidden_articles,
)

pytestmark = pytest.mark.django_db

SITE_URL = "http://127.0.0.1:8000"
ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
FEEDS = [
    "feed",
    "feed_atom",
    "topic_feed",
    "topic_feed_atom",
    "source_feed",
    "source_feed_atom",
    "section_feed",
    "section_feed_atom",
]


def feed_url(name: str, story: Article) -> str:
    """Return the URL of feed `name` for the topic, source or section of `story`."""
    kind = name.split("_")[0]
    subject = {"topic": story.topics.first(), "source": story.source, "section": story.section}
    kwargs = {"slug": subject[kind].slug} if kind in subject else {}
    return reverse(f"articles:{name}", kwargs=kwargs)


def get_feed(client, url: str, **extra) -> ElementTree.Element:
    response = client.get(url, **extra)
    assert response.status_code == 200
    return ElementTree.fromstring(response.content)


def titles(feed: ElementTree.Element) -> list[str]:
    if feed.tag == "rss":
        return [item.findtext("title") for item in feed.iter("item")]
    return [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]


def links(feed: ElementTree.Element) -> list[str]:
    """Return every address in a feed: links, self links, GUIDs and ids."""
    text = [e.text for e in feed.iter() if e.tag in {"link", "guid", f"{ATOM}id"}]
    hrefs = [e.get("href") for e in feed.iter() if e.get("href")]
    return text + hrefs


def story_with_byline(**kwargs) -> Article:
    return ArticleFactory(
        published=True,
        headline="Council of Europe responds to denunciation",
        standfirst="The convention stays in force for six more months.",
        authors=[
            UserFactory(first_name="Olena", last_name="Kovalenko"),
            UserFactory(first_name="Ivan", last_name="Petrenko"),
        ],
        topics=["Torture", "Human rights"],
        **kwargs,
    )


# --- RSS 2.0 ----------------------------------------------------------------------------


def test_latest_stories_feed_is_rss_2_describing_the_site(client):
    response = client.get("/feed/")
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    rss = ElementTree.fromstring(response.content)
    channel = rss.find("channel")
    assert rss.get("version") == "2.0"
    assert channel.findtext("title") == "Newsroom: latest stories"
    assert channel.findtext("link") == f"{SITE_URL}/"
    assert channel.findtext("description") == "The latest stories published by Newsroom."
    assert channel.findtext("language") == "en"
    assert channel.find(f"{ATOM}link").attrib == {"rel": "self", "href": f"{SITE_URL}/feed/"}


def test_rss_item_carries_the_story(client):
    story = story_with_byline()
    item = get_feed(client, "/feed/").find("channel/item")
    assert item.findtext("title") == "Council of Europe responds to denunciation"
    assert item.findtext("link") == SITE_URL + story.get_absolute_url()
    assert item.findtext("description") == "The convention stays in force for six more months."
    assert item.findtext(f"{DC}creator") == "Olena Kovalenko and Ivan Petrenko"
    assert parsedate_to_datetime(item.findtext("pubDate")) == story.publish_at.replace(
        microsecond=0
    )
    assert sorted(c.text for c in item.findall("category")) == ["Human rights", "Torture"]


def test_rss_guid_is_the_story_permalink(client):
    story = ArticleFactory(published=True)
    guid = get_feed(client, "/feed/").find("channel/item/guid")
    assert guid.text == f"{SITE_URL}/articles/{story.pk}/"
    assert guid.get("isPermaLink") == "true"


def test_guid_stays_when_a_new_headline_changes_the_link(client):
    story = ArticleFactory(published=True, headline="First headline")
    before = get_feed(client, "/feed/").find("channel/item")
    story.headline, story.slug = "Better headline", ""
    story.save()
    after = get_feed(client, "/feed/").find("channel/item")
    assert after.findtext("link") != before.findtext("link")
    assert after.findtext("guid") == before.findtext("guid")


def test_rss_item_without_byline_names_no_author(client):
    ArticleFactory(published=True)
    item = get_feed(client, "/feed/").find("channel/item")
    assert item.find(f"{DC}creator") is None
    assert item.find("author") is None


# --- Atom ---------------------------------------------------------------------------------


def test_latest_stories_atom_feed_describes_the_site(client):
    response = client.get("/feed/atom/")
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ElementTree.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == "Newsroom: latest stories"
    assert feed.findtext(f"{ATOM}subtitle") == "The latest stories published by Newsroom."
    assert feed.findtext(f"{ATOM}id") == f"{SITE_URL}/"
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "Newsroom"
    assert {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")} == {
        "alternate": f"{SITE_URL}/",
        "self": f"{SITE_URL}/feed/atom/",
    }


def test_atom_entry_carries_the_story(client):
    story = story_with_byline()
    entry = get_feed(client, "/feed/atom/").find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Council of Europe responds to denunciation"
    assert entry.find(f"{ATOM}link").attrib == {
        "rel": "alternate",
        "href": SITE_URL + story.get_absolute_url(),
    }
    assert entry.findtext(f"{ATOM}id") == f"{SITE_URL}/articles/{story.pk}/"
    assert datetime.fromisoformat(entry.findtext(f"{ATOM}published")) == story.publish_at
    assert datetime.fromisoformat(entry.findtext(f"{ATOM}updated")) == story.updated_at
    assert entry.find(f"{ATOM}summary").get("type") == "html"
    assert entry.findtext(f"{ATOM}summary") == story.standfirst
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Olena Kovalenko and Ivan Petrenko"
    terms = sorted(c.get("term") for c in entry.findall(f"{ATOM}category"))
    assert terms == ["Human rights", "Torture"]


# --- Both formats ---------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_headline_comes_back_as_written(client, url):
    ArticleFactory(published=True, headline='Grain & gas: "talks" <resume> at 5 < 6')
    assert titles(get_feed(client, url)) == ['Grain & gas: "talks" <resume> at 5 < 6']


def test_an_entry_is_never_updated_before_it_was_published(client):
    story = story_with_byline()
    Article.objects.filter(pk=story.pk).update(updated_at=story.publish_at - timedelta(hours=3))
    entry = get_feed(client, "/feed/atom/").find(f"{ATOM}entry")
    assert datetime.fromisoformat(entry.findtext(f"{ATOM}updated")) == story.publish_at


def test_standfirst_is_carried_as_escaped_html(client):
    ArticleFactory(published=True, standfirst="Prices <b>rise</b> & fall")
    item = get_feed(client, "/feed/").find("channel/item")
    assert item.findtext("description") == "Prices &lt;b&gt;rise&lt;/b&gt; &amp; fall"


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_feed_lists_the_50_newest_stories_newest_first(client, url):
    now = timezone.now()
    for minutes in range(51, 0, -1):
        ArticleFactory(
            status=Article.Status.PUBLISHED,
            publish_at=now - timedelta(minutes=minutes),
            headline=f"Story {minutes} minutes old",
        )
    listed = titles(get_feed(client, url))
    assert len(listed) == 50
    assert listed[0] == "Story 1 minutes old"
    assert listed[-1] == "Story 50 minutes old"


@pytest.mark.parametrize("name", FEEDS)
def test_feed_addresses_come_from_site_url_not_the_request_host(client, settings, name):
    settings.SITE_URL = "https://news.example.com"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "mirror.example.org"]
    story = story_with_byline()
    feed = get_feed(client, feed_url(name, story), HTTP_HOST="mirror.example.org")
    addresses = links(feed)
    assert len(addresses) >= 4
    assert all(a.startswith("https://news.example.com/") for a in addresses), addresses


# --- Topic, source and section feeds -------------------------------------------------


@pytest.mark.parametrize("name", FEEDS[2:])
def test_subject_feed_lists_only_its_subjects_stories(client, name):
    story = ArticleFactory(
        published=True, topics=[TopicFactory()], source=SourceFactory(), section=SectionFactory()
    )
    ArticleFactory(published=True, topics=[TopicFactory()], headline="Elsewhere")
    assert titles(get_feed(client, feed_url(name, story))) == [story.headline]


@pytest.mark.parametrize(
    ("name", "title", "description", "link"),
    [
        (
            "topic_feed",
            "Torture — Newsroom",
            "The latest stories about Torture.",
            "/topics/torture/",
        ),
        (
            "source_feed",
            "Ukrinform — Newsroom",
            "The latest stories reported by Ukrinform.",
            "/sources/ukrinform/",
        ),
        ("section_feed", "War — Newsroom", "The latest stories in War.", "/sections/war/"),
    ],
)
def test_subject_feed_describes_its_subject(client, name, title, description, link):
    story = ArticleFactory(
        published=True,
        topics=["Torture"],
        source=SourceFactory(name="Ukrinform", slug="ukrinform"),
        section=SectionFactory(name="War", slug="war"),
    )
    url = feed_url(name, story)
    channel = get_feed(client, url).find("channel")
    assert channel.findtext("title") == title
    assert channel.findtext("description") == description
    assert channel.findtext("link") == SITE_URL + link
    assert channel.find(f"{ATOM}link").get("href") == SITE_URL + url


def test_subject_atom_feed_links_to_itself(client):
    story = ArticleFactory(published=True, section=SectionFactory(slug="war"))
    feed = get_feed(client, feed_url("section_feed_atom", story))
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == f"{SITE_URL}/sections/war/feed/atom/"


@pytest.mark.parametrize("suffix", ["feed/", "feed/atom/"])
def test_topic_used_only_by_hidden_stories_has_no_feed(client, suffix):
    topic = TopicFactory(name="Embargoed subject")
    hidden_articles(topics=[topic])
    assert client.get(f"{topic.get_absolute_url()}{suffix}").status_code == 404


def test_source_without_public_stories_has_an_empty_feed(client):
    SourceFactory(slug="ministry")
    assert titles(get_feed(client, "/sources/ministry/feed/")) == []


@pytest.mark.parametrize(
    "url",
    [
        "/topics/no-such-topic/feed/",
        "/topics/no-such-topic/feed/atom/",
        "/sources/no-such-source/feed/",
        "/sources/no-such-source/feed/atom/",
        "/sections/no-such-section/feed/",
        "/sections/no-such-section/feed/atom/",
        "/topics/%FF%FE/feed/atom/",
        "/sources/%E2%80%AE/feed/",
        "/feed/rss/",
    ],
)
def test_unknown_or_malformed_feed_is_404(client, url):
    assert client.get(url).status_code == 404


# --- Visibility ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", FEEDS)
def test_no_feed_lists_a_story_readers_may_not_see(client, name):
    topic, source, section = TopicFactory(), SourceFactory(), SectionFactory()
    story = ArticleFactory(
        published=True, topics=[topic], source=source, section=section, headline="Public story"
    )
    hidden_articles(topics=[topic], source=source, section=section)
    assert titles(get_feed(client, feed_url(name, story))) == ["Public story"]


@pytest.mark.parametrize("name", FEEDS)
def test_scheduled_story_enters_the_feeds_when_its_time_comes(client, name):
    topic, source, section = TopicFactory(), SourceFactory(), SectionFactory()
    # A public story keeps the topic's feed alive before the scheduled one goes out.
    ArticleFactory(published=True, topics=[topic], source=source, section=section)
    publish_at = timezone.now() + timedelta(hours=2)
    story = ArticleFactory(
        status=Article.Status.PUBLISHED,
        publish_at=publish_at,
        headline="Scheduled story",
        topics=[topic],
        source=source,
        section=section,
    )
    url = feed_url(name, story)
    with time_machine.travel(publish_at - timedelta(seconds=1)):
        assert "Scheduled story" not in titles(get_feed(client, url))
    # The origin caches nothing: the story is there as soon as its time comes.
    with time_machine.travel(publish_at + timedelta(seconds=1)):
        assert "Scheduled story" in titles(get_feed(client, url))


# --- Photos -------------------------------------------------------------------------------

MEDIA = "{http://search.yahoo.com/mrss/}"


def parsed(client, url: str) -> etree._Element:
    response = client.get(url)
    assert response.status_code == 200
    return etree.fromstring(response.content)


@pytest.fixture
def story_with_photo() -> Article:
    image = ImageFactory(file__width=2400, file__height=1600, caption="The first ship left.")
    return ArticleFactory(published=True, lead_image=image)


def test_rss_item_carries_the_lead_photo_as_an_enclosure(client, story_with_photo):
    share = story_with_photo.lead_image.share_rendition
    [enclosure] = parsed(client, "/feed/").findall("channel/item/enclosure")
    assert enclosure.attrib == {
        "url": SITE_URL + share.url,
        "length": str(share.size_in_bytes),
        "type": "image/jpeg",
    }
    assert share.width == 1200 and share.size_in_bytes > 0


def test_rss_item_carries_the_photo_as_media_rss_with_credit_and_caption(client, story_with_photo):
    share = story_with_photo.lead_image.share_rendition
    rss = parsed(client, "/feed/")
    assert rss.nsmap["media"] == MEDIA.strip("{}")
    [content] = rss.findall(f"channel/item/{MEDIA}content")
    assert content.attrib == {
        "url": SITE_URL + share.url,
        "medium": "image",
        "type": "image/jpeg",
        "width": "1200",
        "height": "800",
        "fileSize": str(share.size_in_bytes),
    }
    assert content.findtext(f"{MEDIA}credit") == "Photo: Ukrinform"
    assert content.findtext(f"{MEDIA}description") == "The first ship left."


def test_atom_entry_links_the_lead_photo_as_an_enclosure(client, story_with_photo):
    share = story_with_photo.lead_image.share_rendition
    entry = parsed(client, "/feed/atom/").find(f"{ATOM}entry")
    [enclosure] = [link for link in entry.findall(f"{ATOM}link") if link.get("rel") == "enclosure"]
    assert enclosure.attrib == {
        "rel": "enclosure",
        "href": SITE_URL + share.url,
        "length": str(share.size_in_bytes),
        "type": "image/jpeg",
    }


@pytest.mark.parametrize("photo", [None, "not ready"])
@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_a_story_without_a_ready_photo_has_no_enclosure(client, url, photo):
    image = ImageFactory(renditions=False) if photo else None
    ArticleFactory(published=True, lead_image=image)
    feed = parsed(client, url)
    assert feed.findall("channel/item/enclosure") == []
    assert feed.findall(f"channel/item/{MEDIA}content") == []
    assert feed.xpath("//*[@rel='enclosure']") == []


def test_a_photo_made_before_sizes_were_kept_has_length_zero(client, story_with_photo):
    # RSS requires a length: 0 means unknown until `make_renditions --all` runs.
    type(story_with_photo.lead_image).objects.update(rendition_bytes={})
    [enclosure] = parsed(client, "/feed/").findall("channel/item/enclosure")
    assert enclosure.get("length") == "0"
    assert parsed(client, "/feed/").find(f"channel/item/{MEDIA}content").get("fileSize") is None


# --- Cost -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "queries"),
    # latest: stories with source, section and lead photo, their authors, their topics
    # (no N+1 on any); a subject's feed first looks the subject up (a topic's in the
    # same query as whether it has a public story, `articles.subjects`).
    [(name, 3 if name.startswith("feed") else 4) for name in FEEDS],
)
def test_feed_query_count_does_not_grow_with_stories_authors_or_topics(
    client, django_assert_num_queries, name, queries
):
    topic, source, section = TopicFactory(), SourceFactory(), SectionFactory()
    for n in range(25):
        story = ArticleFactory(
            published=True,
            topics=[topic, f"Theme {n}", "Shared"],
            source=source,
            section=section,
            authors=UserFactory.create_batch(2),
            lead_image=ImageFactory(),
        )
    url = feed_url(name, story)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


# --- Advertised on the pages ------------------------------------------------------------


def test_every_page_advertises_the_latest_stories_feeds(client, published_article):
    for url in ("/", published_article.get_absolute_url()):
        content = client.get(url).content.decode()
        assert (
            '<link rel="alternate" type="application/rss+xml" title="Newsroom: latest stories '
            f'(RSS)" href="{SITE_URL}/feed/">'
        ) in content
        assert (
            '<link rel="alternate" type="application/atom+xml" title="Newsroom: latest stories '
            f'(Atom)" href="{SITE_URL}/feed/atom/">'
        ) in content


def test_subject_page_advertises_its_own_feeds(client):
    ArticleFactory(published=True, source=SourceFactory(name="Ukrinform", slug="ukrinform"))
    content = client.get("/sources/ukrinform/").content.decode()
    assert (
        '<link rel="alternate" type="application/rss+xml" title="Source: Ukrinform (RSS)" '
        f'href="{SITE_URL}/sources/ukrinform/feed/">'
    ) in content
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Source: Ukrinform (Atom)" '
        f'href="{SITE_URL}/sources/ukrinform/feed/atom/">'
    ) in content
    assert f'href="{SITE_URL}/feed/"' in content


def test_subject_page_shows_a_named_feed_link(client):
    ArticleFactory(published=True, section=SectionFactory(name="War", slug="war"))
    content = client.get("/sections/war/").content.decode()
    assert (
        '<a href="/sections/war/feed/" type="application/rss+xml">'
        'RSS<span class="visually-hidden"> feed of War</span></a>'
    ) in content
