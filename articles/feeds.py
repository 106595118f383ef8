"""RSS 2.0 and Atom feeds of the latest public stories: overall, and per topic, source,
section and author.

Every address in a feed is absolute and built from `settings.SITE_URL`, so a
feed never depends on the Host header of the request that fetched it.
"""

from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.text import get_text_list
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from accounts.people import display_name
from articles.models import Article
from articles.subjects import AUTHOR, SECTION, SOURCE, TOPIC, Subject
from frontcache import keys
from images.models import Rendition
from topics.models import TopicRedirect

FEED_SIZE = 50
MEDIA_RSS = "http://search.yahoo.com/mrss/"


def absolute(path: str) -> str:
    """Return the public address of a site path."""
    return settings.SITE_URL + path


def absolute_url(url: str) -> str:
    """Return the public address of a file's URL (storage may give an absolute one)."""
    return url if url.startswith(("https://", "http://")) else absolute(url)


class MediaRssFeed(Rss201rev2Feed):
    """RSS 2.0 whose items may carry their photo as Media RSS `media:content`.

    Readers and aggregators that ignore `enclosure` (or want the credit and
    caption with the picture) read it there. The WebSub hub, when there is one,
    is an `atom:link rel="hub"` beside the `atom:link rel="self"`.
    """

    def rss_attributes(self) -> dict[str, str]:
        return {**super().rss_attributes(), "xmlns:media": MEDIA_RSS}

    def add_root_elements(self, handler) -> None:
        super().add_root_elements(handler)
        if self.feed.get("hub"):
            handler.addQuickElement("atom:link", None, {"rel": "hub", "href": self.feed["hub"]})

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        photo = item.get("photo")
        if photo is None:
            return
        rendition: Rendition = photo["rendition"]
        attributes = {
            "url": absolute_url(rendition.url),
            "medium": "image",
            "type": rendition.content_type,
            "width": str(rendition.width),
            "height": str(rendition.height),
        }
        if rendition.size_in_bytes is not None:
            attributes["fileSize"] = str(rendition.size_in_bytes)
        handler.startElement("media:content", attributes)
        if photo["credit"]:
            handler.addQuickElement("media:credit", photo["credit"])
        handler.addQuickElement("media:description", photo["description"], {"type": "plain"})
        handler.endElement("media:content")


class HubAtomFeed(Atom1Feed):
    """Atom 1.0 naming the WebSub hub, when there is one, as a `link rel="hub"`."""

    def add_root_elements(self, handler) -> None:
        super().add_root_elements(handler)
        if self.feed.get("hub"):
            handler.addQuickElement("link", "", {"rel": "hub", "href": self.feed["hub"]})


class StoriesFeed(Feed):
    """Public stories as feed items, newest first; subclasses choose the stories and title.

    A story whose lead photo is ready carries it as an enclosure (RSS `enclosure`,
    Atom `link rel="enclosure"`) and, in RSS, as Media RSS with its credit and caption.
    """

    feed_type = MediaRssFeed
    url_name = ""  # The feed's own URL name, for its "self" link.

    def get_feed(self, obj, request: HttpRequest):
        feed = super().get_feed(obj, request)
        # What the feed shows, for the front cache (see `item_extra_kwargs`).
        keys.tag(request, *self.list_keys(obj))
        for item in feed.items:
            keys.tag(request, *item["surrogate_keys"])
        return feed

    def list_keys(self, obj) -> list[str]:
        return [keys.LATEST]

    def feed_extra_kwargs(self, obj) -> dict:
        # Subscribers find the hub (WebSub) beside the feed's "self" link.
        hub = settings.NEWSROOM_WEBSUB_HUB
        return {**super().feed_extra_kwargs(obj), **({"hub": hub} if hub else {})}

    def item_extra_kwargs(self, story: Article) -> dict:
        # Kept on the feed's item: the keys for the front cache (the feed writers
        # ignore them), the photo for Media RSS (the Atom writer ignores it).
        extra = {"surrogate_keys": keys.of_story(story), "photo": None}
        if rendition := self.photo(story):
            image = story.lead_image
            extra["photo"] = {
                "rendition": rendition,
                "credit": image.credit,
                "description": image.caption or image.alt_text,
            }
        return extra

    def photo(self, story: Article) -> Rendition | None:
        """Return the copy of the story's lead photo that feeds carry (about 1200 pixels wide).

        The photo is loaded with the story (`for_listing`); its copies' names
        and sizes are computed from its fields, without asking storage.
        """
        image = story.lead_image
        return image.share_rendition if image is not None else None

    def item_enclosure_url(self, story: Article) -> str | None:
        rendition = self.photo(story)
        return absolute_url(rendition.url) if rendition else None

    def item_enclosure_length(self, story: Article) -> int:
        # RSS requires a length; 0 stands for "unknown" (copies made before sizes were kept).
        rendition = self.photo(story)
        return (rendition.size_in_bytes or 0) if rendition else 0

    def item_enclosure_mime_type(self, story: Article) -> str:
        return Rendition.content_type

    def items(self, obj) -> list[Article]:
        # Each edition's feeds carry its own language's stories (`language` is the page's).
        stories = Article.objects.published().in_language().for_listing()
        return list(self.newest(stories, obj)[:FEED_SIZE])

    def newest(self, stories: QuerySet[Article], obj):
        """Return the feed's `stories`, newest first."""
        return stories.latest_first()

    def feed_url(self, obj) -> str:
        return absolute(reverse(self.url_name))

    def item_title(self, story: Article) -> str:
        # Plain text: the feed writer escapes it once for XML, and Atom titles are text.
        return story.headline

    def item_description(self, story: Article) -> str:
        # RSS descriptions and Atom summaries (type="html") are HTML; a standfirst is text.
        return escape(story.standfirst)

    def item_link(self, story: Article) -> str:
        return absolute(story.get_absolute_url())

    def item_guid(self, story: Article) -> str:
        # The id-only permalink (a 301 to the canonical URL) survives a re-headlined
        # story's new slug, so readers do not see the story twice.
        return absolute(reverse("articles:short", kwargs={"pk": story.pk}))

    item_guid_is_permalink = True

    def item_pubdate(self, story: Article) -> datetime:
        return story.publish_at

    def item_updateddate(self, story: Article) -> datetime:
        # Never before its publication: a scheduled story changed for readers when it went out.
        return story.last_changed

    def item_author_name(self, story: Article) -> str | None:
        names = [display_name(author) for author in story.authors.all()]
        return get_text_list(names, pgettext("list of names", "and")) or None

    def item_categories(self, story: Article) -> list[str]:
        return [topic.local_name for topic in story.public_topics]


class AtomFeedMixin:
    """Serve a feed as Atom 1.0 rather than RSS 2.0."""

    feed_type = HubAtomFeed

    def subtitle(self, obj) -> str:
        return self.description(obj)

    def author_name(self, obj) -> str:
        # Atom requires an author for every entry; the site stands in for a missing byline.
        return settings.NEWSROOM_SITE_NAME


class LatestStoriesFeed(StoriesFeed):
    url_name = "articles:feed"

    def title(self, obj) -> str:
        return gettext("%(site_name)s: latest stories") % {"site_name": settings.NEWSROOM_SITE_NAME}

    def link(self, obj) -> str:
        return absolute(reverse("articles:home"))

    def description(self, obj) -> str:
        return gettext("The latest stories published by %(site_name)s.") % {
            "site_name": settings.NEWSROOM_SITE_NAME
        }


class LatestStoriesAtomFeed(AtomFeedMixin, LatestStoriesFeed):
    url_name = "articles:feed_atom"


class SubjectFeed(StoriesFeed):
    """The latest public stories of one subject, found by the key in its URL.

    Which subject the key names, whether it has a feed at all and which stories
    are its is `subject_type`'s to say (`articles.subjects`), as for its page:
    a subject that is unknown, or not public, answers 404. A subclass names its
    `url_name` and how the feed describes the subject.
    """

    subject_type: Subject
    description_format = _("The latest stories on %(subject)s.")

    def list_keys(self, subject) -> list[str]:
        kind = self.subject_type.kind
        return [keys.subject(kind, subject.pk), keys.listing(kind, subject.pk)]

    def get_object(self, request: HttpRequest, **kwargs) -> Model:
        return self.subject_type.get_or_404(kwargs[self.subject_type.lookup])

    def newest(self, stories: QuerySet[Article], subject):
        return self.subject_type.newest(stories, subject)

    def feed_url(self, subject) -> str:
        lookup = self.subject_type.lookup
        return absolute(reverse(self.url_name, kwargs={lookup: getattr(subject, lookup)}))

    def title(self, subject) -> str:
        return f"{subject} — {settings.NEWSROOM_SITE_NAME}"

    def link(self, subject) -> str:
        return absolute(subject.get_absolute_url())

    def description(self, subject) -> str:
        return self.description_format % {"subject": subject}


class TopicFeed(SubjectFeed):
    subject_type = TOPIC
    url_name = "articles:topic_feed"
    description_format = _("The latest stories about %(subject)s.")

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return super().__call__(request, *args, **kwargs)
        except Http404:
            # A renamed or merged topic's old feed follows it, like its page.
            target = TopicRedirect.objects.target_for(kwargs["slug"])
            if target is None:
                raise
            # Kept by the front cache until the topic changes again.
            keys.tag(request, keys.subject("topic", target.pk))
            return HttpResponsePermanentRedirect(
                reverse(self.url_name, kwargs={"slug": target.local_slug})
            )

    # The topic as this edition's readers know it: its name and slug in their language.
    def feed_url(self, topic) -> str:
        return absolute(reverse(self.url_name, kwargs={"slug": topic.local_slug}))

    def title(self, topic) -> str:
        return super().title(topic.local_name)

    def description(self, topic) -> str:
        return super().description(topic.local_name)


class TopicAtomFeed(AtomFeedMixin, TopicFeed):
    url_name = "articles:topic_feed_atom"


class SourceFeed(SubjectFeed):
    subject_type = SOURCE
    url_name = "articles:source_feed"
    description_format = _("The latest stories reported by %(subject)s.")


class SourceAtomFeed(AtomFeedMixin, SourceFeed):
    url_name = "articles:source_feed_atom"


class SectionFeed(SubjectFeed):
    subject_type = SECTION
    url_name = "articles:section_feed"
    description_format = _("The latest stories in %(subject)s.")

    # The section as this edition's readers know it: its name in their language.
    def title(self, section) -> str:
        return super().title(section.local_name)

    def description(self, section) -> str:
        return super().description(section.local_name)


class SectionAtomFeed(AtomFeedMixin, SectionFeed):
    url_name = "articles:section_feed_atom"


class AuthorFeed(SubjectFeed):
    subject_type = AUTHOR
    url_name = "articles:author_feed"
    description_format = _("The latest stories by %(subject)s.")

    def link(self, author) -> str:
        return absolute(reverse("articles:author", kwargs={"pk": author.pk}))

    def title(self, author) -> str:
        return f"{self.name(author)} — {settings.NEWSROOM_SITE_NAME}"

    def description(self, author) -> str:
        return self.description_format % {"subject": self.name(author)}

    def name(self, author) -> str:
        return display_name(author)


class AuthorAtomFeed(AtomFeedMixin, AuthorFeed):
    url_name = "articles:author_feed_atom"
