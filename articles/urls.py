from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("articles/<int:pk>/", views.ArticleRedirectView.as_view(), name="short"),
    path("articles/<int:pk>/<uslug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("topics/<uslug:slug>/", views.TopicView.as_view(), name="topic"),
    path("sources/<slug:slug>/", views.SourceView.as_view(), name="source"),
    path("sections/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("search/", views.SearchView.as_view(), name="search"),
]
