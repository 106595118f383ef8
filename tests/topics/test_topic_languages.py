"""Topics in several languages: one concept, a name and a slug in each language."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils import translation

from articles.models import Article
from articles.prefetches import public_topics
from moderation import actions
from tests.factories import ArticleFactory, TopicFactory, UserFactory
from topics.duplicates import likely_duplicates
from topics.models import Topic, TopicAlias, TopicLogEntry, TopicName, TopicRedirect

pytestmark = pytest.mark.django_db


@pytest.fixture
def russia() -> Topic:
    return TopicFactory(name="Russia")


# --- Names and slugs --------------------------------------------------------------------


def test_a_topic_named_in_a_language_answers_with_that_name_and_slug(russia):
    name = russia.set_name("uk", "Росія")
    assert (name.language, name.name, name.slug) == ("uk", "Росія", "росія")
    assert (russia.name_in("uk"), russia.slug_in("uk")) == ("Росія", "росія")
    assert (russia.name_in("en"), russia.slug_in("en")) == ("Russia", "russia")


def test_a_topic_not_named_in_a_language_falls_back_to_its_default_name(russia):
    assert (russia.name_in("uk"), russia.slug_in("uk")) == ("Russia", "russia")


def test_the_default_language_name_is_renamed_not_set(russia):
    with pytest.raises(ValueError, match="rename"):
        russia.set_name("en", "Russian Federation")


def test_a_language_the_site_has_no_edition_in_is_refused(russia):
    with pytest.raises(ValidationError):
        russia.set_name("xx", "Росія")


def test_two_topics_cannot_share_a_name_in_one_language(russia):
    russia.set_name("uk", "Росія")
    with pytest.raises(ValidationError):
        TopicFactory(name="Russian Federation").set_name("uk", " РОСІЯ ")


def test_renaming_in_a_language_keeps_the_old_slug_and_name_working(russia):
    russia.set_name("uk", "Расія")
    russia.set_name("uk", "Росія")
    assert russia.names.get().slug == "росія"
    assert TopicRedirect.objects.get(old_slug="расія").topic == russia
    assert TopicAlias.objects.get(name="Расія").language == "uk"


def test_a_slug_in_a_language_never_takes_another_topics_default_slug(russia):
    other = TopicFactory(name="Rosiia")
    assert other.set_name("uk", "Russia").slug == "russia-1"


def test_named_topics_show_their_names_without_a_query_each(russia, django_assert_num_queries):
    russia.set_name("uk", "Росія")
    TopicFactory(name="Crimea")
    with translation.override("uk"), django_assert_num_queries(1):
        topics = list(Topic.objects.named_in("uk").order_by("pk"))
        shown = [(topic.local_name, topic.get_absolute_url()) for topic in topics]
        expected = [
            ("Росія", reverse("articles:topic", args=["росія"])),
            ("Crimea", reverse("articles:topic", args=["crimea"])),
        ]
    assert shown == expected


def test_the_address_is_the_active_languages(russia):
    russia.set_name("uk", "Росія")
    assert russia.get_absolute_url() == "/topics/russia/"
    with translation.override("uk"):
        assert russia.get_absolute_url() == reverse("articles:topic", args=["росія"])


def test_a_storys_prefetched_topics_carry_the_readers_language(russia, django_assert_num_queries):
    russia.set_name("uk", "Росія")
    article = ArticleFactory(language="uk", topics=[russia])
    with translation.override("uk"), django_assert_num_queries(2):
        fetched = list(Article.objects.filter(pk=article.pk))
        prefetch_related_objects(fetched, public_topics())
        [topic] = fetched[0].public_topics
        assert (topic.local_name, topic.local_slug) == ("Росія", "росія")


# --- Tagging ----------------------------------------------------------------------------


def test_a_name_typed_on_a_story_is_read_in_its_language_first(russia):
    crimea = TopicFactory(name="Крим")  # A default name that is someone's Ukrainian name.
    russia.set_name("uk", "Крим")
    ukrainian = ArticleFactory(language="uk")
    ukrainian.topics.add("крим")
    assert list(ukrainian.topics.all()) == [russia]
    english = ArticleFactory(language="en")
    english.topics.add("крим")
    assert list(english.topics.all()) == [crimea]


def test_a_ukrainian_story_finds_its_aliases_then_the_default_names(russia):
    TopicAlias.objects.create(name="РФ", topic=russia, language="uk")
    story = ArticleFactory(language="uk")
    story.topics.add("РФ", "Russia")
    assert list(story.topics.all()) == [russia]


def test_a_name_in_another_language_is_found_before_proposing_a_duplicate(russia):
    russia.set_name("uk", "Росія")
    story = ArticleFactory(language="en")
    story.topics.add("Росія")
    assert list(story.topics.all()) == [russia]


def test_a_new_name_on_a_ukrainian_story_is_proposed_named_in_ukrainian():
    story = ArticleFactory(language="uk")
    story.topics.add("Вишиванка")
    topic = story.topics.get()
    assert (topic.status, topic.name) == (Topic.Status.PENDING, "Вишиванка")
    assert (topic.name_in("uk"), topic.slug_in("uk")) == ("Вишиванка", "вишиванка")


# --- Merging, duplicates ----------------------------------------------------------------


def test_merging_keeps_the_targets_names_and_makes_the_others_aliases(russia):
    moderator = UserFactory(is_superuser=True, is_staff=True)
    russia.set_name("uk", "Росія")
    duplicate = TopicFactory(name="Russian Federation")
    duplicate.set_name("uk", "Російська Федерація")
    actions.merge(moderator, russia, [duplicate])
    assert list(russia.names.values_list("name", flat=True)) == ["Росія"]
    aliases = dict(TopicAlias.objects.filter(topic=russia).values_list("name", "language"))
    assert aliases == {"Russian Federation": "en", "Російська Федерація": "uk"}
    assert TopicRedirect.objects.get(old_slug="російська-федерація").topic == russia


def test_merging_gives_the_target_the_names_it_lacks(russia):
    moderator = UserFactory(is_superuser=True, is_staff=True)
    duplicate = TopicFactory(name="Rossiya")
    duplicate.set_name("uk", "Росія")
    actions.merge(moderator, russia, [duplicate])
    assert (russia.name_in("uk"), russia.slug_in("uk")) == ("Росія", "росія")
    assert not TopicName.objects.exclude(topic=russia).exists()


def test_the_duplicate_finder_compares_names_within_a_language():
    first, second = TopicFactory(name="Chornobyl zone"), TopicFactory(name="Exclusion zone")
    first.set_name("uk", "Ч.А.Е.С.")
    second.set_name("uk", "ЧАЕС")
    pairs = {(pair.first, pair.second) for pair in likely_duplicates()}
    assert (first, second) in pairs


def test_the_duplicate_finder_does_not_pair_names_of_different_languages():
    TopicFactory(name="Alpha beta")
    TopicFactory(name="Gamma delta").set_name("uk", "Alpha.Beta")
    assert likely_duplicates() == []


# --- The admin --------------------------------------------------------------------------


def names_form(topic: Topic, *rows: tuple[str, str], initial: int = 0) -> dict:
    data = {
        "name": topic.name,
        "slug": topic.slug,
        "kind": topic.kind,
        "description": topic.description,
        "names-TOTAL_FORMS": str(len(rows)),
        "names-INITIAL_FORMS": str(initial),
    }
    for n, (language, name) in enumerate(rows):
        data |= {f"names-{n}-language": language, f"names-{n}-name": name}
    return data


def test_a_moderator_names_a_topic_in_the_inline(client, russia):
    moderator = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(moderator)
    url = reverse("admin:topics_topic_change", args=[russia.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, names_form(russia, ("uk", "Росія")))
    assert response.status_code == 302
    assert (russia.name_in("uk"), russia.slug_in("uk")) == ("Росія", "росія")
    assert TopicLogEntry.objects.filter(topic=russia, action="renamed").exists()


def test_the_inline_refuses_another_topics_name(client, russia):
    TopicFactory(name="Rossiya").set_name("uk", "Росія")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = reverse("admin:topics_topic_change", args=[russia.pk])
    response = client.post(url, names_form(russia, ("uk", "Росія")))
    assert response.status_code == 200
    assert not russia.names.exists()


# --- The topic page ---------------------------------------------------------------------


@pytest.fixture
def ukrainian_story(russia) -> Article:
    russia.set_name("uk", "Росія")
    return ArticleFactory(published=True, language="uk", topics=[russia])


def test_the_topic_page_answers_at_its_slug_in_the_readers_language(client, ukrainian_story):
    with translation.override("uk"):
        url = reverse("articles:topic", args=["росія"])
    response = client.get(url)
    assert response.status_code == 200
    assert "<h1>Росія</h1>" in response.content.decode()


def test_the_default_slug_on_a_ukrainian_page_redirects_to_the_ukrainian_one(
    client, ukrainian_story
):
    with translation.override("uk"):
        url, target = (reverse("articles:topic", args=[slug]) for slug in ("russia", "росія"))
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (301, target)


def test_the_topic_feed_is_named_in_the_readers_language(client, ukrainian_story):
    with translation.override("uk"):
        url = reverse("articles:topic_feed", args=["росія"])
    response = client.get(url)
    assert response.status_code == 200
    assert "Росія" in response.content.decode()


def test_removing_a_name_in_the_inline_keeps_it_as_an_alias_and_old_address(client, russia):
    name = russia.set_name("uk", "Росія")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    data = names_form(russia, ("uk", "Росія"), initial=1)
    data |= {"names-0-id": str(name.pk), "names-0-topic": str(russia.pk), "names-0-DELETE": "on"}
    response = client.post(reverse("admin:topics_topic_change", args=[russia.pk]), data)
    assert response.status_code == 302
    assert not russia.names.exists()
    assert TopicAlias.objects.get(name="Росія").language == "uk"
    assert TopicRedirect.objects.get(old_slug="росія").topic == russia


def test_only_moderators_change_a_topics_names(rf, russia):
    from django.contrib import admin

    from moderation.admin import TopicNameInline

    inline = TopicNameInline(Topic, admin.site)
    request = rf.get("/")
    request.user = UserFactory(is_staff=True)
    assert not inline.has_change_permission(request, russia)
    assert not inline.has_delete_permission(request, russia)
    assert not inline.has_add_permission(request, russia)


def test_the_topic_list_finds_and_shows_names_in_other_languages(client, russia):
    russia.set_name("uk", "Росія")
    TopicFactory(name="Crimea")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    content = client.get(reverse("admin:topics_topic_changelist"), {"q": "РОСІ"}).content.decode()
    assert "uk: Росія" in content
    assert "Crimea" not in content
