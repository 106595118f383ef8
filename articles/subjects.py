"""The subjects readers list stories by: a topic, a source, a section, an author.

Each has a page of its stories and RSS and Atom feeds (`articles.views`,
`articles.feeds`); topics, sources and sections are also filters of reader
search (`articles.search`) and of the API (`api.views`). Which subject a URL's
key names, whether readers may know it, and which stories are its is decided
here, once, for all of them.

- A topic or an author is public only while a public story (`published_q`) of the
  edition carries it, and a topic only once a moderator approved it: one that only
  unpublished or scheduled stories use is unknown everywhere (404 for its page and
  feeds, an unknown value for search and the API). The edition is the reader's
  language (`reader_language`), as for the stories listed.
- A source or a section is public by itself: the navigation, the search form and
  the API list them, and their pages link every edition, so their pages and feeds
  exist, empty, while they have no public story.

A subject's stories are found by `filter()`, on stories already narrowed to what
the caller may show (`Article.objects.published()`, or a partner's stories).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists, Model, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from articles.languages import reader_language
from articles.models import Article, ArticleTopic, Section, published_q
from sources.models import Source
from topics.models import Topic


class Subject:
    """How one kind of subject is found from its URL's key and how its stories are."""

    kind = ""  # As URL names (`articles:topic`) and surrogate keys (`frontcache.keys`) say it.
    model: type[Model]
    lookup = "slug"  # The URL's key.

    def public(self, language: str | None = None) -> QuerySet:
        """Return the subjects readers of `language`'s edition (the reader's) may know."""
        return self.model._default_manager.all()

    def find(self, key, language: str | None = None) -> Model | None:
        """Return the public subject at `key` (its slug or id), or None: one query."""
        return self.public(language).filter(**{self.lookup: key}).first()

    def get_or_404(self, key, language: str | None = None) -> Model:
        subject = self.find(key, language)
        if subject is None:
            raise Http404(f"No public {self.kind} at {key!r}.")
        return subject

    def filter(self, stories: QuerySet[Article], subject: Model) -> QuerySet[Article]:
        """Return the `stories` of `subject` (narrow `stories` to what may be shown first)."""
        raise NotImplementedError

    def newest(self, stories: QuerySet[Article], subject: Model, language: str | None = None):
        """Return the `stories` of `subject` in `language`'s edition, newest first, for pages
        and feeds: a queryset, or a list read a slice at a time."""
        return self.filter(stories, subject).latest_first()


class TopicSubject(Subject):
    kind = "topic"
    model = Topic

    def public(self, language: str | None = None) -> QuerySet[Topic]:
        """Return the approved topics a public story of the edition carries.

        A semi-join, not a DISTINCT over every story of every topic: the topic's
        stream index finds its newest public story at once. Named in the edition's
        language, for the sitemaps and lists that link to them.
        """
        language = language or reader_language()
        public_links = ArticleTopic.objects.filter(
            published_q("content_object__"),
            tag=OuterRef("pk"),
            publish_at__lte=timezone.now(),
            content_object__language=language,
        )
        return Topic.objects.public().named_in(language).filter(Exists(public_links))

    def find(self, key: str, language: str | None = None) -> Topic | None:
        # At its slug in the edition's language; another slug of it (old, or another
        # language's) is for a redirect (`TopicRedirect.objects.target_for`).
        language = language or reader_language()
        return self.public(language).at_slug(key, language)

    def filter(self, stories: QuerySet[Article], subject: Topic) -> QuerySet[Article]:
        return stories.filter(topic_links__tag=subject)

    def newest(self, stories: QuerySet[Article], subject: Topic, language: str | None = None):
        # Cut from the topic's stream index, whatever the number of its stories.
        return stories.in_topic_pages(subject, language)


class SourceSubject(Subject):
    kind = "source"
    model = Source

    def filter(self, stories: QuerySet[Article], subject: Source) -> QuerySet[Article]:
        return stories.filter(source=subject)


class SectionSubject(Subject):
    kind = "section"
    model = Section

    def filter(self, stories: QuerySet[Article], subject: Section) -> QuerySet[Article]:
        return stories.filter(section=subject)


class AuthorSubject(Subject):
    kind = "author"
    lookup = "pk"

    @property
    def model(self) -> type[Model]:
        return get_user_model()

    def public(self, language: str | None = None) -> QuerySet:
        # People with a byline on a public story of the edition; staff accounts without
        # one are not public. A semi-join: one index read per person looked up.
        bylines = Article.authors.through.objects.filter(
            published_q("article__"),
            user=OuterRef("pk"),
            article__language=language or reader_language(),
        )
        return self.model._default_manager.filter(Exists(bylines))

    def filter(self, stories: QuerySet[Article], subject) -> QuerySet[Article]:
        return stories.filter(authors=subject)


TOPIC = TopicSubject()
SOURCE = SourceSubject()
SECTION = SectionSubject()
AUTHOR = AuthorSubject()
SUBJECTS = {subject.kind: subject for subject in (TOPIC, SOURCE, SECTION, AUTHOR)}
