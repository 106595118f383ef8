"""The reader's pages: what they show, what they hide, and what they cost."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction
from tests.factories import (
    ArticleFactory,
    SectionFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
    hidden_articles,
)

pytestmark = pytest.mark.django_db


# --- Home -------------------------------------------------------------------------


def test_home_lists_published_stories_newest_first(client):
    older = ArticleFactory(published=True, headline="Older story")
    newer = ArticleFactory(
        status=Article.Status.PUBLISHED,
        publish_at=timezone.now() - timedelta(minutes=1),
        headline="Newer story",
    )
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["lead"] == newer
    assert list(response.context["articles"]) == [older]


def test_home_shows_no_unpublished_story(client):
    hidden_articles()
    ArticleFactory(published=True, headline="Public story")
    content = client.get("/").content.decode()
    assert "Public story" in content
    for headline in ("Draft story", "Story in review", "Scheduled story", "Unpublished story"):
        assert headline not in content


def test_home_shows_byline_source_section_and_topics(client):
    ArticleFactory(
        published=True,
        source=SourceFactory(name="Ukrinform", slug="ukrinform"),
        section=SectionFactory(name="War", slug="war"),
        topics=["Council of Europe"],
    )
    content = client.get("/").content.decode()
    assert 'href="/sources/ukrinform/"' in content
    assert 'href="/sections/war/"' in content
    assert 'href="/topics/council-of-europe/"' in content


def test_home_query_count_does_not_grow_with_stories_authors_or_topics(
    client, django_assert_num_queries
):
    for n in range(25):
        ArticleFactory(
            published=True,
            authors=UserFactory.create_batch(2),
            topics=[f"Topic {n}", f"Theme {n}", "Shared"],
        )
    # pins, latest, navigation, section blocks, bylines, topics; no COUNT
    with django_assert_num_queries(6):
        assert client.get("/").status_code == 200
    # pins, latest, bylines, topics (the navigation comes from the cache now)
    with django_assert_num_queries(4):
        assert client.get("/?page=2").status_code == 200


def test_home_page_number_out_of_range_is_404(client):
    ArticleFactory(published=True)
    assert client.get("/?page=99999999999999999999").status_code == 404


@pytest.mark.parametrize("page", ["abc", "last", "-1", "0", "1.5", "%00", "9" * 400, "101"])
def test_home_bad_page_number_is_404_not_500(client, page):
    ArticleFactory(published=True)
    assert client.get("/", {"page": page}).status_code == 404


def test_home_declares_its_canonical_url(client):
    content = client.get("/").content.decode()
    assert '<link rel="canonical" href="http://127.0.0.1:8000/">' in content


def test_home_without_stories_says_so(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "No stories have been published yet." in response.content.decode()


# --- Article ------------------------------------------------------------------------


def test_article_page_shows_the_story(client):
    article = ArticleFactory(
        published=True,
        headline="Ministry comments on convention",
        standfirst="The lead.",
        dateline="Kyiv",
        source=SourceFactory(name="Ukrinform", slug="ukrinform", attribution="Ukrinform reports"),
        source_url="https://www.ukrinform.net/rubric-polytics/1-story.html",
        authors=[UserFactory(first_name="Olena", last_name="Kovalenko")],
        topics=["Torture"],
    )
    response = client.get(article.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Ministry comments on convention</h1>" in content
    assert "Olena Kovalenko" in content
    assert "KYIV" in content
    assert ">Ukrinform reports</a>" in content
    assert 'href="https://www.ukrinform.net/rubric-polytics/1-story.html"' in content
    published = timezone.localtime(article.publish_at).replace(microsecond=0)
    assert f'<time datetime="{published.isoformat()}">' in content
    assert f'<link rel="canonical" href="http://127.0.0.1:8000{article.get_absolute_url()}">' in (
        content
    )


def test_article_url_carries_id_and_slug(published_article):
    assert published_article.get_absolute_url() == (
        f"/articles/{published_article.pk}/{published_article.slug}/"
    )


def test_article_with_stale_slug_redirects_permanently_to_canonical_url(client):
    article = ArticleFactory(published=True, headline="First headline")
    old_url = article.get_absolute_url()
    article.headline = "Better headline"
    article.slug = ""
    article.save()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == f"/articles/{article.pk}/better-headline/"


def test_article_id_alone_redirects_permanently_to_canonical_url(client, published_article):
    response = client.get(f"/articles/{published_article.pk}/")
    assert response.status_code == 301
    assert response["Location"] == published_article.get_absolute_url()


@pytest.mark.parametrize("state", range(8))
def test_article_not_public_answers_404_under_every_url(client, state):
    article = hidden_articles()[state]
    assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get(f"/articles/{article.pk}/").status_code == 404
    assert client.get(f"/articles/{article.pk}/other-slug/").status_code == 404


def test_unknown_article_is_404(client):
    assert client.get("/articles/987654321/no-such-story/").status_code == 404
    assert client.get("/articles/99999999999999999999999/x/").status_code == 404


def test_article_page_queries_are_fixed_whatever_authors_and_topics(
    client, django_assert_num_queries
):
    article = ArticleFactory(
        published=True,
        authors=UserFactory.create_batch(4),
        topics=[f"Topic {n}" for n in range(10)],
    )
    # Related stories and a published translation (its hreflang links) cost nothing more.
    ArticleFactory.create_batch(4, published=True, topics=["Topic 0", "Topic 1"])
    ArticleFactory(published=True, language="uk", translation_of=article)
    # article with source and section, bylines, topics, related, navigation
    with django_assert_num_queries(5):
        assert client.get(article.get_absolute_url()).status_code == 200
    # Again, with the navigation in the cache: the story, its bylines, topics and
    # related stories. Nothing else is kept: the front cache keeps whole pages.
    with django_assert_num_queries(4):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_a_corrected_story_costs_one_query_more(client, django_assert_num_queries):
    article = ArticleFactory(published=True, topics=["Energy"])
    Correction.objects.create(article=article, note="Fixed the date.")
    Correction.objects.create(article=article, note="Fixed a name.")
    # the 5 of any story, and its corrections
    with django_assert_num_queries(6):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_article_body_markup_is_rendered_and_headline_is_escaped(client):
    article = ArticleFactory(
        published=True,
        headline='Quote "here" <script>alert(1)</script>',
        body="<p>First <strong>paragraph</strong></p>",
    )
    content = client.get(article.get_absolute_url()).content.decode()
    assert "<p>First <strong>paragraph</strong></p>" in content
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;" in content


# --- Topic, source and section pages -------------------------------------------------


def test_topic_page_lists_its_published_stories_only(client):
    topic = TopicFactory(name="Prisoners of war")
    public = ArticleFactory(published=True, topics=[topic], headline="Exchange completed")
    ArticleFactory(published=True, headline="Unrelated story")
    hidden_articles(topics=[topic])
    response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    assert list(response.context["articles"]) == [public]
    assert "<h1>Prisoners of war</h1>" in response.content.decode()


def test_topic_used_only_by_unpublished_stories_has_no_page(client):
    topic = TopicFactory(name="Embargoed subject")
    hidden_articles(topics=[topic])
    assert client.get(topic.get_absolute_url()).status_code == 404


def test_cyrillic_topic_has_a_working_page(client):
    article = ArticleFactory(published=True, topics=["Вишиванка"])
    topic = article.topics.get()
    url = "/topics/%D0%B2%D0%B8%D1%88%D0%B8%D0%B2%D0%B0%D0%BD%D0%BA%D0%B0/"
    assert topic.get_absolute_url() == url
    response = client.get(url)
    assert response.status_code == 200
    assert "Вишиванка" in response.content.decode()


def test_source_page_lists_its_published_stories_only(client):
    source = SourceFactory(name="Council of Europe", slug="council-of-europe")
    public = ArticleFactory(published=True, source=source)
    ArticleFactory(published=True)
    hidden_articles(source=source)
    response = client.get("/sources/council-of-europe/")
    assert response.status_code == 200
    assert list(response.context["articles"]) == [public]


def test_source_without_published_stories_still_has_a_page(client):
    SourceFactory(name="Ministry", slug="ministry")
    response = client.get("/sources/ministry/")
    assert response.status_code == 200
    assert "No stories published here yet." in response.content.decode()


def test_section_page_lists_its_published_stories_only(client):
    section = SectionFactory(name="Economy", slug="economy")
    public = ArticleFactory(published=True, section=section)
    hidden_articles(section=section)
    response = client.get("/sections/economy/")
    assert list(response.context["articles"]) == [public]


@pytest.mark.parametrize(
    "url",
    [
        "/topics/no-such-topic/",
        "/sources/no-such-source/",
        "/sections/no-such-section/",
        "/sources/%E2%80%AE/",
        "/topics/%FF%FE/",
    ],
)
def test_unknown_or_malformed_subject_is_404(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("kind", ["topic", "source", "section"])
def test_listing_query_count_does_not_grow_with_page_size(client, django_assert_num_queries, kind):
    topic, source, section = TopicFactory(), SourceFactory(), SectionFactory()
    for _ in range(25):
        ArticleFactory(
            published=True,
            topics=[topic, TopicFactory()],
            source=source,
            section=section,
            authors=UserFactory.create_batch(2),
        )
    url = {"topic": topic, "source": source, "section": section}[kind].get_absolute_url()
    # subject, stories with source and section, bylines, topics, navigation (+ section pins)
    with django_assert_num_queries(6 if kind == "section" else 5):
        assert client.get(url).status_code == 200
    # Page 2: the navigation comes from the cache (a section's pins are left out of every page).
    with django_assert_num_queries(5 if kind == "section" else 4):
        assert client.get(url + "?page=2").status_code == 200


# --- Errors and plumbing ---------------------------------------------------------------


def test_404_page_is_site_styled(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Page not found" in content
    assert 'class="site-header"' in content


def test_500_page_renders_without_a_request_context():
    from django.template.loader import render_to_string

    assert "Something went wrong" in render_to_string("500.html")


def test_reverse_names_are_namespaced():
    assert reverse("articles:home") == "/"


# --- Hostile and odd input -------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/%FF%FE/",
        "/articles/%C0%AF/",
        "/topics/%ED%A0%80/",
        "/?page=%FF",
        "/?page=1&page=2",
        "/sections/" + "a" * 5000 + "/",
        "/authors/abc/",
        "/authors/99999999999999999999999/",
        "/articles/1/../../etc/passwd",
    ],
)
def test_odd_urls_never_answer_500(client, published_article, path):
    assert client.get(path).status_code in (200, 301, 404)


def navigation(response) -> str:
    html = response.content.decode()
    return html[html.index('<nav aria-label="Sections">') : html.index("</nav>")]


def test_the_navigation_marks_the_current_section_and_shows_a_change_at_once(client):
    economy, culture = SectionFactory(name="Economy"), SectionFactory(name="Culture")
    on_economy = navigation(client.get(economy.get_absolute_url()))
    assert f'<a href="{economy.get_absolute_url()}" aria-current="page">Economy</a>' in on_economy
    assert f'<a href="{culture.get_absolute_url()}">Culture</a>' in on_economy
    assert "aria-current" not in navigation(client.get("/"))
    assert "aria-current" not in navigation(client.get(SourceFactory().get_absolute_url()))
    culture.name = "Arts"
    culture.save()
    assert ">Arts</a>" in navigation(client.get("/"))
    assert ">Arts</a>" in navigation(client.get(economy.get_absolute_url()))


def test_a_topic_source_or_section_change_shows_at_once(
    client, moderator, django_capture_on_commit_callbacks
):
    from moderation import actions

    topic, source, section = (
        TopicFactory(name="Grain"),
        SourceFactory(name="Wire One"),
        SectionFactory(),
    )
    ArticleFactory(published=True, topics=[topic], source=source, section=section)
    for subject in (topic, source, section):
        assert client.get(subject.get_absolute_url()).status_code == 200
    source.name = "Wire Two"
    source.save()
    assert "<h1>Wire Two</h1>" in client.get(source.get_absolute_url()).content.decode()
    closed = SectionFactory(name="Closed desk")
    closed_url = closed.get_absolute_url()
    assert client.get(closed_url).status_code == 200
    closed.delete()
    assert client.get(closed_url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        actions.reject(moderator, [topic])
    assert client.get(topic.get_absolute_url()).status_code == 404
