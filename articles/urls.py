from django.urls import path

from articles import views
from newsroom.page_cache import cached_public_page as cached

app_name = "articles"

urlpatterns = [
    path("", cached(views.HomeView.as_view()), name="home"),
    path("articles/<int:pk>/", cached(views.ArticleRedirectView.as_view()), name="short"),
    path(
        "articles/<int:pk>/<uslug:slug>/",
        cached(views.ArticleDetailView.as_view()),
        name="detail",
    ),
    path("topics/<uslug:slug>/", cached(views.TopicView.as_view()), name="topic"),
    path("sources/<slug:slug>/", cached(views.SourceView.as_view()), name="source"),
    path("sections/<slug:slug>/", cached(views.SectionView.as_view()), name="section"),
    path("authors/<int:pk>/", cached(views.AuthorView.as_view()), name="author"),
]
