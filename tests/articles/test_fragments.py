"""Rendered stories kept in the cache: cheaper pages, never stale, never a draft."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from articles import fragments, previews, workflow
from articles.models import Article, Correction
from moderation import actions
from newsroom import versions
from newsroom.page_cache import PAGE_TIMEOUT
from tests.factories import (
    ArticleFactory,
    ImageFactory,
    SectionFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
)
from topics.models import Topic

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    # Every request renders its page: what is measured here is the fragments alone.
    settings.NEWSROOM_PAGE_CACHE = False


@pytest.fixture
def rendered_cards(monkeypatch) -> list[int]:
    """Record the id of every story whose card is rendered rather than found in the cache."""
    rendered = []
    get_template = fragments.get_template

    class Counting:
        def __init__(self, template):
            self.wrapped = template

        def __getattr__(self, name):
            return getattr(self.wrapped, name)

        def render(self, context=None, request=None):
            rendered.append(context["article"].pk)
            return self.wrapped.render(context, request)

    def counting_get_template(name):
        template = get_template(name)
        return Counting(template) if name == fragments.CARD_TEMPLATE else template

    monkeypatch.setattr(fragments, "get_template", counting_get_template)
    return rendered


def story(**kwargs) -> Article:
    return ArticleFactory(published=True, **kwargs)


# --- What they save ---------------------------------------------------------------------


def test_a_warm_home_page_fetches_no_bylines_or_topics(client, django_assert_num_queries):
    for n in range(25):
        story(authors=UserFactory.create_batch(2), topics=[f"Topic {n}", "Shared"])
    # pins, latest, navigation, section blocks, cards' stories, bylines, topics
    with django_assert_num_queries(7):
        cold = client.get("/")
    # latest, section blocks: every card comes from the cache, the pins from memory
    with django_assert_num_queries(2):
        warm = client.get("/")
    assert warm.content == cold.content


def test_a_warm_article_page_fetches_only_the_story(client, django_assert_num_queries):
    article = story(authors=UserFactory.create_batch(3), topics=["Energy", "Grain"])
    story(topics=["Energy"], headline="Power cuts eased")
    Correction.objects.create(article=article, note="Fixed the date.")
    # story, whole story, bylines, topics, corrections, related (2), navigation
    with django_assert_num_queries(8):
        cold = client.get(article.get_absolute_url())
    # The story part and the related stories come from the cache.
    with django_assert_num_queries(1):
        warm = client.get(article.get_absolute_url())
    assert warm.content == cold.content
    assert "Power cuts eased" in warm.content.decode()


def test_related_stories_follow_every_publish_edit_and_withdrawal(client, editor):
    energy = TopicFactory(name="Energy")
    article = story(topics=[energy])
    older = story(
        topics=[energy], headline="Power cuts eased", publish_at=timezone.now() - timedelta(hours=3)
    )
    assert "Power cuts eased" in client.get(article.get_absolute_url()).content.decode()
    # Another story on the topic is published: it is related at once, newest first.
    workflow.publish(ArticleFactory(topics=[energy], headline="Grid repaired"), editor)
    content = client.get(article.get_absolute_url()).content.decode()
    assert content.index("Grid repaired") < content.index("Power cuts eased")
    # A related story retitled, then withdrawn.
    older.headline = "Power cuts eased in Kharkiv"
    older.save()
    assert "Power cuts eased in Kharkiv" in client.get(article.get_absolute_url()).content.decode()
    workflow.unpublish(older, editor)
    assert "Power cuts eased" not in client.get(article.get_absolute_url()).content.decode()


def test_a_scheduled_story_is_related_once_a_cached_page_would_have_expired(client):
    energy = TopicFactory(name="Energy")
    article = story(topics=[energy])
    # Public in ten seconds, without any save: only the clock makes it so.
    due = timezone.now() + timedelta(seconds=10)
    ArticleFactory(
        topics=[energy], headline="Grid repaired", status=Article.Status.PUBLISHED, publish_at=due
    )
    assert "Grid repaired" not in client.get(article.get_absolute_url()).content.decode()
    with time_machine.travel(due + timedelta(seconds=PAGE_TIMEOUT)):
        assert "Grid repaired" in client.get(article.get_absolute_url()).content.decode()


def test_a_preview_neither_reads_nor_keeps_related_stories(client, editor):
    energy, grain = TopicFactory(name="Energy"), TopicFactory(name="Grain")
    article = story(topics=[energy])
    story(topics=[energy], headline="Power cuts eased")
    story(topics=[grain], headline="Harvest up")
    public = client.get(article.get_absolute_url()).content.decode()
    assert "Power cuts eased" in public and "Harvest up" not in public
    # Retagged as if on the desk, without the save that would move its fragments.
    Article.topics.through.objects.filter(content_object=article).update(tag=grain)
    client.force_login(editor)
    preview = client.get(reverse("admin:articles_article_preview", args=[article.pk]))
    assert "Harvest up" in preview.content.decode()
    client.logout()
    assert "Power cuts eased" in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize("kind", ["topic", "source", "section", "author"])
def test_a_warm_listing_page_fetches_no_bylines_or_topics(client, django_assert_num_queries, kind):
    topic, source, section = TopicFactory(), SourceFactory(), SectionFactory()
    author = UserFactory()
    for _ in range(25):
        story(topics=[topic, TopicFactory()], source=source, section=section, authors=[author])
    subject = {"topic": topic, "source": source, "section": section}.get(kind)
    url = subject.get_absolute_url() if subject else reverse("articles:author", args=[author.pk])
    pins = 1 if kind == "section" else 0
    # subject, stories, cards' stories, bylines, topics, navigation (+ section pins)
    with django_assert_num_queries(6 + pins):
        cold = client.get(url)
    # stories; an author besides (topics, sources, sections and pins are kept in
    # memory under the content version)
    with django_assert_num_queries(2 if kind == "author" else 1):
        warm = client.get(url)
    assert warm.content == cold.content


def test_publishing_a_story_renders_only_its_own_card(client, editor, rendered_cards):
    energy = TopicFactory(name="Energy")
    others = [story(topics=[energy], authors=[UserFactory()]) for _ in range(3)]
    # Tagged and bylined as a draft, as on the desk; published later.
    draft = ArticleFactory(topics=[energy], authors=[UserFactory()])
    client.get("/"), client.get(energy.get_absolute_url())
    rendered_cards.clear()
    version = fragments.version()
    workflow.publish(draft, editor)
    assert fragments.version() == version
    assert draft.headline in client.get(energy.get_absolute_url()).content.decode()
    assert rendered_cards == [draft.pk]
    rendered_cards.clear()
    assert draft.headline in client.get("/").content.decode()
    # The new lead, and the former lead now shown in the list: a card of another style.
    assert sorted(rendered_cards) == sorted([draft.pk, others[-1].pk])


def test_editing_a_story_renders_only_its_own_card(client, rendered_cards):
    edited, other = story(), story()
    client.get("/")
    rendered_cards.clear()
    version = fragments.version()
    edited.headline = "Talks resume in Geneva"
    edited.save()
    assert fragments.version() == version
    assert "Talks resume in Geneva" in client.get("/").content.decode()
    assert rendered_cards == [edited.pk]
    assert other.pk not in rendered_cards


def test_drafts_gaining_topics_or_bylines_retire_nothing():
    draft = ArticleFactory()
    version = fragments.version()
    draft.topics.add("Energy")
    draft.authors.add(UserFactory())
    assert fragments.version() == version


def test_signing_in_retires_nothing(client):
    author = UserFactory()
    story(authors=[author])
    version = fragments.version()
    client.force_login(author)
    assert fragments.version() == version


# --- What retires them ------------------------------------------------------------------


def test_a_renamed_topic_shows_at_once(client, moderator, django_capture_on_commit_callbacks):
    topic = TopicFactory(name="Grain deal")
    article = story(topics=[topic])
    client.get("/"), client.get(article.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        actions.rename(moderator, topic, name="Black Sea grain initiative")
    for url in ("/", article.get_absolute_url()):
        content = client.get(url).content.decode()
        assert "Black Sea grain initiative" in content
        assert "Grain deal" not in content


def test_a_rejected_topic_leaves_cards_and_the_article_page(
    client, moderator, django_capture_on_commit_callbacks
):
    topic = TopicFactory(name="Rumours")
    article = story(topics=[topic, "Energy"])
    assert "Rumours" in client.get("/").content.decode()
    client.get(article.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        actions.reject(moderator, [topic])
    assert topic.slug not in client.get("/").content.decode()
    assert topic.slug not in client.get(article.get_absolute_url()).content.decode()


def test_a_merged_topic_shows_as_the_one_kept(
    client, moderator, django_capture_on_commit_callbacks
):
    kept, merged = TopicFactory(name="Energy"), TopicFactory(name="Power supply")
    story(topics=[merged])
    client.get("/")
    with django_capture_on_commit_callbacks(execute=True):
        actions.merge(moderator, kept, [merged])
    content = client.get("/").content.decode()
    assert f'href="{kept.get_absolute_url()}"' in content
    assert "Power supply" not in content


@pytest.mark.parametrize("model", ["section", "source"])
def test_a_renamed_section_or_source_shows_at_once(client, model):
    article = story()
    client.get("/"), client.get(article.get_absolute_url())
    filed_under = getattr(article, model)
    filed_under.name = "Renamed desk"
    filed_under.save()
    assert "Renamed desk" in client.get("/").content.decode()
    assert "Renamed desk" in client.get(article.get_absolute_url()).content.decode()


def test_a_renamed_author_shows_at_once(client):
    author = UserFactory(first_name="Olena", last_name="Koval")
    article = story(authors=[author])
    client.get("/"), client.get(article.get_absolute_url())
    author.last_name = "Kovalenko"
    author.save()
    assert "Olena Kovalenko" in client.get("/").content.decode()
    assert "Olena Kovalenko" in client.get(article.get_absolute_url()).content.decode()


def test_a_byline_added_to_a_published_story_shows_at_once(client):
    article = story()
    client.get("/")
    article.authors.add(UserFactory(first_name="Taras", last_name="Melnyk"))
    assert "Taras Melnyk" in client.get("/").content.decode()


def test_a_topic_added_to_a_published_story_shows_at_once(client):
    article = story()
    client.get("/"), client.get(article.get_absolute_url())
    article.topics.add(TopicFactory(name="Drones"))
    assert "Drones" in client.get("/").content.decode()
    assert "Drones" in client.get(article.get_absolute_url()).content.decode()


def test_a_correction_shows_on_the_article_page_at_once(client, editor):
    article = story()
    client.get(article.get_absolute_url())
    workflow.add_correction(article, editor, "The meeting was on Tuesday.")
    assert "The meeting was on Tuesday." in client.get(article.get_absolute_url()).content.decode()


def test_a_backdated_correction_shows_at_once_too(client):
    # Its time is older than the story's last change: the story's modified time stays.
    article = story()
    client.get(article.get_absolute_url())
    Correction.objects.create(
        article=article, note="Fixed a name.", published_at=timezone.now() - timedelta(days=1)
    )
    assert "Fixed a name." in client.get(article.get_absolute_url()).content.decode()


def test_a_changed_photo_shows_at_once(client):
    article = story(lead_image=ImageFactory())
    client.get("/"), client.get(article.get_absolute_url())
    article.lead_image.alt_text = "Ships waiting at the port of Izmail"
    article.lead_image.save()
    assert "Ships waiting at the port of Izmail" in client.get("/").content.decode()
    content = client.get(article.get_absolute_url()).content.decode()
    assert "Ships waiting at the port of Izmail" in content


def test_a_moderation_action_retires_them_once_committed(
    moderator, django_capture_on_commit_callbacks
):
    topic = TopicFactory(status=Topic.Status.PENDING)
    with django_capture_on_commit_callbacks() as callbacks:
        version = fragments.version()
        actions.approve(moderator, [topic])  # a set-based update: no model signal
        assert fragments.version() == version
    for callback in callbacks:
        callback()
    assert fragments.version() > version


def test_a_change_retires_them_again_when_its_transaction_commits(
    django_capture_on_commit_callbacks,
):
    version = fragments.version()
    with django_capture_on_commit_callbacks(execute=True):
        fragments.fragments_changed()
        assert fragments.version() == version + 1
    assert fragments.version() == version + 2


def test_a_lost_version_starts_again_above_the_old_one():
    fragments.fragments_changed()
    before = fragments.version()
    cache.delete(fragments.VERSION_KEY)  # Evicted, or Redis restarted.
    fragments.fragment_versions.forget()  # As after VERSION_CHECK seconds.
    with time_machine.travel(timezone.now() + timedelta(seconds=1)):
        assert fragments.version() > before


def test_a_change_made_in_another_process_shows_within_a_second(client, monkeypatch):
    article = story(topics=["Energy"])
    client.get(article.get_absolute_url())
    # Another process renames the topic: the rows and the shared version change,
    # this process's signal receivers never run.
    Topic.objects.filter(name="Energy").update(name="Power")
    cache.incr(fragments.VERSION_KEY)
    assert ">Energy<" in client.get(article.get_absolute_url()).content.decode()
    later = versions.time.monotonic() + fragments.VERSION_CHECK
    monkeypatch.setattr(versions.time, "monotonic", lambda: later)
    html = client.get(article.get_absolute_url()).content.decode()
    assert ">Power<" in html and ">Energy<" not in html


def test_new_markup_or_site_settings_key_fragments_anew(settings):
    digest = fragments.markup_digest()
    settings.SITE_URL = "https://news.example.org"
    assert fragments.markup_digest() != digest


# --- What never goes through them -------------------------------------------------------


def test_a_story_taken_down_without_a_save_never_shows_through_its_card(client):
    article = story(headline="Withdrawn report")
    story()
    assert "Withdrawn report" in client.get("/").content.decode()
    # Its card stays in the cache under the same key; nothing looks it up.
    Article.objects.filter(pk=article.pk).update(status=Article.Status.UNPUBLISHED)
    assert "Withdrawn report" not in client.get("/").content.decode()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_a_card_missing_from_the_cache_is_rendered_only_if_its_story_is_still_public():
    shown, withdrawn = story(headline="Still public"), story(headline="Withdrawn meanwhile")
    # The page fetched the stories' keys; one is taken down before their cards are fetched.
    keys = list(Article.objects.published().card_keys().order_by("pk"))
    Article.objects.filter(pk=withdrawn.pk).update(status=Article.Status.UNPUBLISHED)
    fragments.attach_cards([(a, fragments.CardStyle()) for a in keys], fragments.version())
    assert "Still public" in keys[0].card
    assert keys[1].card == ""
    assert shown.pk == keys[0].pk


def test_a_card_is_kept_under_the_row_it_was_rendered_from():
    article = story(headline="First headline")
    keys = Article.objects.published().card_keys().get()
    # Edited between the page's two queries: the card shows the edit and is kept
    # under the new row's key, never under the old one.
    article.headline = "Edited headline"
    article.save()
    version, style = fragments.version(), fragments.CardStyle()
    fragments.attach_cards([(keys, style)], version)
    assert "Edited headline" in keys.card
    digest = fragments.markup_digest()
    assert cache.get(fragments.fragment_key(keys, style.name, version, digest)) is None
    article.refresh_from_db()
    assert "Edited headline" in cache.get(
        fragments.fragment_key(article, style.name, version, digest)
    )


def test_an_article_page_without_its_story_part_renders_it_from_the_whole_story(client):
    article = story(headline="Grain deal extended", authors=[UserFactory(first_name="Ada")])
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Grain deal extended" in html and "Ada" in html
    assert stored_story(article)["body"] in html


def plant(article: Article) -> None:
    """Store a bogus rendering where the story's page would find its own."""
    key = fragments.fragment_key(article, "story", fragments.version(), fragments.markup_digest())
    cache.set(key, {"head": "", "feeds": "", "body": "PLANTED", "topic_ids": []})


def stored_story(article: Article):
    key = fragments.fragment_key(article, "story", fragments.version(), fragments.markup_digest())
    return cache.get(key)


def test_a_preview_neither_reads_nor_stores_a_fragment(client, editor):
    draft = ArticleFactory(headline="Embargoed until noon")
    client.force_login(editor)
    url = reverse("admin:articles_article_preview", args=[draft.pk])
    assert "Embargoed until noon" in client.get(url).content.decode()
    assert stored_story(draft) is None
    plant(draft)
    content = client.get(url).content.decode()
    assert "PLANTED" not in content
    assert "Embargoed until noon" in content


def test_a_shared_preview_neither_reads_nor_stores_a_fragment(client, editor):
    draft = ArticleFactory(headline="Embargoed until noon")
    url = previews.url_for(previews.create(draft, editor))
    assert "Embargoed until noon" in client.get(url).content.decode()
    assert stored_story(draft) is None
    plant(draft)
    assert "PLANTED" not in client.get(url).content.decode()


def test_a_search_result_s_details_come_from_the_cache_and_its_marks_are_fresh(
    client, django_assert_num_queries
):
    for n in range(25):
        story(
            headline=f"Grain corridor reopens {n}",
            authors=UserFactory.create_batch(2),
            topics=[f"Ports {n}", "Shipping"],
        )
    # sources, sections (then cached), the search's time limit (4 in a test's
    # transaction, see test_search), results, the rest of their rows, highlights,
    # bylines, topics
    with django_assert_num_queries(11):
        cold = client.get("/search/", {"q": "grain"}).content.decode()
    # the time limit, results, highlights
    with django_assert_num_queries(6):
        warm = client.get("/search/", {"q": "grain"}).content.decode()
    assert warm == cold
    assert "<mark>Grain</mark> corridor" in warm
    assert 'class="byline"' in warm and "Shipping" in warm
    # The same stories found by another word are marked for that word.
    other = client.get("/search/", {"q": "corridor"}).content.decode()
    assert "Grain <mark>corridor</mark>" in other
    assert "<mark>Grain</mark>" not in other
