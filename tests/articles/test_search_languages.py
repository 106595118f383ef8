"""Search in each language: Ukrainian by lemmas, each edition its own stories, odd input."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings
from django.utils import translation

from articles.models import Article
from articles.search import find_stories, highlight
from articles.textsearch import lemma_query, lemma_vector
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def default_language():
    """Leave the default language active: a request to /uk/ activates Ukrainian."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def published(**kwargs) -> Article:
    return ArticleFactory(published=True, **kwargs)


def ukrainian(**kwargs) -> Article:
    kwargs.setdefault("standfirst", "Подробиці згодом.")
    kwargs.setdefault("body", "<p>Новина оновлюється.</p>")
    return published(language="uk", **kwargs)


def found(text: str, language: str = "uk") -> list[Article]:
    return list(find_stories(Article.objects.published(), q=text, language=language))


def stored_vector(article: Article) -> str:
    return Article.objects.values_list("search_vector", flat=True).get(pk=article.pk)


# --- Ukrainian words in every form ----------------------------------------------------


def test_a_place_name_finds_its_other_cases():
    in_kyiv = ukrainian(headline="Зустріч у Києві")
    of_kyiv = ukrainian(headline="Мер Києва виступив")
    ukrainian(headline="Новини Львова")
    assert set(found("Київ")) == {in_kyiv, of_kyiv}
    assert set(found("Києві")) == {in_kyiv, of_kyiv}


def test_an_adjective_finds_its_other_genders_and_cases():
    story = ukrainian(headline="Делегація українських аграріїв")
    assert found("український") == [story]
    assert found("українська") == [story]


def test_a_verb_finds_its_other_tenses_and_persons():
    story = ukrainian(headline="Міністр заявила про нові правила")
    assert found("заявив") == [story]
    assert found("заявити") == [story]


def test_a_quoted_phrase_keeps_its_words_in_order_in_any_form():
    phrase = ukrainian(headline="Сили оборони відбили атаку")
    ukrainian(headline="Оборони сили не вистачало")
    assert found('"силами оборони"') == [phrase]


def test_a_phrase_with_a_stop_word_inside_keeps_its_gap():
    story = ukrainian(headline="Посадовці у Києві провели нараду")
    assert found('"посадовці у Києві"') == [story]
    assert found('"посадовці Києві"') == []


def test_words_can_be_left_out_or_offered_as_alternatives():
    kyiv = ukrainian(headline="Спека в Києві")
    lviv = ukrainian(headline="Спека у Львові")
    assert found("спека -Київ") == [lviv]
    assert set(found("Києві or Львові")) == {kyiv, lviv}
    assert set(found("Київ або Львів")) == {kyiv, lviv}


def test_headline_match_outranks_body_only_match():
    in_body = ukrainian(headline="Огляд тижня", body="<p>Дрон збили над Одесою.</p>")
    in_headline = ukrainian(headline="Над Одесою збили дрон")
    assert found("Одеса") == [in_headline, in_body]


def test_ukrainian_lemmas_keep_the_weights_of_headline_standfirst_and_body():
    story = ukrainian(headline="Київ", standfirst="Львів", body="<p>Одеса</p>")
    vector = stored_vector(story)
    assert "'київ':1A" in vector
    assert "'львів':2B" in vector
    assert "'одеса':3C" in vector


def test_html_tags_and_entities_are_not_ukrainian_search_terms():
    ukrainian(body='<p><a href="https://example.com/prykhovane">Посилання</a> &amp; текст</p>')
    assert found("prykhovane") == []
    assert found("amp") == []
    assert len(found("посилання")) == 1


def test_ukrainian_search_uses_the_gin_index():
    for n in range(200):
        ArticleFactory(published=True, language="uk", headline=f"Звичайний брифінг {n}")
    ukrainian(headline="Цепелін над портом")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = find_stories(Article.objects.all(), q="цепеліни", language="uk")[:21].explain()
    assert "article_search_vector_idx" in plan


# --- Lemmas kept with the story -----------------------------------------------------------


def test_saving_a_story_makes_its_lemmas_again():
    story = ukrainian(headline="Повідомлення з Харкова")
    story.headline = "Повідомлення з Дніпра"
    story.save()
    assert found("Дніпро") == [story]
    assert found("Харків") == []


def test_a_story_changed_with_update_keeps_its_lemmas_until_reindexed():
    story = ukrainian(headline="Повідомлення з Харкова")
    Article.objects.filter(pk=story.pk).update(headline="Повідомлення з Дніпра")
    assert found("Дніпро") == []

    call_command("reindex_search", stdout=StringIO())

    assert found("Дніпро") == [story]


def test_a_story_without_lemmas_is_matched_word_for_word():
    story = ukrainian(headline="Повідомлення з Харкова")
    Article.objects.filter(pk=story.pk).update(search_lemmas=None)
    assert found("Харкова") == [story]
    assert found("Харків") == []


def test_reindex_dry_run_counts_and_changes_nothing():
    story = ukrainian(headline="Повідомлення з Харкова")
    Article.objects.filter(pk=story.pk).update(search_lemmas=None)
    out = StringIO()
    call_command("reindex_search", "--dry-run", stdout=out)
    assert "1 stories would be reindexed" in out.getvalue()
    assert Article.objects.values_list("search_lemmas", flat=True).get(pk=story.pk) is None


def test_reindex_refuses_a_language_that_is_not_lemmatised():
    with pytest.raises(CommandError, match="Not lemmatised: en"):
        call_command("reindex_search", "--language", "en", stdout=StringIO())


def test_english_stories_have_no_lemmas():
    story = published(headline="Zeppelin lands")
    assert Article.objects.values_list("search_lemmas", flat=True).get(pk=story.pk) is None


# --- Each edition its own stories ----------------------------------------------------------


def test_english_search_does_not_find_ukrainian_stories():
    english = published(headline="Kyiv council meets", body="<p>Київ</p>")
    ukrainian(headline="Київ: засідання ради Kyiv")
    assert found("Kyiv", "en") == [english]
    assert found("Київ", "en") == [english]


def test_ukrainian_search_does_not_find_english_stories():
    story = ukrainian(headline="Засідання ради у Києві, Kyiv")
    published(headline="Kyiv council meets in Київ")
    assert found("Kyiv") == [story]
    assert found("Київ") == [story]


def test_each_edition_lists_only_its_published_stories():
    english = published(headline="Council meets")
    story = ukrainian(headline="Засідання ради")
    ArticleFactory(language="uk", headline="Засідання ради: чернетка")  # a draft
    ArticleFactory(language="en", headline="Council meets: draft")
    uk_stories = find_stories(Article.objects.published(), language="uk")
    en_stories = find_stories(Article.objects.published(), language="en")
    assert list(uk_stories) == [story]
    assert list(en_stories) == [english]
    assert found("засідання") == [story]


def test_the_edition_searched_by_default_is_the_readers():
    story = ukrainian(headline="Засідання ради")
    published(headline="Council meets")
    with translation.override("uk"):
        assert list(find_stories(Article.objects.published(), q="засідання")) == [story]
    assert list(find_stories(Article.objects.published(), q="засідання")) == []


# --- Other languages ---------------------------------------------------------------------


@override_settings(LANGUAGES=[("en", "English"), ("uk", "Українська"), ("pl", "Polski")])
def test_a_language_without_a_configuration_is_matched_word_for_word():
    story = published(language="pl", headline="Running w Warszawie", body="<p>Opady</p>")
    assert "'running':1A" in stored_vector(story)  # Not stemmed to "run".
    assert found("Warszawie", "pl") == [story]
    assert found("warszawie running", "pl") == [story]
    assert found("Warszawa", "pl") == []
    assert found("Warszawie", "en") == []


@override_settings(LANGUAGES=[("en", "English"), ("uk", "Українська"), ("de", "Deutsch")])
def test_a_language_postgresql_stems_uses_its_configuration():
    story = published(language="de", headline="Die Häuser am Fluss")
    assert found("Haus", "de") == [story]


# --- Nothing a reader types is an error ---------------------------------------------------

ODD_INPUT = [
    "Київ!!! Zelensky & | ! <-> :* 'quote' \\ (дужки)",
    "ЗСУ/NATO—саміт… «Київ» „Львів“ п’ять пʼять п'ять",
    '"незакрита фраза',
    '""',
    '-"',
    "- - or or або",
    "в на і що не",  # stop words only
    "'; DROP TABLE articles_article; --",
    "слово " * 400,
    "ж" * 5000,
    "🙂 ⚡ 💬",
    "1 000 000 2024-05-01 12:30",
    "-Київ -Kyiv",
]


@pytest.mark.parametrize("text", ODD_INPUT)
@pytest.mark.parametrize("language", ["uk", "en"])
def test_odd_input_never_errors(text, language):
    story = ukrainian(headline="Київ і слово 2024") if language == "uk" else published()
    results = list(find_stories(Article.objects.published(), q=text, language=language))
    highlight(results or [story], text, language)


def test_stop_words_alone_match_nothing():
    ukrainian(headline="Що в Києві на вихідних")
    assert lemma_query("в на і що", "uk") == ""
    assert found("в на і що") == []


def test_lemmas_of_an_overlong_story_stay_within_postgresql_limits():
    body = "<p>" + " ".join(["Київ"] * 20_000) + "</p>"
    story = ukrainian(headline="Довгий текст", body=body)
    assert found("Києва") == [story]
    assert lemma_vector("uk", "", "", body).count(",") < 600


# --- The search page ----------------------------------------------------------------------


def test_ukrainian_search_page_highlights_every_form_of_the_word(client):
    story = ukrainian(
        headline="Мер Києва відкрив міст",
        body="<p>Новий міст у Києві з’єднав два береги. Київ чекав на нього роками.</p>",
    )
    published(headline="Kyiv opens a bridge", body="<p>Київ</p>")
    response = client.get("/uk/search/", {"q": "Київ"})
    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["articles"] == [story]
    assert "<mark>Києва</mark>" in content
    assert "<mark>Києві</mark>" in content
    assert "<mark>Київ</mark>" in content


def test_english_search_page_does_not_list_ukrainian_stories(client):
    ukrainian(headline="Zeppelin над Києвом")
    response = client.get("/search/", {"q": "zeppelin"})
    assert response.status_code == 200
    assert response.context["articles"] == []


@pytest.mark.parametrize("text", ODD_INPUT[:9])
def test_ukrainian_search_page_answers_odd_input(client, text):
    ukrainian(headline="Київ і слово")
    response = client.get("/uk/search/", {"q": text[:200]})
    assert response.status_code == 200


def test_ukrainian_search_page_answers_a_null_character_as_a_bad_request(client):
    response = client.get("/uk/search/", {"q": "Київ\x00"})
    assert response.status_code == 400


def test_ukrainian_search_page_shows_a_form_error_for_an_overlong_search(client):
    ukrainian(headline="Київ і слово")
    response = client.get("/uk/search/", {"q": "Київ " * 100})
    assert response.status_code == 200
    assert list(response.context["articles"]) == []
