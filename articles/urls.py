from django.contrib.sitemaps.views import sitemap
from django.urls import path

from articles import feeds, views
from articles.sitemaps import SITEMAPS, NewsSitemap

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("feed/", feeds.LatestStoriesFeed(), name="feed"),
    path("feed/atom/", feeds.LatestStoriesAtomFeed(), name="feed_atom"),
    path("articles/<int:pk>/", views.ArticleRedirectView.as_view(), name="short"),
    path("articles/<int:pk>/<uslug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("topics/<uslug:slug>/", views.TopicView.as_view(), name="topic"),
    path("topics/<uslug:slug>/feed/", feeds.TopicFeed(), name="topic_feed"),
    path("topics/<uslug:slug>/feed/atom/", feeds.TopicAtomFeed(), name="topic_feed_atom"),
    path("sources/<slug:slug>/", views.SourceView.as_view(), name="source"),
    path("sources/<slug:slug>/feed/", feeds.SourceFeed(), name="source_feed"),
    path("sources/<slug:slug>/feed/atom/", feeds.SourceAtomFeed(), name="source_feed_atom"),
    path("sections/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("sections/<slug:slug>/feed/", feeds.SectionFeed(), name="section_feed"),
    path("sections/<slug:slug>/feed/atom/", feeds.SectionAtomFeed(), name="section_feed_atom"),
    path("sitemap.xml", views.sitemap_index, name="sitemap_index"),
    # Before the section pattern, which "news" would match too.
    path(
        "sitemap-news.xml",
        sitemap,
        {"sitemaps": {"news": NewsSitemap}, "template_name": "articles/sitemap_news.xml"},
        name="sitemap_news",
    ),
    path("sitemap-<slug:section>.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
