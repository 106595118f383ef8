from django.contrib.sitemaps.views import sitemap
from django.urls import path

from articles import feeds, views
from articles.sitemaps import SITEMAPS, NewsSitemap
from frontcache import keys
from frontcache.decorators import cache_in_front as cached

# Sitemaps list addresses and their last change: any story's change may move them.
SITEMAP_KEYS = (
    keys.LATEST,
    keys.UPDATES,
    keys.every("topic"),
    keys.every("source"),
    keys.every("section"),
)

app_name = "articles"

urlpatterns = [
    path("", cached(views.HomeView.as_view()), name="home"),
    path("feed/", cached(feeds.LatestStoriesFeed()), name="feed"),
    path("feed/atom/", cached(feeds.LatestStoriesAtomFeed()), name="feed_atom"),
    path("articles/<int:pk>/", cached(views.ArticleRedirectView.as_view()), name="short"),
    path(
        "articles/<int:pk>/<uslug:slug>/",
        cached(views.ArticleDetailView.as_view()),
        name="detail",
    ),
    path("topics/<uslug:slug>/", cached(views.TopicView.as_view()), name="topic"),
    path("topics/<uslug:slug>/feed/", cached(feeds.TopicFeed()), name="topic_feed"),
    path("topics/<uslug:slug>/feed/atom/", cached(feeds.TopicAtomFeed()), name="topic_feed_atom"),
    path("sources/<slug:slug>/", cached(views.SourceView.as_view()), name="source"),
    path("sources/<slug:slug>/feed/", cached(feeds.SourceFeed()), name="source_feed"),
    path("sources/<slug:slug>/feed/atom/", cached(feeds.SourceAtomFeed()), name="source_feed_atom"),
    path("sections/<slug:slug>/", cached(views.SectionView.as_view()), name="section"),
    path("sections/<slug:slug>/feed/", cached(feeds.SectionFeed()), name="section_feed"),
    path(
        "sections/<slug:slug>/feed/atom/",
        cached(feeds.SectionAtomFeed()),
        name="section_feed_atom",
    ),
    path("authors/<int:pk>/", cached(views.AuthorView.as_view()), name="author"),
    path("authors/<int:pk>/feed/", cached(feeds.AuthorFeed()), name="author_feed"),
    path("authors/<int:pk>/feed/atom/", cached(feeds.AuthorAtomFeed()), name="author_feed_atom"),
    path("sitemap.xml", cached(views.sitemap_index, keys=SITEMAP_KEYS), name="sitemap_index"),
    # Before the section pattern, which "news" would match too.
    path(
        "sitemap-news.xml",
        cached(sitemap, keys=SITEMAP_KEYS),
        {"sitemaps": {"news": NewsSitemap}, "template_name": "articles/sitemap_news.xml"},
        name="sitemap_news",
    ),
    path(
        "sitemap-<slug:section>.xml",
        cached(sitemap, keys=SITEMAP_KEYS),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("search/", cached(views.SearchView.as_view()), name="search"),
    # Never through the front cache: previews are private and must stop working at once.
    path("preview/<str:token>/", views.shared_preview, name="shared_preview"),
]
