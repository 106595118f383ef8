"""The reader's pages: home, article, and the stories of a topic, source or section."""

from django.conf import settings
from django.core.paginator import InvalidPage
from django.db.models import QuerySet
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.views.generic import DetailView, ListView, RedirectView

from articles.forms import SearchForm
from articles.models import Article, Section
from articles.pagination import paginate_stories
from articles.search import find_stories, highlight
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

    def filter_by_subject(self, queryset, subject):
        return queryset.filter(source=subject)


class SectionView(StoryListView):
    model = Section
    kind = "Section"

    def filter_by_subject(self, queryset, subject):
        return queryset.filter(section=subject)


class SearchView(PublishedArticlesMixin, StoryPagesMixin, ListView):
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

    def get_queryset(self) -> QuerySet[Article]:
        if not self.searching:
            return super().get_queryset().none()
        return find_stories(super().get_queryset(), **self.form.cleaned_data)

    def get_paginate_by(self, queryset) -> int | None:
        return self.paginate_by if self.searching else None

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(form=self.form, searching=self.searching, **kwargs)
        if self.searching:
            highlight(context["articles"], self.form.cleaned_data["q"])
        return context
