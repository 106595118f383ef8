"""The reader's pages: home, article, and the stories of a topic, source or section."""

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView, RedirectView

from articles.models import Article, Section
from sources.models import Source
from topics.models import Topic


class PublishedArticlesMixin:
    """Start every public page from the published stories, fetched for listing."""

    def get_queryset(self) -> QuerySet[Article]:
        return Article.objects.published().for_listing().latest_first()


class HomeView(PublishedArticlesMixin, ListView):
    template_name = "articles/home.html"
    context_object_name = "articles"
    paginate_by = settings.NEWSROOM_PAGE_SIZE


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


class StoryListView(PublishedArticlesMixin, ListView):
    """The stories of one topic, source or section, newest first."""

    template_name = "articles/story_list.html"
    context_object_name = "articles"
    paginate_by = settings.NEWSROOM_PAGE_SIZE
    model = None  # The subject's model, set by subclasses.
    kind = ""

    def get_subject(self):
        return get_object_or_404(self.model, slug=self.kwargs["slug"])

    def filter_by_subject(self, queryset: QuerySet[Article], subject) -> QuerySet[Article]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Article]:
        self.subject = self.get_subject()
        return self.filter_by_subject(super().get_queryset(), self.subject)

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(subject=self.subject, kind=self.kind, **kwargs)


class TopicView(StoryListView):
    model = Topic
    kind = "Topic"
    # A topic only drafts use is nobody's business yet: its page does not exist.
    allow_empty = False

    def filter_by_subject(self, queryset, subject):
        return queryset.filter(topic_links__tag=subject)


class SourceView(StoryListView):
    model = Source
    kind = "Source"

    def filter_by_subject(self, queryset, subject):
        return queryset.filter(source=subject)


class SectionView(StoryListView):
    model = Section
    kind = "Section"

    def filter_by_subject(self, queryset, subject):
        return queryset.filter(section=subject)
