"""One edition of the site per language, and translations linked as one piece of news."""

import json
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.encoding import iri_to_uri

from accounts.models import Preferences
from articles import workflow
from articles.models import Article
from tests.articles.admin_forms import article_form, change_url
from tests.factories import ArticleFactory, SectionFactory, UserFactory, hidden_articles

pytestmark = pytest.mark.django_db

HREFLANG = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')


@pytest.fixture
def english():
    return ArticleFactory(
        published=True, headline="Grain ships leave Odesa", topics=["Grain exports"]
    )


@pytest.fixture
def ukrainian(english, editor):
    """The Ukrainian edition of `english`, translated and published."""
    draft = workflow.translate(english, editor, "uk")
    draft.headline = "Судна із зерном вийшли з Одеси"
    draft.save()
    workflow.publish(draft, editor)
    draft.refresh_from_db()
    return draft


def hreflangs(response) -> dict[str, str]:
    return dict(HREFLANG.findall(response.content.decode()))


def absolute(article: Article) -> str:
    return settings.SITE_URL + article.get_absolute_url()


# --- Each edition shows its own language's stories ------------------------------------


def test_the_default_language_keeps_todays_addresses_and_others_have_a_prefix(english):
    uk_story = ArticleFactory(published=True, language="uk", headline="Новини з Києва")
    assert english.get_absolute_url() == f"/articles/{english.pk}/{english.slug}/"
    assert uk_story.get_absolute_url() == iri_to_uri(f"/uk/articles/{uk_story.pk}/{uk_story.slug}/")


@pytest.mark.parametrize(
    "page",
    ["articles:home", "articles:feed", "articles:feed_atom", "articles:sitemap_news"],
)
def test_each_edition_lists_its_own_languages_published_stories_only(client, page):
    ArticleFactory(published=True, headline="Council meets in Strasbourg")
    ArticleFactory(published=True, language="uk", headline="Рада збирається у Страсбурзі")
    hidden_articles(language="uk")
    english = client.get(reverse(page)).content.decode()
    with_prefix = client.get("/uk" + reverse(page)).content.decode()
    assert "Council meets in Strasbourg" in english
    assert "Рада збирається у Страсбурзі" not in english
    assert "Рада збирається у Страсбурзі" in with_prefix
    assert "Council meets in Strasbourg" not in with_prefix
    for hidden in ("Draft story", "Scheduled story", "Unpublished story", "Deleted story"):
        assert hidden not in with_prefix


def test_section_and_source_pages_exist_in_every_edition(client):
    section = SectionFactory(slug="war", name="War")
    story = ArticleFactory(published=True, language="uk", section=section, headline="Фронт")
    assert "Фронт" in client.get("/uk/sections/war/").content.decode()
    assert "Фронт" not in client.get("/sections/war/").content.decode()
    source_page = f"/uk/sources/{story.source.slug}/"
    assert "Фронт" in client.get(source_page).content.decode()


def test_feeds_and_news_sitemap_say_their_language(client):
    ArticleFactory(published=True, language="uk", headline="Новини")
    assert "<language>uk</language>" in client.get("/uk/feed/").content.decode()
    assert "<language>en</language>" in client.get("/feed/").content.decode()
    assert 'xml:lang="uk"' in client.get("/uk/feed/atom/").content.decode()
    news = client.get("/uk/sitemap-news.xml").content.decode()
    assert "<news:language>uk</news:language>" in news


def test_a_story_asked_for_in_another_edition_is_sent_to_its_own(client, english):
    story = ArticleFactory(published=True, language="uk", headline="Новини з Києва")
    response = client.get(f"/articles/{story.pk}/{story.slug}/")
    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()
    assert client.get(f"/uk/articles/{english.pk}/{english.slug}/")["Location"] == (
        english.get_absolute_url()
    )
    assert client.get(f"/articles/{story.pk}/")["Location"] == story.get_absolute_url()


def test_a_ukrainian_page_says_its_language_everywhere(client, ukrainian):
    response = client.get(ukrainian.get_absolute_url())
    html = response.content.decode()
    assert '<html lang="uk">' in html
    assert '<meta property="og:locale" content="uk_UA">' in html
    assert '<meta property="og:locale:alternate" content="en_GB">' in html
    data = json.loads(re.search(r'ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["inLanguage"] == "uk"
    assert response["Content-Language"] == "uk"


def test_public_pages_do_not_vary_on_the_browsers_language(client, english):
    for path in ("/", english.get_absolute_url(), "/uk/"):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="uk,en;q=0.5")
        assert "accept-language" not in response.get("Vary", "").lower(), path
    # The default language's pages stay in it whatever the browser prefers.
    assert '<html lang="en">' in client.get("/", HTTP_ACCEPT_LANGUAGE="uk").content.decode()


def test_robots_txt_names_each_editions_sitemap(client):
    text = client.get("/robots.txt").content.decode()
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in text
    assert f"Sitemap: {settings.SITE_URL}/uk/sitemap.xml" in text


def test_a_pages_queries_do_not_depend_on_its_language(client, ukrainian):
    section = SectionFactory(slug="world")
    for language in ("en", "uk"):
        ArticleFactory.create_batch(3, published=True, language=language, section=section)
    counts = {}
    for prefix in ("", "/uk"):
        for page in ("/", "/sections/world/", "/feed/"):
            client.get(prefix + page)  # Warm per-process caches (navigation).
            with CaptureQueriesContext(connection) as queries:
                assert client.get(prefix + page).status_code == 200
            counts[prefix + page] = len(queries)
    assert counts["/"] == counts["/uk/"]
    assert counts["/sections/world/"] == counts["/uk/sections/world/"]
    assert counts["/feed/"] == counts["/uk/feed/"]


# --- hreflang: reciprocal, published editions only -------------------------------------


def test_editions_link_each_other_with_hreflang_and_x_default(client, english, ukrainian):
    on_english = hreflangs(client.get(english.get_absolute_url()))
    on_ukrainian = hreflangs(client.get(ukrainian.get_absolute_url()))
    expected = {"en": absolute(english), "uk": absolute(ukrainian), "x-default": absolute(english)}
    assert on_english == expected
    assert on_ukrainian == expected


def test_an_unpublished_translation_appears_nowhere(client, english, editor):
    draft = workflow.translate(english, editor, "uk")
    draft.headline = "Чернетка перекладу"
    draft.save()
    assert hreflangs(client.get(english.get_absolute_url())) == {}
    sitemap = client.get("/sitemap-articles.xml").content.decode()
    assert "/uk/" not in sitemap
    for page in ("/uk/", "/uk/feed/", "/uk/sitemap-articles.xml", "/uk/sitemap-news.xml"):
        assert "Чернетка перекладу" not in client.get(page).content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_the_sitemaps_link_published_editions(client, english, ukrainian):
    english_map = client.get("/sitemap-articles.xml").content.decode()
    ukrainian_map = client.get("/uk/sitemap-articles.xml").content.decode()
    link = '<xhtml:link rel="alternate" hreflang="{}" href="{}"'
    for sitemap in (english_map, ukrainian_map):
        assert link.format("uk", absolute(ukrainian)) in sitemap
        assert link.format("en", absolute(english)) in sitemap
        assert link.format("x-default", absolute(english)) in sitemap
    assert f"<loc>{absolute(english)}</loc>" in english_map
    assert f"<loc>{absolute(ukrainian)}</loc>" not in english_map
    assert f"<loc>{absolute(ukrainian)}</loc>" in ukrainian_map
    index = client.get("/uk/sitemap.xml").content.decode()
    assert f"{settings.SITE_URL}/uk/sitemap-articles.xml" in index


def test_unpublishing_one_edition_leaves_the_other(client, english, ukrainian, editor):
    workflow.unpublish(english, editor)
    assert client.get(ukrainian.get_absolute_url()).status_code == 200
    assert hreflangs(client.get(ukrainian.get_absolute_url())) == {}
    workflow.delete(ukrainian, editor)
    english.refresh_from_db()
    assert english.status == Article.Status.UNPUBLISHED
    assert Article.objects.get(pk=ukrainian.pk).translation_of_id == english.pk


def test_home_and_section_pages_link_every_edition(client):
    SectionFactory(slug="war")
    links = hreflangs(client.get("/sections/war/"))
    assert links == {
        "en": f"{settings.SITE_URL}/sections/war/",
        "uk": f"{settings.SITE_URL}/uk/sections/war/",
        "x-default": f"{settings.SITE_URL}/sections/war/",
    }
    assert hreflangs(client.get("/uk/"))["uk"] == f"{settings.SITE_URL}/uk/"


# --- Translating in the admin ----------------------------------------------------------


def translate_url(article: Article) -> str:
    return reverse("admin:articles_article_translate", args=[article.pk])


def test_translate_starts_a_linked_draft_by_the_translator(client, english, reporter):
    client.force_login(reporter)
    response = client.post(translate_url(english), {"language": "uk"})
    draft = Article.objects.get(translation_of=english)
    assert response["Location"] == change_url(draft)
    assert (draft.language, draft.status, draft.headline) == ("uk", "draft", english.headline)
    assert list(draft.authors.all()) == [reporter]
    assert draft.created_by == reporter
    assert draft.translated_from_revision == english.text_revision
    assert set(draft.topics.names()) == {"Grain exports"}
    assert draft.transitions.get().action == "created"
    # Its own workflow: the original is untouched.
    english.refresh_from_db()
    assert english.status == Article.Status.PUBLISHED


def test_a_translation_of_a_translation_belongs_to_the_original(english, ukrainian, editor):
    settings.LANGUAGES = [*settings.LANGUAGES, ("de", "Deutsch")]
    try:
        german = workflow.translate(ukrainian, editor, "de")
    finally:
        settings.LANGUAGES = settings.LANGUAGES[:-1]
    assert german.translation_of == english


@pytest.mark.parametrize("language", ["en", "uk", "xx", ""])
def test_translate_refuses_a_language_taken_or_unknown(
    client, english, ukrainian, editor, language
):
    client.force_login(editor)
    before = Article.objects.count()
    response = client.post(translate_url(english), {"language": language}, follow=True)
    assert Article.objects.count() == before
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_translate_is_refused_to_who_may_not_read_the_story(client, reporter):
    someone_elses_draft = ArticleFactory(headline="Not yours")
    client.force_login(reporter)
    assert client.post(translate_url(someone_elses_draft), {"language": "uk"}).status_code == 403
    assert not Article.objects.filter(translation_of=someone_elses_draft).exists()
    assert client.get(translate_url(someone_elses_draft)).status_code == 405


def test_the_form_refuses_a_language_another_edition_has(client, english, ukrainian, editor):
    client.force_login(editor)
    response = client.post(change_url(ukrainian), article_form(ukrainian, language="en"))
    assert response.status_code == 200
    assert "already has an edition" in response.content.decode()
    ukrainian.refresh_from_db()
    assert ukrainian.language == "uk"


# --- Out of date -----------------------------------------------------------------------


def test_a_translation_is_out_of_date_once_the_original_text_changes(english, ukrainian, editor):
    assert not ukrainian.translation_is_outdated()
    english.refresh_from_db()
    english.dateline = "Odesa"  # Not the text translations are made from.
    workflow.save(english, editor)
    assert not Article.objects.get(pk=ukrainian.pk).translation_is_outdated()
    english.refresh_from_db()
    english.body = "<p>Three ships left port this morning.</p>"
    workflow.save(english, editor)
    assert Article.objects.get(pk=ukrainian.pk).translation_is_outdated()
    workflow.mark_translation_current(ukrainian, editor)
    assert not Article.objects.get(pk=ukrainian.pk).translation_is_outdated()


def test_a_correction_puts_translations_out_of_date(english, ukrainian, editor):
    workflow.add_correction(english, editor, "The ships left on Tuesday, not Monday.")
    assert Article.objects.get(pk=ukrainian.pk).translation_is_outdated()


def test_the_desk_flags_and_filters_translations_out_of_date(client, english, ukrainian, editor):
    english.refresh_from_db()
    english.headline = "Four grain ships leave Odesa"
    workflow.save(english, editor)
    client.force_login(editor)
    changelist = reverse("admin:articles_article_changelist")
    outdated = client.get(changelist, {"language": "outdated"})
    assert [a.pk for a in outdated.context["cl"].result_list] == [ukrainian.pk]
    assert "out of date" in outdated.content.decode()
    form = client.get(change_url(ukrainian)).content.decode()
    assert "The original changed after this translation was made" in form
    assert reverse("admin:articles_article_mark_current", args=[ukrainian.pk]) in form
    client.post(reverse("admin:articles_article_mark_current", args=[ukrainian.pk]))
    assert not client.get(changelist, {"language": "outdated"}).context["cl"].result_list


def test_marking_current_survives_a_save_from_a_form_opened_before(client, english, ukrainian):
    editor = UserFactory(username="editor-3", groups=["Editors"])
    english.refresh_from_db()
    english.headline = "Four grain ships leave Odesa"
    workflow.save(english, editor)
    opened = article_form(ukrainian, headline="Чотири судна із зерном вийшли з Одеси")
    workflow.mark_translation_current(ukrainian, editor)
    client.force_login(editor)
    assert client.post(change_url(ukrainian), opened).status_code == 302
    saved = Article.objects.get(pk=ukrainian.pk)
    assert saved.headline.startswith("Чотири")
    assert not saved.translation_is_outdated()


def test_the_desk_list_of_stories_by_language(client, english, ukrainian, editor):
    client.force_login(editor)
    changelist = reverse("admin:articles_article_changelist")
    shown = client.get(changelist, {"language": "uk"}).context["cl"].result_list
    assert [a.pk for a in shown] == [ukrainian.pk]


# --- The admin in each person's language -----------------------------------------------


def test_a_user_whose_language_is_ukrainian_sees_the_admin_in_ukrainian(client, editor):
    Preferences.objects.create(user=editor, language="uk")
    client.force_login(editor)
    html = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="uk"' in html
    assert "Вийти" in html  # Django's own "Log out"


def test_the_admin_follows_the_browser_until_a_language_is_chosen(client, editor):
    client.force_login(editor)
    index = reverse("admin:index")
    assert '<html lang="uk"' in client.get(index, HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    # The API and the default edition do not.
    assert '<html lang="en"' in client.get("/", HTTP_ACCEPT_LANGUAGE="uk").content.decode()


def test_staff_choose_their_admin_language(client, editor):
    client.force_login(editor)
    assert '<html lang="en"' in client.get(reverse("admin:index")).content.decode()
    response = client.post(reverse("admin:language"), {"language": "uk"})
    assert response.status_code == 302
    assert Preferences.objects.get(user=editor).language == "uk"
    assert '<html lang="uk"' in client.get(reverse("admin:index")).content.decode()
    # Whatever the admin speaks, the public site's language is its address's.
    assert '<html lang="en"' in client.get("/").content.decode()
    client.post(reverse("admin:language"), {"language": "xx"})
    assert Preferences.objects.get(user=editor).language == "uk"


def test_publishing_or_taking_down_a_translation_purges_the_other_editions(
    english, editor, django_capture_on_commit_callbacks, front_cache
):
    draft = workflow.translate(english, editor, "uk")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(draft, editor)
    [purged] = front_cache.purged
    assert {f"story-{draft.pk}", f"story-{english.pk}"} <= purged
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(draft, editor)
    assert f"story-{english.pk}" in front_cache.purged[-1]
