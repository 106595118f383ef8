"""The reader's pages: home, article, the stories of a topic, source or section.

Also the sitemap index, which lists the sitemaps of `articles.sitemaps`.
"""

from django.conf import settings
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.core.paginator import InvalidPage
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.generic import DetailView, ListView, RedirectView

from articles.models import Article, Section
from articles.pagination import paginate_stories
from articles.sitemaps import SITEMAPS, NewsSitemap
from sources.models import Source
from topics.models import Topic


class PublishedArticlesMixin:
    """Start every public page from the published stories, fetched for listing."""

    def get_queryset(self) -> QuerySet[Article]:
        return Article.objects.published().for_listing().latest_first()


class StoryPagesMixin:
    """Page through a story list without counting it (see `articles.pagination`)."""

    paginate_by = settings.NEWSROOM_PAGE_SIZE

    def paginate_queryset(self, queryset, page_size):
        try:
            paginator, page = paginate_stories(queryset, self.request.GET.get("page"), page_size)
        except InvalidPage:
            raise Http404("No such page.") from None
        return paginator, page, page.object_list, page.has_other_pages()


class HomeView(PublishedArticlesMixin, StoryPagesMixin, ListView):
    template_name = "articles/home.html"
    context_object_name = "articles"


class ArticleDetailView(PublishedArticlesMixin, DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        # The id identifies the story; the slug is decoration that may change.
        if self.kwargs["slug"] != self.object.slug:
            return HttpResponsePermanentRedirect(self.object.get_absolute_url())
        return self.render_to_response(self.get_context_data(object=self.object))


class ArticleRedirectView(RedirectView):
    """Send `/articles/<id>/` to the story's canonical URL."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs) -> str:
        article = get_object_or_404(Article.objects.published().only("pk", "slug"), pk=kwargs["pk"])
        return article.get_absolute_url()


class StoryListView(PublishedArticlesMixin, StoryPagesMixin, ListView):
    """The stories of one topic, source or section, newest first."""

    template_name = "articles/story_list.html"
    context_object_name = "articles"
    model = None  # The subject's model, set by subclasses.
    kind = ""
    feed_name = ""  # URL name of the subject's RSS feed; its Atom feed's adds "_atom".

    def get_subject(self):
        return get_object_or_404(self.model, slug=self.kwargs["slug"])

    def filter_by_subject(self, queryset: QuerySet[Article], subject) -> QuerySet[Article]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Article]:
        self.subject = self.get_subject()
        return self.filter_by_subject(super().get_queryset(), self.subject)

    def get_context_data(self, **kwargs) -> dict:
        slug = {"slug": self.subject.slug}
        return super().get_context_data(
            subject=self.subject,
            kind=self.kind,
            feed_url=reverse(self.feed_name, kwargs=slug),
            atom_feed_url=reverse(f"{self.feed_name}_atom", kwargs=slug),
            **kwargs,
        )


class TopicView(StoryListView):
    model = Topic
    kind = "Topic"
    feed_name = "articles:topic_feed"

    def filter_by_subject(self, queryset, subject):
        return queryset.filter(topic_links__tag=subject)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        # A topic only unpublished stories use is nobody's business yet: no page.
        if not context["page_obj"].object_list:
            raise Http404("No published stories on this topic.")
        return context


class SourceView(StoryListView):
    model = Source
    kind = "Source"
    feed_name = "articles:source_feed"

    def filter_by_subject(self, queryset, subject):
        return queryset.filter(source=subject)


class SectionView(StoryListView):
    model = Section
    kind = "Section"
    feed_name = "articles:section_feed"

    def filter_by_subject(self, queryset, subject):
        return queryset.filter(section=subject)


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
