"""`load_demo`: a working desk for a fresh checkout, loaded once."""

from io import BytesIO, StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.http import HttpRequest
from django.utils.html import escape
from PIL import Image as PILImage
from reversion.models import Revision, Version

from articles.models import Article, ArticleTransition, Section
from images.models import Image
from newsroom import demo
from newsroom.demo_illustrations import ALT_TEXT, SCENES, illustration
from sources.models import Source
from topics.models import Topic
from wire.models import WireItem

pytestmark = pytest.mark.django_db

PHOTOS = {photo.story: photo for photo in demo.PHOTOS}


def load_demo(**options) -> str:
    out = StringIO()
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "articles": Article.objects.count(),
        "sources": Source.objects.count(),
        "sections": Section.objects.count(),
        "topics": Topic.objects.count(),
        "users": get_user_model().objects.count(),
        "links": Article.topics.through.objects.count(),
        "transitions": ArticleTransition.objects.count(),
        "revisions": Revision.objects.count(),
    }


def test_load_demo_creates_a_working_desk(settings):
    settings.DEBUG = True
    load_demo()
    assert Article.objects.count() == len(demo.STORIES)
    statuses = set(Article.objects.values_list("status", flat=True))
    assert statuses == {"draft", "review", "published", "unpublished"}
    assert Article.objects.scheduled().exists()
    assert Article.objects.published().count() >= 20
    assert Source.objects.filter(kind="international").exists()
    assert Source.objects.filter(kind="ministry").exists()


def test_load_demo_publishes_the_seed_story_with_source_topics_dateline_and_byline(client):
    load_demo()
    article = Article.objects.published().get(slug=demo.STORIES[0].slug)
    assert article.source.slug == "ukrinform"
    assert article.dateline == "Kyiv"
    assert article.authors.count() == 2
    assert {"Russia", "Council of Europe", "Torture"} <= set(article.topics.names())
    home = client.get("/").content.decode()
    assert article.get_absolute_url() in home
    lead = home[home.index('aria-label="Lead story"') : home.index("</section>")]
    assert "Ukrinform" in lead
    assert "KYIV" in lead
    assert "Olena Kovalenko" in lead
    assert 'href="/topics/council-of-europe/"' in lead


def test_load_demo_twice_duplicates_nothing(settings):
    settings.DEBUG = True
    load_demo()
    first = counts()
    output = load_demo()
    assert counts() == first
    assert (
        "Created 0 sources, 0 sections, 0 writers, 0 stories, 0 corrections, 0 wire items, "
        "0 topic names"
    ) in output
    assert output.rstrip().endswith("0 accounts.")


def test_load_demo_dry_run_changes_nothing():
    output = load_demo(dry_run=True)
    assert "Would create" in output
    assert not Article.objects.exists()


def test_load_demo_writes_every_story_through_the_workflow():
    load_demo()
    steps = {
        "draft": ["created"],
        "review": ["created", "submitted"],
        "published": ["created", "published"],
        "unpublished": ["created", "published", "unpublished"],
    }
    for story in demo.STORIES:
        article = Article.objects.get(slug=story.slug)
        expected = steps[story.status]
        if story.hours_ago < 0:
            expected = ["created", "scheduled"]
        transitions = list(article.transitions.order_by("pk"))
        assert [t.action for t in transitions] == expected, story.slug
        assert transitions[-1].to_status == article.status == story.status
        # An operator's command: trusted, recorded without a name.
        assert {t.user for t in transitions} == {None}
        # One revision a step; the first holds the draft with its byline and topics.
        versions = list(Version.objects.get_for_object(article).order_by("pk"))
        assert len(versions) == len(transitions), story.slug
        first = versions[0]
        assert first.revision.comment == "Demo story"
        assert first.field_dict["status"] == "draft"
        assert set(first.field_dict["authors"]) == set(article.authors.values_list("pk", flat=True))
        links = first.revision.version_set.exclude(pk=first.pk)
        assert {link.field_dict["tag_id"] for link in links} == set(
            article.topics.values_list("pk", flat=True)
        )
        # The history reads in order, from when the story was written.
        times = [t.created_at for t in transitions]
        assert times == sorted(times)
        assert times[0] == article.created_at
        assert [version.revision.date_created for version in versions] == times


def test_load_demo_creates_log_in_accounts_on_the_embedded_database_in_debug(settings, client):
    settings.DEBUG = True
    settings.EMBEDDED_DATABASE = True
    load_demo()
    for username, group in [
        ("reporter", "Reporters"),
        ("editor", "Editors"),
        ("moderator", "Topic moderators"),
        ("partners", "Partner managers"),
    ]:
        user = get_user_model().objects.get(username=username)
        assert user.is_staff
        assert not user.is_superuser
        assert list(user.groups.values_list("name", flat=True)) == [group]
        # django-axes checks every login against its request; the test client has none.
        login = {"username": username, "password": f"{username}-demo-pass"}
        assert client.login(request=HttpRequest(), **login)


@pytest.mark.parametrize(("debug", "embedded"), [(False, True), (True, False), (False, False)])
def test_load_demo_never_creates_log_in_accounts_elsewhere(settings, debug, embedded):
    settings.DEBUG = debug
    settings.EMBEDDED_DATABASE = embedded
    output = load_demo()
    assert "Demo accounts skipped" in output
    assert (
        not get_user_model()
        .objects.filter(username__in=["reporter", "editor", "moderator", "partners"])
        .exists()
    )
    assert not get_user_model().objects.filter(password__startswith="pbkdf2").exists()


def test_load_demo_fills_the_wire_inbox_once():
    load_demo()
    assert WireItem.objects.count() == len(demo.WIRE)
    assert WireItem.objects.filter(topics__name="Energy").exists()
    load_demo()
    assert WireItem.objects.count() == len(demo.WIRE)


def test_load_demo_topics_are_approved():
    load_demo()
    tagged = Topic.objects.filter(article_links__isnull=False).distinct()
    assert set(tagged.values_list("status", flat=True)) == {Topic.Status.APPROVED}
    # The wire copy's unknown categories wait for the moderators, as in real life.
    assert Topic.objects.filter(status=Topic.Status.PENDING, wire_items__isnull=False).exists()


def stored_files(media_root) -> set[str]:
    return {str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file()}


def test_load_demo_gives_most_published_stories_a_drawn_lead_photo(media_root):
    output = load_demo()
    assert f"{len(demo.PHOTOS)} photos" in output
    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    assert published.filter(lead_image__isnull=False).count() >= published.count() * 3 // 4
    lead, *top = Article.objects.published().in_language("en").order_by("-publish_at")[:4]
    assert lead.slug == demo.STORIES[0].slug
    assert all(story.lead_image for story in [lead, *top])
    assert Image.objects.count() == len(demo.PHOTOS)
    files = stored_files(media_root)
    for photo in demo.PHOTOS:
        image = Article.objects.get(slug=photo.story).lead_image
        assert image.alt_text == (photo.alt_text or ALT_TEXT[photo.scene])
        assert image.caption == photo.caption
        assert image.credit == "Illustration: Newsroom demo"
        assert (image.width, image.height) == (1600, 900)
        assert image.file.name.startswith("images/originals/")
        assert image.file.name.endswith(".jpg")
        with PILImage.open(image.file.path) as picture:
            assert (picture.format, picture.size) == ("JPEG", (1600, 900))
        assert image.renditions_ready
        copies = [*image.renditions, *image.crops]
        assert {c.name for c in copies} == set(image.rendition_bytes) != set()
        for copy in copies:
            path = copy.url.removeprefix("/media/")
            assert path in files
            assert (media_root / path).stat().st_size == copy.size_in_bytes


def test_every_demo_photo_has_a_story_and_a_described_scene():
    slugs = {story.slug for story in demo.STORIES}
    assert {photo.story for photo in demo.PHOTOS} <= slugs
    assert len({photo.story for photo in demo.PHOTOS}) == len(demo.PHOTOS)
    assert set(ALT_TEXT) == set(SCENES)
    assert {photo.scene for photo in demo.PHOTOS} <= set(SCENES)
    assert all(photo.caption for photo in demo.PHOTOS)


@pytest.mark.parametrize("scene", sorted(SCENES))
def test_each_scene_draws_the_same_picture_for_the_same_story(scene):
    data = illustration(scene, seed="a-story")
    assert data == illustration(scene, seed="a-story")
    with PILImage.open(BytesIO(data)) as picture:
        assert (picture.format, picture.size, picture.mode) == ("JPEG", (1600, 900), "RGB")
        # A picture, not a flat fill.
        assert len(picture.getcolors(1600 * 900)) > 50


def test_load_demo_twice_stores_no_new_photo_or_file(media_root):
    load_demo()
    images = set(Image.objects.values_list("pk", flat=True))
    files = stored_files(media_root)
    output = load_demo()
    assert "0 wire items, 0 topic names, 0 photos, 0 accounts." in output
    assert set(Image.objects.values_list("pk", flat=True)) == images
    assert stored_files(media_root) == files


def test_load_demo_gives_a_story_loaded_without_its_photo_one(media_root):
    load_demo()
    slug = demo.PHOTOS[0].story
    Article.objects.get(slug=slug).lead_image.delete()
    assert Article.objects.get(slug=slug).lead_image is None
    assert "0 topic names, 1 photos," in load_demo()
    image = Article.objects.get(slug=slug).lead_image
    assert image.renditions_ready
    assert image.alt_text == ALT_TEXT[demo.PHOTOS[0].scene]


def test_load_demo_publishes_a_ukrainian_edition():
    load_demo()
    ukrainian = Article.objects.published().filter(language="uk")
    assert ukrainian.count() >= 6
    assert ukrainian.values("section").distinct().count() >= 5
    assert Article.objects.filter(language="uk").count() == ukrainian.count()


def test_load_demo_translates_the_seed_story_into_ukrainian():
    load_demo()
    original = Article.objects.get(slug=demo.STORIES[0].slug)
    [translation] = original.translations.all()
    assert translation.language == "uk"
    assert translation in Article.objects.published()
    assert translation.translated_from_revision == original.text_revision
    assert not translation.translation_is_outdated()
    assert set(translation.topics.names()) == set(original.topics.names())
    assert original.language == "en"


def test_load_demo_ukrainian_stories_are_written_in_ukrainian():
    for story in demo.STORIES:
        if story.language == "uk":
            text = " ".join([story.headline, story.standfirst, *story.paragraphs])
            cyrillic = sum("а" <= c.lower() <= "я" or c in "іїєґІЇЄҐ" for c in text)
            assert cyrillic > 0.6 * sum(c.isalpha() for c in text), story.slug


def test_load_demo_names_the_topics_in_ukrainian():
    output = load_demo()
    names = demo.TOPIC_NAMES["uk"]
    assert f"{len(names)} topic names" in output
    assert Topic.objects.get(name="Russia").name_in("uk") == "Росія"
    assert Topic.objects.get(name="Council of Europe").name_in("uk") == "Рада Європи"
    # Every topic a Ukrainian story is tagged with has its Ukrainian name.
    for article in Article.objects.filter(language="uk"):
        for topic in article.topics.all():
            assert topic.name_in("uk") == names[topic.name]
    assert "0 topic names" in load_demo()


def test_load_demo_gives_the_ukrainian_photos_ukrainian_descriptions():
    load_demo()
    for article in Article.objects.filter(language="uk", lead_image__isnull=False):
        photo = PHOTOS[article.slug]
        assert article.lead_image.alt_text == photo.alt_text != ALT_TEXT[photo.scene]
        assert article.lead_image.caption == photo.caption


def test_load_demo_dry_run_draws_and_stores_no_photo(media_root):
    output = load_demo(dry_run=True)
    assert f"{len(demo.PHOTOS)} photos" in output
    assert not Image.objects.exists()
    assert stored_files(media_root) == set()


def test_load_demo_that_fails_leaves_no_photo_files(settings, media_root):
    settings.DEBUG = True
    settings.EMBEDDED_DATABASE = True
    # The demo accounts are loaded after the photos; without their group, the load fails.
    Group.objects.filter(name="Editors").delete()
    with pytest.raises(Group.DoesNotExist):
        load_demo()
    assert not Article.objects.exists()
    assert not Image.objects.exists()
    assert stored_files(media_root) == set()


def test_home_and_story_pages_show_the_demo_photos(client):
    load_demo()
    lead = Article.objects.get(slug=demo.STORIES[0].slug)
    home = client.get("/").content.decode()
    lead_card = home[home.index('aria-label="Lead story"') : home.index("</section>")]
    assert f'src="{lead.lead_image.default_rendition.url}"' in lead_card
    assert f'alt="{escape(lead.lead_image.alt_text)}"' in lead_card
    page = client.get(lead.get_absolute_url()).content.decode()
    assert lead.lead_image.default_rendition.url in page
    assert escape(lead.lead_image.caption) in page
    assert "Illustration: Newsroom demo" in page
