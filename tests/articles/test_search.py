"""Reader search: the stored vector, matching and ranking, snippets, the form and the page."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.postgres.search import SearchHeadline
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import search as search_module
from articles.forms import SearchForm
from articles.models import Article
from articles.search import (
    SearchTooBroad,
    find_stories,
    highlight,
    marked_html,
    reader_query,
    search,
    time_limited,
)
from articles.textsearch import SEARCH_CONFIG, html_text
from tests.factories import (
    ArticleFactory,
    SectionFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

KYIV = ZoneInfo("Europe/Kyiv")


def published(**kwargs) -> Article:
    """A public story, by default published an hour ago."""
    return ArticleFactory(published=True, **kwargs)


def ago(**kwargs) -> datetime:
    return timezone.now() - timedelta(**kwargs)


def found(text: str) -> list[Article]:
    return list(search(Article.objects.published(), text))


# --- The stored search vector ----------------------------------------------------------


def test_search_vector_is_a_column_stored_by_the_database():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attgenerated FROM pg_attribute "
            "WHERE attrelid = 'articles_article'::regclass AND attname = 'search_vector'"
        )
        assert cursor.fetchone() == ("s",)


def test_search_vector_follows_an_update_made_without_save():
    article = published(body="<p>The meeting opened in the morning.</p>")
    Article.objects.filter(pk=article.pk).update(body="<p>A zeppelin landed in the port.</p>")
    assert found("zeppelin") == [article]


def test_search_vector_weighs_headline_standfirst_and_body():
    article = published(headline="Zeppelin", standfirst="Airship", body="<p>Balloon</p>")
    vector = Article.objects.values_list("search_vector", flat=True).get(pk=article.pk)
    assert vector == "'airship':2B 'balloon':3C 'zeppelin':1A"


def test_story_lists_fetch_neither_the_search_vector_nor_the_body():
    published(headline="Zeppelin")
    deferred = Article.objects.for_listing().get().get_deferred_fields()
    assert deferred == {"search_vector", "search_lemmas", "body"}


def test_html_tags_and_attributes_are_not_search_terms():
    published(
        body='<p><strong>Convoy</strong> <a href="https://example.com/hiddenword" '
        'title="tooltipword">left</a></p>'
    )
    assert len(found("convoy")) == 1
    for word in ("strong", "href", "hiddenword", "tooltipword", "example"):
        assert found(word) == [], word


def test_matching_uses_the_gin_index():
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            headline=f"Routine briefing {n}",
            slug=f"routine-briefing-{n}",
            body="<p>Officials repeated the usual statement.</p>",
            status=Article.Status.PUBLISHED,
            publish_at=now - timedelta(minutes=n),
            first_published_at=now - timedelta(minutes=n),
        )
        for n in range(1, 501)
    )
    published(headline="Zeppelin over the port")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
        # A test-sized table is cheaper to read whole, and the publication index
        # narrows it as well as anything: forbid the one, leave out the other, and
        # see whether the match itself can use an index (not if it computed vectors).
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = search(Article.objects.all(), "zeppelin")[:21].explain()
    assert "Bitmap Index Scan on article_search_vector_idx" in plan


# --- Matching and ranking ---------------------------------------------------------------


def test_headline_match_outranks_body_only_match():
    in_body = published(headline="Port news", body="<p>A zeppelin landed.</p>")
    in_headline = published(headline="Zeppelin lands", publish_at=ago(days=2))
    assert found("zeppelin") == [in_headline, in_body]


def test_of_equal_matches_the_fresher_ranks_first():
    older = published(headline="Zeppelin lands", publish_at=ago(days=30))
    newer = published(headline="Zeppelin lands", publish_at=ago(days=1))
    assert found("zeppelin") == [newer, older]


def test_quoted_phrase_matches_only_the_words_in_that_order():
    phrase = published(headline="Grain corridor reopens")
    published(headline="Corridor for grain ships")
    assert found('"grain corridor"') == [phrase]


def test_minus_word_excludes_stories_with_that_word():
    wanted = published(headline="Grain exports rise")
    published(headline="Grain and wheat exports rise")
    assert found("grain -wheat") == [wanted]


def test_or_finds_either_word():
    zeppelin = published(headline="Zeppelin lands")
    blimp = published(headline="Blimp lands", publish_at=ago(days=1))
    assert found("zeppelin or blimp") == [zeppelin, blimp]


def test_words_match_their_other_forms():
    article = published(headline="Ukraine to export more grain")
    assert found("exports") == [article]


@pytest.mark.parametrize("text", ["the", "!!!", "&&&", '""', "-", "or", "a | b", "'", "\\", ":*"])
def test_query_of_stop_words_or_punctuation_matches_nothing(text):
    published(headline="The story of the day")
    assert found(text) == []


# --- Filters ----------------------------------------------------------------------------


def test_topic_filter_keeps_stories_on_that_topic():
    topic = TopicFactory(name="Prisoners of war")
    on_topic = published(topics=[topic])
    published(topics=["Energy"])
    assert list(find_stories(Article.objects.published(), topic=topic)) == [on_topic]


def test_source_filter_keeps_stories_from_that_source():
    source = SourceFactory()
    from_source = published(source=source)
    published()
    assert list(find_stories(Article.objects.published(), source=source)) == [from_source]


def test_section_filter_keeps_stories_in_that_section():
    section = SectionFactory()
    in_section = published(section=section)
    published()
    assert list(find_stories(Article.objects.published(), section=section)) == [in_section]


def test_dates_are_whole_days_in_the_site_time_zone():
    first = published(publish_at=datetime(2025, 3, 1, 0, 30, tzinfo=KYIV))
    last = published(publish_at=datetime(2025, 3, 2, 23, 59, tzinfo=KYIV))
    published(publish_at=datetime(2025, 2, 28, 23, 59, tzinfo=KYIV))
    published(publish_at=datetime(2025, 3, 3, 0, 0, tzinfo=KYIV))
    stories = find_stories(
        Article.objects.published(), date_from=date(2025, 3, 1), date_to=date(2025, 3, 2)
    )
    assert list(stories) == [last, first]


def test_filters_without_words_list_stories_newest_first():
    topic = TopicFactory()
    older = published(topics=[topic], publish_at=ago(days=3))
    newer = published(topics=[topic], publish_at=ago(days=1))
    assert list(find_stories(Article.objects.published(), topic=topic)) == [newer, older]


def test_filters_and_words_combine():
    topic = TopicFactory()
    wanted = published(headline="Zeppelin lands", topics=[topic])
    published(headline="Zeppelin lands")
    published(headline="Blimp lands", topics=[topic])
    assert list(find_stories(Article.objects.published(), q="zeppelin", topic=topic)) == [wanted]


# --- Highlighted snippets --------------------------------------------------------------


def test_marked_html_puts_highlighted_words_in_mark():
    assert marked_html("a \x02zeppelin\x03 lands") == "a <mark>zeppelin</mark> lands"


def test_marked_html_escapes_everything_but_the_marks():
    assert marked_html("<b>\x02x\x03</b> & 'y'") == (
        "&lt;b&gt;<mark>x</mark>&lt;/b&gt; &amp; &#x27;y&#x27;"
    )


def test_marked_html_decodes_entities_of_html_text_before_escaping():
    assert marked_html("AT&amp;T &lt;script&gt; \x02x\x03", is_html=True) == (
        "AT&amp;T &lt;script&gt; <mark>x</mark>"
    )


def test_marked_html_drops_unpaired_markers():
    assert marked_html("\x03a \x02b\x02 \x02c\x03 d\x02") == "a b <mark>c</mark> d"


def test_highlight_marks_headline_standfirst_and_body_passage():
    article = published(
        headline="Zeppelin lands in Odesa",
        standfirst="The zeppelin came from the sea.",
        body="<p>Crowds gathered.</p><p>The <em>zeppelin</em> was seen at dawn.</p>",
    )
    highlight([article], "zeppelin")
    assert article.marked_headline == "<mark>Zeppelin</mark> lands in Odesa"
    assert article.marked_standfirst == "The <mark>zeppelin</mark> came from the sea."
    assert article.marked_excerpt == "Crowds gathered. The <mark>zeppelin</mark> was seen at dawn"


def test_highlight_leaves_out_a_body_without_the_words():
    article = published(headline="Zeppelin lands", body="<p>Crowds gathered.</p>")
    highlight([article], "zeppelin")
    assert article.marked_excerpt == ""


def filler(words: int, seed: str = "calm") -> str:
    """Words no test searches for, in sentences."""
    return " ".join(f"{seed}{n % 7} harbour quay." for n in range(words // 3))


def full_excerpt(article: Article, text: str) -> str:
    """The body passage ts_headline picks from the whole body, marked as `highlight` marks."""
    options = {"max_fragments": 2, "max_words": 30, "min_words": 12, "fragment_delimiter": " … "}
    marks = {"start_sel": search_module.START_MARK, "stop_sel": search_module.STOP_MARK}
    body = Article.objects.filter(pk=article.pk).values_list(
        SearchHeadline(
            html_text("body"), reader_query(text), config=SEARCH_CONFIG, **options, **marks
        ),
        flat=True,
    )[0]
    return marked_html(body, is_html=True) if search_module.START_MARK in body else ""


def test_highlight_finds_a_match_deep_in_a_long_body_in_whole_words():
    landing = "<p>At last the zeppelin landed on the pier.</p>"
    # A second match near the end of the passage around the first, and words too
    # long to fit whole at its edges.
    later = "Another zeppelin " + "extraordinarily " * 40
    body = f"<p>{'unremarkable ' * 300}</p>{landing}<p>{'meanwhile ' * 60}{later}</p>"
    article = published(body=body)
    highlight([article], "zeppelin")
    excerpt = article.marked_excerpt
    assert "At last the <mark>zeppelin</mark> landed on the pier." in excerpt
    assert "Another <mark>zeppelin</mark> extraordinarily" in excerpt
    words = {"unremarkable", "at", "last", "the", "landed", "on", "pier", "meanwhile", "another"}
    shown = excerpt.replace("<mark>", "").replace("</mark>", "").replace("…", " ").lower()
    assert set(re.findall(r"\w+", shown)) <= {*words, "zeppelin", "extraordinarily"}


def test_highlight_shows_where_a_phrase_stands_not_its_first_word_alone():
    body = (
        f"<p>The zeppelin was late. {filler(300)}</p>"
        f"<p>{filler(300)} Crews opened the zeppelin hangar at dawn.</p>"
    )
    article = published(body=body)
    highlight([article], '"zeppelin hangar"')
    assert "<mark>zeppelin</mark> <mark>hangar</mark> at dawn" in article.marked_excerpt


@pytest.mark.parametrize(
    ("body", "text"),
    [
        # The stem is found inside another word first, far from the real match.
        (f"<p>A zeppelinesque cloud. {filler(300)} The zeppelin came.</p>", "zeppelin"),
        # Another form of the word: "sanctions" is stored and found as "sanction".
        (f"<p>{filler(200)} New sanction announced.</p>", "sanctions"),
        # The phrase across a paragraph break, and inflected.
        (f"<p>{filler(200)} zeppelins.</p><p>Hangars stood empty.</p>", '"zeppelin hangar"'),
        # Words the search matched in the headline only.
        (f"<p>{filler(300)}</p>", "harbour -zeppelin"),
        (f"<p>{filler(300)}</p>", "zeppelin"),
    ],
)
def test_highlight_marks_the_body_wherever_the_whole_body_has_a_match(body, text):
    article = published(headline="Zeppelin hangar sanctions", body=body)
    highlight([article], text)
    assert bool(article.marked_excerpt) == bool(full_excerpt(article, text))
    if article.marked_excerpt:
        assert "<mark>" in article.marked_excerpt


@pytest.mark.parametrize(
    "text",
    [
        '"zeppelin (hangar"',
        '"zeppelin\\ hangar"',
        '"zeppelin.*hangar"',
        '"[z]eppelin"',
        '"""',
        '"київ"',
    ],
)
def test_highlight_takes_any_phrase_a_reader_types(text):
    article = published(body=f"<p>{filler(300)} The zeppelin hangar in Київ.</p>")
    highlight([article], text)
    assert bool(article.marked_excerpt) == bool(full_excerpt(article, text))


def test_highlight_costs_one_query_for_the_shown_stories(django_assert_num_queries):
    stories = [published(headline=f"Zeppelin {n}") for n in range(5)]
    with django_assert_num_queries(1):
        highlight(stories, "zeppelin")


# --- The search page --------------------------------------------------------------------


def test_search_url_is_named():
    from django.urls import reverse

    assert reverse("articles:search") == "/search/"


def test_search_page_without_anything_to_search_asks_for_words_and_queries_no_story(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": "   "})
    assert response.status_code == 200
    assert "Type what you are looking for" in response.content.decode()
    assert not [q for q in queries.captured_queries if "articles_article" in q["sql"]]


def test_search_page_lists_matches_with_link_snippet_time_and_source(client):
    article = published(
        headline="Zeppelin lands",
        body="<p>The zeppelin was seen at dawn.</p>",
        source=SourceFactory(name="Ukrinform", slug="ukrinform"),
    )
    response = client.get("/search/", {"q": "zeppelin"})
    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["articles"] == [article]
    assert f'<a href="{article.get_absolute_url()}"><mark>Zeppelin</mark> lands</a>' in content
    assert '<p class="result__excerpt">… <mark>zeppelin</mark> was seen at dawn …</p>' in content
    went_out = timezone.localtime(article.publish_at).replace(microsecond=0)
    assert f'<time datetime="{went_out.isoformat()}">' in content
    assert '<a href="/sources/ukrinform/">Ukrinform</a>' in content


def test_search_page_has_one_h1_and_is_not_indexed(client):
    published(headline="Zeppelin lands")
    content = client.get("/search/", {"q": "zeppelin"}).content.decode()
    assert content.count("<h1") == 1
    assert '<meta name="robots" content="noindex">' in content


def test_search_page_labels_every_field(client):
    response = client.get("/search/")
    content = response.content.decode()
    for name in SearchForm.base_fields:
        assert f'<label for="id_{name}">' in content, name


def test_search_page_echoes_the_query_escaped(client):
    published(headline="Zeppelin lands")
    content = client.get("/search/", {"q": '<b onmouseover="x">zeppelin</b>'}).content.decode()
    assert "<b onmouseover" not in content
    assert "Results for “&lt;b onmouseover=&quot;x&quot;&gt;zeppelin&lt;/b&gt;”" in content


def test_search_page_never_shows_a_hostile_headline_unescaped(client):
    published(headline="<script>alert(1)</script> Zeppelin <img src=x onerror=alert(2)>")
    content = client.get("/search/", {"q": "zeppelin"}).content.decode()
    assert "<script>alert" not in content
    assert "<img src=x" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Zeppelin</mark> &lt;img" in content


def test_search_page_never_shows_hostile_body_markup(client):
    article = published(headline="Harbour report")
    # Written around the sanitiser, as a migration or a SQL fix might.
    Article.objects.filter(pk=article.pk).update(
        body='<p><img src=x onerror="alert(1)">Zeppelin</p>'
        "<p>&lt;script&gt;alert(2)&lt;/script&gt; zeppelin</p><script>alert(3)</script>"
    )
    content = client.get("/search/", {"q": "zeppelin"}).content.decode()
    assert "<img" not in content
    assert "<script>" not in content
    assert "&lt;script&gt;alert(2)&lt;/script&gt; <mark>zeppelin</mark>" in content


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.IN_REVIEW},
        {"status": Article.Status.PUBLISHED, "publish_at": timedelta(hours=1)},
        {"status": Article.Status.UNPUBLISHED, "publish_at": -timedelta(days=1)},
    ],
    ids=["draft", "review", "scheduled", "unpublished"],
)
@pytest.mark.parametrize("params", [{"q": "zeppelin"}, {"topic": "airships"}])
def test_search_never_shows_a_story_readers_may_not_see(client, hidden, params):
    if "publish_at" in hidden:
        hidden = {**hidden, "publish_at": timezone.now() + hidden["publish_at"]}
    ArticleFactory(headline="Hidden zeppelin story", topics=["Airships"], **hidden)
    public = published(headline="Public zeppelin story", topics=["Airships"])
    response = client.get("/search/", params)
    assert response.context["articles"] == [public]
    assert "Hidden zeppelin story" not in response.content.decode()


def test_search_page_says_when_nothing_matches(client):
    published(headline="Zeppelin lands")
    response = client.get("/search/", {"q": "submarine"})
    assert response.status_code == 200
    assert "No stories match “submarine”." in response.content.decode()


@pytest.mark.parametrize("text", ["the", "!!!", "&&&"])
def test_search_page_for_stop_words_or_punctuation_says_nothing_matches(client, text):
    published(headline="The story of the day")
    response = client.get("/search/", {"q": text})
    assert response.status_code == 200
    assert list(response.context["articles"]) == []
    assert "No stories match" in response.content.decode()


def test_search_page_lists_a_topic_between_two_dates_without_words(client):
    topic = TopicFactory(name="Airships", slug="airships")
    inside = published(topics=[topic], publish_at=datetime(2025, 3, 2, 12, tzinfo=KYIV))
    published(topics=[topic], publish_at=datetime(2025, 4, 2, 12, tzinfo=KYIV))
    response = client.get(
        "/search/", {"topic": "airships", "date_from": "2025-03-01", "date_to": "2025-03-31"}
    )
    assert response.context["articles"] == [inside]
    assert "Topic: Airships." in response.content.decode()


def test_topic_only_unpublished_stories_use_is_an_unknown_topic(client):
    ArticleFactory(headline="Embargoed", topics=["Embargoed subject"])
    response = client.get("/search/", {"topic": "embargoed-subject"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"topic": ["There is no topic with that address."]}
    assert "Embargoed subject" not in response.content.decode()


def test_search_page_filters_by_source_and_section_slugs(client):
    source, section = SourceFactory(slug="ukrinform"), SectionFactory(slug="war")
    wanted = published(headline="Zeppelin", source=source, section=section)
    published(headline="Zeppelin", source=source)
    published(headline="Zeppelin", section=section)
    response = client.get("/search/", {"q": "zeppelin", "source": "ukrinform", "section": "war"})
    assert response.context["articles"] == [wanted]


@pytest.mark.parametrize(
    "data",
    [{}, {"source": "ukrinform"}, {"source": "nowhere"}],
    ids=["none chosen", "chosen", "unknown"],
)
def test_the_source_and_section_lists_are_django_s_markup(data):
    from django import forms

    SourceFactory(name="Ukrinform & <partners>", slug="ukrinform")
    SourceFactory(name="Council of Europe", slug="coe")
    SectionFactory(name="War", slug="war")
    form = SearchForm(data)
    form.is_valid()
    for name in ("source", "section"):
        field = form.fields[name]
        plain = forms.Select(choices=field.choices, attrs=field.widget.attrs)
        expected = plain.render(name, form[name].value(), attrs=form[name].build_widget_attrs({}))
        assert_html_equal(
            field.widget.render(name, form[name].value(), attrs=form[name].build_widget_attrs({})),
            expected,
        )


def test_the_source_and_section_lists_follow_changes_at_once(client, django_assert_num_queries):
    SourceFactory(name="Ukrinform", slug="ukrinform")
    section = SectionFactory(name="War", slug="war")
    client.get("/search/")
    SourceFactory(name="Council of Europe", slug="coe")
    section.name = "War in Ukraine"
    section.save()
    content = client.get("/search/", {"q": "zeppelin"}).content.decode()
    assert '<option value="coe">Council of Europe</option>' in content
    assert '<option value="ukrinform">Ukrinform</option>' in content
    assert '<option value="war">War in Ukraine</option>' in content


def test_a_filled_or_invalid_filter_is_rendered_afresh(client):
    SourceFactory(name="Ukrinform", slug="ukrinform")
    client.get("/search/", {"q": "zeppelin"})  # The empty filters are kept.
    content = client.get(
        "/search/", {"q": "zeppelin", "source": "ukrinform", "date_from": "not a date"}
    ).content.decode()
    assert '<option value="ukrinform" selected>Ukrinform</option>' in content
    # Not echoed into the date picker, where it would be invalid HTML: the error says it.
    assert '<input type="date" name="date_from" aria-invalid="true"' in content
    assert 'value="not a date"' not in content
    assert "Enter a date such as 2025-03-31." in content
    content = client.get("/search/", {"q": "zeppelin"}).content.decode()
    assert '<option value="ukrinform">Ukrinform</option>' in content
    assert "not a date" not in content


def assert_html_equal(html: str, expected: str) -> None:
    from django.test.html import parse_html

    assert parse_html(html) == parse_html(expected), (html, expected)


def test_end_date_before_start_date_is_a_form_error(client):
    published(headline="Zeppelin")
    response = client.get(
        "/search/", {"q": "zeppelin", "date_from": "2025-03-02", "date_to": "2025-03-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "date_to": ["This date must not be before the “Published from” date."]
    }
    assert list(response.context["articles"]) == []
    assert "The search could not be run:" in response.content.decode()


def test_a_single_day_is_a_valid_range():
    form = SearchForm({"date_from": "2025-03-01", "date_to": "2025-03-01"})
    assert form.is_valid()


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"date_from": "notadate"}, "date_from", "Enter a date such as 2025-03-31."),
        ({"date_to": "2025-02-30"}, "date_to", "Enter a date such as 2025-03-31."),
        ({"date_from": "99999-01-01"}, "date_from", "Enter a date such as 2025-03-31."),
        ({"topic": "no-such-topic"}, "topic", "There is no topic with that address."),
        ({"topic": "x" * 5000}, "topic", "There is no topic with that address."),
        ({"source": "<script>"}, "source", "There is no such source."),
        ({"section": "%"}, "section", "There is no such section."),
        ({"q": "zeppelin " * 30}, "q", "Search for at most 200 characters."),
    ],
)
def test_bad_parameter_is_a_clear_form_error_not_a_500(client, params, field, message):
    published(headline="Zeppelin")
    response = client.get("/search/", {"q": "zeppelin", **params})
    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert list(response.context["articles"]) == []
    assert message in response.content.decode()


@pytest.mark.parametrize(
    "query_string",
    ["q=%ff%fe", "q=%ed%a0%80", "topic=%ff", "q=zeppelin&q=blimp", "q[]=x", "q=%C0%AF"],
)
def test_malformed_query_string_never_answers_500(client, query_string):
    published(headline="Zeppelin")
    assert client.get(f"/search/?{query_string}").status_code == 200


def test_extreme_but_valid_dates_are_searched(client):
    published(headline="Zeppelin")
    response = client.get(
        "/search/", {"q": "zeppelin", "date_from": "0001-01-01", "date_to": "9999-12-31"}
    )
    assert response.status_code == 200
    assert len(response.context["articles"]) == 1


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "101", "99999999999999999999"])
def test_bad_page_number_is_404_not_500(client, page):
    published(headline="Zeppelin")
    assert client.get("/search/", {"q": "zeppelin", "page": page}).status_code == 404


def test_page_number_is_ignored_when_there_is_nothing_to_search(client):
    assert client.get("/search/", {"page": "abc"}).status_code == 200


def test_pagination_links_keep_the_query_and_filters(client):
    topic = TopicFactory(slug="airships")
    for n in range(25):
        published(headline=f"Zeppelin {n}", topics=[topic], publish_at=ago(hours=n + 1))
    first = client.get("/search/", {"q": "zeppelin", "topic": "airships"})
    assert 'href="?q=zeppelin&amp;topic=airships&amp;page=2"' in first.content.decode()
    second = client.get("/search/", {"q": "zeppelin", "topic": "airships", "page": "2"})
    assert len(second.context["articles"]) == 5
    assert 'href="?q=zeppelin&amp;topic=airships&amp;page=1"' in second.content.decode()


def test_search_page_query_count_does_not_grow_with_results_authors_or_topics(
    client, django_assert_num_queries
):
    for n in range(25):
        published(
            headline=f"Zeppelin story {n}",
            authors=UserFactory.create_batch(2),
            topics=[f"Topic {n}", f"Theme {n}", "Shared"],
        )
    # source choices, section choices (then cached with the navigation), the time limit
    # (4 here: a test runs in a transaction, so it is set and lifted in a savepoint; a
    # request makes it one query), the stories, their authors and topics for the cards,
    # highlights; no COUNT
    with django_assert_num_queries(10):
        assert client.get("/search/", {"q": "zeppelin"}).status_code == 200
    with django_assert_num_queries(9):
        assert client.get("/search/", {"q": "zeppelin", "page": "2"}).status_code == 200


def test_search_page_with_filters_adds_one_query_per_filter_checked(
    client, django_assert_num_queries
):
    topic, source, section = (
        TopicFactory(slug="t"),
        SourceFactory(slug="s"),
        SectionFactory(slug="c"),
    )
    for _ in range(25):
        published(headline="Zeppelin", topics=[topic], source=source, section=section)
    # the 10 of a plain search, and looking up the topic, the source and the section
    with django_assert_num_queries(13):
        response = client.get(
            "/search/", {"q": "zeppelin", "topic": "t", "source": "s", "section": "c"}
        )
    assert len(response.context["articles"]) == 20


# --- The site header --------------------------------------------------------------------


def test_every_page_has_a_labelled_search_box_in_its_header(client):
    content = client.get("/").content.decode()
    assert '<form class="site-search" role="search"' in content
    assert 'action="/search/"' in content
    assert '<label class="visually-hidden" for="site-search-q">Search stories</label>' in content
    assert '<input id="site-search-q" type="search" name="q"' in content


# --- Searches too broad for the time limit ---------------------------------------------


def test_a_query_past_the_time_limit_is_cancelled_and_the_connection_stays_usable():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        before = cursor.fetchone()[0]
    with pytest.raises(SearchTooBroad), time_limited(50), connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(1)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == before
    assert Article.objects.count() == 0


def stories_searched_slowly(settings, monkeypatch, *, narrowed_too: bool) -> list[Article]:
    """Five zeppelin stories, a day apart, newest first; searches narrow to the newest 3.

    The page's search query sleeps past a 100 ms time limit (narrowed, too, if asked).
    """
    from articles import views

    settings.NEWSROOM_SEARCH_TIME_LIMIT = 100
    monkeypatch.setattr(search_module, "NARROWED_STORIES", 3)

    def find_stories_slowly(stories, *, q="", since=None, **filters):
        found = find_stories(stories, q=q, since=since, **filters)
        if q and (since is None or narrowed_too):
            return found.extra(where=["pg_sleep(0.2) IS NOT NULL"])
        return found

    monkeypatch.setattr(views, "find_stories", find_stories_slowly)
    return [published(headline=f"Zeppelin {n}", publish_at=ago(days=n, hours=1)) for n in range(5)]


def test_a_search_past_the_time_limit_is_run_again_over_the_newest_stories(
    client, settings, monkeypatch
):
    stories = stories_searched_slowly(settings, monkeypatch, narrowed_too=False)
    response = client.get("/search/", {"q": "zeppelin"})
    assert response.status_code == 200
    assert response.context["articles"] == stories[:3]
    since = timezone.localtime(stories[2].publish_at).strftime("%-d %B %Y")
    content = response.content.decode()
    assert f"matches among the stories published since {since}" in content
    assert "No stories match" not in content


def test_a_search_too_broad_even_over_the_newest_stories_says_so(client, settings, monkeypatch):
    stories_searched_slowly(settings, monkeypatch, narrowed_too=True)
    response = client.get("/search/", {"q": "zeppelin"})
    assert response.status_code == 200
    assert list(response.context["articles"]) == []
    content = response.content.decode()
    assert "This search is too broad to finish in time." in content
    assert "No stories match" not in content


def test_a_search_within_the_time_limit_is_not_narrowed(client):
    published(headline="Zeppelin", publish_at=ago(days=400))
    response = client.get("/search/", {"q": "zeppelin"})
    assert len(response.context["articles"]) == 1
    assert response.context["searched_since"] is None
    assert "too broad" not in response.content.decode()
