"""The reader's pages: home, article, the stories of a topic, source, section or author.

Also the sitemap index, which lists the sitemaps of `articles.sitemaps`. Every
page names what it shows for the front cache (`frontcache.keys`).
"""

from datetime import datetime

from django.conf import settings
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.core import signing
from django.core.paginator import InvalidPage
from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, RedirectView

from accounts.people import display_name
from articles import previews
from articles.context_processors import navigation_sections
from articles.editions import published_editions
from articles.forms import SearchForm
from articles.languages import edition_alternates, reader_language, story_alternates
from articles.models import Article, Correction, Pin, Section
from articles.pagination import paginate_stories
from articles.prefetches import bylines, public_topics
from articles.search import (
    SearchTooBroad,
    find_stories,
    highlight,
    narrowed_start,
    time_limited,
)
from articles.sitemaps import SITEMAPS, NewsSitemap
from articles.subjects import AUTHOR, SECTION, SOURCE, TOPIC, Subject
from frontcache import keys
from frontcache.keys import tag, tag_stories
from topics.models import Topic, TopicRedirect

# How many related stories a story's page shows.
RELATED_COUNT = 4
# Stories shown with a photo under the lead: on the home page, and on a topic's, source's,
# section's or author's first page (the rest are listed).
HOME_SECONDARY_COUNT = 4
LISTING_GRID_COUNT = 3


class StoryPagesMixin:
    """Page through a story list without counting it (see `articles.pagination`)."""

    paginate_by = settings.NEWSROOM_PAGE_SIZE

    def paginate_queryset(self, queryset, page_size):
        try:
            paginator, page = paginate_stories(queryset, self.request.GET.get("page"), page_size)
        except InvalidPage:
            raise Http404("No such page.") from None
        return paginator, page, page.object_list, page.has_other_pages()

    @property
    def is_first_page(self) -> bool:
        return self.request.GET.get("page") in (None, "", "1")


def with_details(*lists: list[Article]) -> None:
    """Fetch the bylines and public topics of the stories of `lists`, two queries for all."""
    prefetch_related_objects([a for stories in lists for a in stories], bylines(), public_topics())


class HomeView(StoryPagesMixin, ListView):
    """The lead story, pinned top stories, the latest stories and a block per section."""

    template_name = "articles/home.html"
    context_object_name = "articles"
    section_block_size = 3

    def get_queryset(self) -> QuerySet[Article]:
        # Pinned stories sit at the top of the first page, so the stream leaves them out.
        self.pinned_ids = Pin.objects.pinned_ids(section=None)
        stories = Article.objects.published().in_language().for_cards().latest_first()
        return stories.exclude(pk__in=self.pinned_ids)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        latest = list(context["articles"])
        tag(self.request, keys.LATEST, keys.HOME, keys.NAVIGATION)
        if not self.is_first_page:
            with_details(latest)
            tag_stories(self.request, latest)
            return {**context, "articles": latest}

        pinned = Pin.objects.pinned_stories(self.pinned_ids)
        lead = pinned[0] if pinned else (latest.pop(0) if latest else None)
        top_stories = pinned[1:]
        # The first few sections of the navigation get a block: a front page, not an index.
        featured = navigation_sections()[: settings.NEWSROOM_HOME_SECTIONS]
        shown = [a.pk for a in [lead, *top_stories, *latest] if a]
        in_sections = list(
            Article.objects.published()
            .in_language()
            .for_cards()
            .latest_in_sections([s.pk for s in featured], self.section_block_size, exclude=shown)
        )
        blocks = []
        for section in featured:
            stories = [a for a in in_sections if a.section_id == section.pk]
            if stories:
                stories.sort(key=lambda a: (a.publish_at, a.pk), reverse=True)
                blocks.append((section, stories))
        # Section blocks show compact cards: no byline, no topics.
        with_details([lead] if lead else [], top_stories, latest)
        tag_stories(self.request, [a for a in [lead, *top_stories, *latest, *in_sections] if a])
        tag(self.request, *(keys.listing("section", section.pk) for section in featured))
        return {
            **context,
            "lead": lead,
            "top_stories": top_stories,
            "articles": latest,
            # The latest stories after the lead: a few with photos, the rest in the rail.
            "secondary": latest[:HOME_SECONDARY_COUNT],
            "rail": latest[HOME_SECONDARY_COUNT:],
            "section_blocks": blocks,
            "alternates": edition_alternates(self.request),
        }


def for_article_page(articles: QuerySet[Article]) -> QuerySet[Article]:
    """Fetch the story the article page shows, with its photo, byline and topics: three queries.

    Few stories are ever corrected: it asks for corrections only when
    `has_corrections` says there are some. Its published editions in other
    languages come with it (`published_editions`), for the hreflang links.
    """
    return (
        articles.select_related("source", "section", "lead_image")
        .prefetch_related(bylines(), public_topics())
        .annotate(
            has_corrections=Exists(Correction.objects.filter(article=OuterRef("pk"))),
            editions=published_editions(),
        )
    )


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self) -> QuerySet[Article]:
        return for_article_page(Article.objects.published())

    def get_object(self, queryset=None) -> Article:
        # The URL's <int:pk> takes any number; a parameter the column cannot hold is an error.
        _, largest = connection.ops.integer_field_range(Article._meta.pk.get_internal_type())
        if self.kwargs["pk"] > largest:
            raise Http404("No such story.")
        return super().get_object(queryset)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        tag(request, keys.story(self.object.pk))
        # The id identifies the story; the slug is decoration that may change, and
        # a story is read in its own language's edition.
        if self.kwargs["slug"] != self.object.slug or self.object.language != reader_language():
            return HttpResponsePermanentRedirect(self.object.get_absolute_url())
        related = related_stories(self.object)
        tag_stories(request, [self.object])
        tag(request, keys.NAVIGATION, *(keys.story(story.pk) for story in related))
        context = self.get_context_data(object=self.object)
        alternates = story_alternates(self.object)
        response = self.render_to_response({**context, "related": related, **alternates})
        response.headers["Last-Modified"] = http_date(self.object.last_changed.timestamp())
        return response


def related_stories(article: Article) -> list[Article]:
    """Return the stories shown as related at the foot of `article`'s page (one query)."""
    stories = Article.objects.published().only("pk", "slug", "headline", "publish_at", "language")
    return stories.related_to(article, RELATED_COUNT)


def preview_response(request: HttpRequest, article: Article, *, shared: bool) -> HttpResponse:
    """Show a story in any state exactly as its public page would, marked as a preview.

    Never cached anywhere, never indexed, and the address (which may carry a
    preview link's token) is not sent on to the sites the story links to.
    """
    # The story is shown in its own edition's language, whatever the admin speaks.
    translation.activate(article.language)
    context = {
        "article": article,
        "preview": True,
        "shared_preview": shared,
        "related": related_stories(article),
        # Rendered afresh, never from or into the fragment cache.
        "fragment_cache": "uncached",
    }
    response = TemplateResponse(request, ArticleDetailView.template_name, context)
    add_never_cache_headers(response)  # Cache-Control: private, no-store, ...
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def shared_preview(request: HttpRequest, token: str) -> HttpResponse:
    """Show the preview behind a preview link, for someone without an account.

    A tampered or unknown token answers 404; an expired or revoked link, or a
    deleted story, 410 with a page saying so.
    """
    try:
        link = previews.link_for_token(token)
    except signing.BadSignature:
        raise Http404("No such preview.") from None
    except previews.LinkGone as gone:
        response = TemplateResponse(
            request, "articles/preview_gone.html", {"reason": str(gone)}, status=410
        )
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
    article = for_article_page(Article.objects.all()).get(pk=link.article_id)
    return preview_response(request, article, shared=True)


class ArticleRedirectView(RedirectView):
    """Send `/articles/<id>/` to the story's canonical URL."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs) -> str:
        stories = Article.objects.published().only("pk", "slug", "language")
        article = get_object_or_404(stories, pk=kwargs["pk"])
        tag(self.request, keys.story(article.pk))
        return article.get_absolute_url()


class StoryListView(StoryPagesMixin, ListView):
    """The stories of one topic, source, section or author, newest first.

    Which subject the URL names, whether it has a page at all and which stories
    are its is `subject_type`'s to say (`articles.subjects`), as for its feeds,
    search and the API.
    """

    template_name = "articles/story_list.html"
    context_object_name = "articles"
    subject_type: Subject  # Set by subclasses.
    kind = ""  # The subject's kind as `articles.structured_data.LIST_DESCRIPTIONS` names it.
    kind_label = ""  # The subject's kind as the page shows it.

    @property
    def feed_name(self) -> str:
        """URL name of the subject's RSS feed; its Atom feed's adds "_atom"."""
        return f"articles:{self.subject_type.kind}_feed"

    def get_title(self, subject) -> str:
        return subject.name

    def get_pinned(self, subject) -> list[Article]:
        return []

    def get_alternates(self, subject) -> list[tuple[str, str]]:
        """Return this page in each edition, for hreflang (none: not known to exist there)."""
        return []

    def get_stories(self, stories: QuerySet[Article], subject):
        return self.subject_type.newest(stories, subject)

    def get_queryset(self) -> QuerySet[Article]:
        lookup = self.subject_type.lookup
        self.subject = self.subject_type.get_or_404(self.kwargs[lookup])
        stories = Article.objects.published().in_language().for_cards()
        return self.get_stories(stories, self.subject)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        pinned = self.get_pinned(self.subject) if self.is_first_page else []
        articles = list(context["articles"])
        with_details(pinned, articles)
        tag_stories(self.request, [*pinned, *articles])
        key_kind = self.subject_type.kind
        tag(
            self.request,
            keys.NAVIGATION,
            keys.subject(key_kind, self.subject.pk),
            keys.listing(key_kind, self.subject.pk),
        )
        lookup = self.subject_type.lookup
        feed_kwargs = {lookup: getattr(self.subject, lookup)}
        # A first page leads with its first story, then a few with photos, then the list.
        shown = [*pinned, *articles]
        lead = shown.pop(0) if shown and self.is_first_page else None
        grid = shown[:LISTING_GRID_COUNT] if lead else []
        return {
            **context,
            "articles": articles,
            "pinned": pinned,
            "lead": lead,
            "grid": grid,
            "rest": shown[len(grid) :],
            "subject": self.subject,
            "title": self.get_title(self.subject),
            "kind": self.kind,
            "kind_label": self.kind_label,
            "alternates": self.get_alternates(self.subject),
            "feed_url": reverse(self.feed_name, kwargs=feed_kwargs),
            "atom_feed_url": reverse(f"{self.feed_name}_atom", kwargs=feed_kwargs),
        }


class TopicView(StoryListView):
    subject_type = TOPIC
    kind = "Topic"
    kind_label = _("Topic")

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # A renamed or merged topic's old address, or its slug in another
            # language, leads to its page in this edition today.
            target = TopicRedirect.objects.target_for(kwargs["slug"])
            if target is None:
                raise
            # Kept by the front cache until the topic changes again.
            tag(request, keys.subject("topic", target.pk))
            return HttpResponsePermanentRedirect(target.get_absolute_url())

    def get_title(self, subject: Topic) -> str:
        return subject.local_name

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        # The topic's feeds in this edition, at its slug in this language.
        feed_kwargs = {"slug": self.subject.local_slug}
        return {
            **context,
            "feed_url": reverse(self.feed_name, kwargs=feed_kwargs),
            "atom_feed_url": reverse(f"{self.feed_name}_atom", kwargs=feed_kwargs),
        }


class SourceView(StoryListView):
    subject_type = SOURCE
    kind = "Source"
    kind_label = _("Source")

    def get_alternates(self, subject) -> list[tuple[str, str]]:
        return edition_alternates(self.request)


class SectionView(StoryListView):
    subject_type = SECTION
    kind = "Section"
    kind_label = _("Section")

    def get_alternates(self, subject) -> list[tuple[str, str]]:
        return edition_alternates(self.request)

    def get_stories(self, stories, subject):
        # Pinned stories lead the first page; the list leaves them out on every page.
        self.pinned_ids = Pin.objects.pinned_ids(subject)
        return super().get_stories(stories, subject).exclude(pk__in=self.pinned_ids)

    def get_pinned(self, subject) -> list[Article]:
        return Pin.objects.pinned_stories(self.pinned_ids)

    def get_title(self, subject: Section) -> str:
        return subject.local_name

    def get_context_data(self, **kwargs) -> dict:
        # Marked as the current page in the navigation.
        return {**super().get_context_data(**kwargs), "current_section": self.subject}


class AuthorView(StoryListView):
    subject_type = AUTHOR
    kind = "Author"
    kind_label = _("Author")

    def get_title(self, subject) -> str:
        return display_name(subject)


@x_robots_tag
def sitemap_index(request: HttpRequest) -> TemplateResponse:
    """List every page of every sitemap, the news sitemap included, that has URLs.

    Django's own index view takes the host from the request; ours writes
    addresses from SITE_URL, like everything else crawlers read.
    """
    listed = [
        (reverse("articles:sitemap", kwargs={"section": name}), sitemap())
        for name, sitemap in SITEMAPS.items()
    ]
    listed.append((reverse("articles:sitemap_news"), NewsSitemap()))
    entries = []
    for path, sitemap in listed:
        paginator = sitemap.paginator  # A new paginator, and a COUNT, on every access.
        if not paginator.count:
            continue  # A <urlset> without a <url> is not a valid sitemap.
        location, lastmod = settings.SITE_URL + path, sitemap.get_latest_lastmod()
        entries += [
            SitemapIndexItem(location if page == 1 else f"{location}?p={page}", lastmod)
            for page in paginator.page_range
        ]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


class SearchView(StoryPagesMixin, ListView):
    """Search the published stories by words, topic, source, section and dates."""

    template_name = "articles/search.html"
    context_object_name = "articles"

    @cached_property
    def form(self) -> SearchForm:
        return SearchForm(self.request.GET)

    @cached_property
    def searching(self) -> bool:
        """Whether the reader asked for something valid (otherwise no story is queried)."""
        return self.form.is_valid() and self.form.has_criteria()

    def get_queryset(self, since: datetime | None = None) -> QuerySet[Article]:
        if not self.searching:
            return Article.objects.none()
        stories = Article.objects.published().for_results()
        return find_stories(stories, **self.form.cleaned_data, since=since)

    def get_paginate_by(self, queryset) -> int | None:
        return self.paginate_by if self.searching else None

    # Set when the search was too broad for the time limit (see `articles.search`).
    searched_since = None
    too_broad = False

    def paginate_queryset(self, queryset, page_size):
        try:
            with time_limited():
                return super().paginate_queryset(queryset, page_size)
        except SearchTooBroad:
            pass
        # Again over the newest stories the filters let through, which bounds what is read.
        filters = {**self.form.cleaned_data, "q": ""}
        try:
            with time_limited():
                self.searched_since = narrowed_start(
                    find_stories(Article.objects.published(), **filters)
                )
                if self.searched_since is not None:
                    narrowed = self.get_queryset(since=self.searched_since)
                    return super().paginate_queryset(narrowed, page_size)
        except SearchTooBroad:
            pass
        self.searched_since, self.too_broad = None, True
        return super().paginate_queryset(Article.objects.none(), page_size)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(form=self.form, searching=self.searching, **kwargs)
        # Known once the page is read (`paginate_queryset`, called by the line above).
        context.update(searched_since=self.searched_since, too_broad=self.too_broad)
        if self.searching:
            highlight(context["articles"], self.form.cleaned_data["q"])
            with_details(context["articles"])
            tag_stories(self.request, context["articles"])
        # The filters list every source (and, like the navigation, every section).
        tag(self.request, keys.LATEST, keys.NAVIGATION, keys.every("source"))
        return context
