"""The syndication API: published stories only, as ninjs, with filters and cursors."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    ImageFactory,
    SectionFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
    hidden_articles,
)

pytestmark = pytest.mark.django_db

SCHEMAS = Path(settings.BASE_DIR).parent / "shared" / "schemas" / "ninjs"
LIST = "/api/v1/articles/"


def ids(response) -> list[str]:
    return [item["altIds"][0]["value"] for item in response.json()["items"]]


def story(hours_ago: float = 1, **kwargs) -> Article:
    return ArticleFactory(
        status=Article.Status.PUBLISHED,
        publish_at=timezone.now() - timedelta(hours=hours_ago),
        **kwargs,
    )


def test_only_published_stories_are_listed(client):
    public = story()
    hidden_articles()
    assert ids(client.get(LIST)) == [str(public.pk)]


@pytest.mark.parametrize("state", range(8))
def test_an_unpublished_story_is_not_found(client, state):
    article = hidden_articles()[state]
    response = client.get(f"{LIST}{article.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_story_is_shaped_as_ninjs(client):
    article = story(
        headline="Committee visits detention sites",
        standfirst="The lead.",
        body="<p>Body text in five words.</p>",
        dateline="Strasbourg",
        source=SourceFactory(name="Council of Europe", language="en"),
        source_url="https://www.coe.int/en/news/501",
        authors=[UserFactory(first_name="Olena", last_name="Kovalenko")],
        topics=["Human rights"],
    )
    item = client.get(f"{LIST}{article.pk}").json()
    assert item["uri"] == f"http://127.0.0.1:8000{article.get_absolute_url()}"
    assert item["type"] == "text"
    assert item["pubStatus"] == "usable"
    assert item["language"] == "en"
    assert item["headlines"] == [
        {"role": "main", "contentType": "text/plain", "value": "Committee visits detention sites"}
    ]
    assert item["descriptions"][0]["value"] == "The lead."
    assert item["bodies"][0]["value"] == "<p>Body text in five words.</p>"
    assert item["bodies"][0]["wordCount"] == 5
    assert item["by"] == "Olena Kovalenko"
    assert item["located"] == "Strasbourg"
    assert item["infoSources"] == [
        {
            "name": "Council of Europe",
            "role": "originator",
            "uri": "https://www.coe.int/en/news/501",
        }
    ]
    assert {"name": "Human rights", "rel": "about"}.items() <= item["subjects"][0].items()
    assert item["firstCreated"] == article.first_published_at.isoformat()
    assert item["versionCreated"] == article.updated_at.isoformat()
    assert item["copyrightNotice"].startswith("©")


@pytest.mark.skipif(not SCHEMAS.exists(), reason="../shared/schemas is not present")
def test_stories_validate_against_the_official_ninjs_schema(client):
    import jsonschema

    schema = json.loads((SCHEMAS / "ninjs-schema_3.1.json").read_text())
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    # IPTC's own examples pass: the validator is set up right.
    for example in sorted((SCHEMAS / "examples").glob("*.json")):
        validator.validate(json.loads(example.read_text()))
    story(topics=["Energy"], authors=[UserFactory()], standfirst="Lead", dateline="Kyiv")
    story(source=None, section=None, standfirst="", dateline="")
    story(lead_image=ImageFactory(file__width=2400, file__height=1600))
    story(lead_image=ImageFactory(caption="", credit=""))
    items = client.get(LIST).json()["items"]
    assert sum("associations" in item for item in items) == 2
    for item in items:
        errors = [e.message for e in validator.iter_errors(item)]
        assert errors == []


def test_a_story_carries_its_lead_photo_as_a_picture_with_renditions(client):
    image = ImageFactory(file__width=2400, file__height=1600)
    article = story(lead_image=image)
    [picture] = client.get(f"{LIST}{article.pk}").json()["associations"]
    assert picture["type"] == "picture"
    assert picture["rel"] == "lead-image"
    assert picture["headlines"][0]["value"] == "The first ship left at dawn."
    assert picture["descriptions"] == [
        {"role": "caption", "contentType": "text/plain", "value": "The first ship left at dawn."},
        {"role": "alt", "contentType": "text/plain", "value": image.alt_text},
    ]
    assert picture["by"] == "Photo: Ukrinform"
    renditions = {r["name"]: r for r in picture["renditions"]}
    assert set(renditions) == {
        "480w", "800w", "1200w", "1600w", "1200w-16x9", "1200w-4x3", "1200w-1x1",
    }  # fmt: skip
    share = image.share_rendition
    assert renditions["1200w"] == {
        "name": "1200w",
        "href": f"http://127.0.0.1:8000{share.url}",
        "contentType": "image/jpeg",
        "width": 1200,
        "height": 800,
        "sizeInBytes": share.size_in_bytes,
    }
    assert renditions["1200w-16x9"]["aspectRatio"] == "16:9"
    assert (renditions["1200w-1x1"]["width"], renditions["1200w-1x1"]["height"]) == (1200, 1200)


@pytest.mark.parametrize("photo", [None, "not ready"])
def test_a_story_without_a_ready_photo_has_no_associations(client, photo):
    article = story(lead_image=ImageFactory(renditions=False) if photo else None)
    assert "associations" not in client.get(f"{LIST}{article.pk}").json()


def test_filters_by_topic_source_and_section(client):
    energy = TopicFactory(name="Energy")
    source, section = SourceFactory(slug="ukrinform"), SectionFactory(slug="economy")
    match = story(topics=[energy], source=source, section=section)
    story(topics=[energy], source=source)
    story(source=source, section=section)
    story()
    response = client.get(LIST, {"topic": "energy", "source": "ukrinform", "section": "economy"})
    assert ids(response) == [str(match.pk)]


def test_filters_by_language(client):
    ukrainian = story(language="uk")
    english = story(language="en")
    own = story(source=None)
    assert ids(client.get(LIST, {"language": "uk"})) == [str(ukrainian.pk)]
    assert set(ids(client.get(LIST, {"language": "en"}))) == {str(english.pk), str(own.pk)}


def test_filters_by_update_time(client):
    old = story(hours_ago=80)
    Article.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=3))
    recent = story()
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert ids(client.get(LIST, {"updated_since": since})) == [str(recent.pk)]


def test_a_scheduled_story_comes_with_the_changes_since_before_it_went_out(client):
    # Last edited at nine, scheduled for noon: a partner syncing at ten and at
    # half past twelve gets it on the second sync.
    now = timezone.now()
    scheduled = story(hours_ago=0.5)
    Article.objects.filter(pk=scheduled.pk).update(updated_at=now - timedelta(hours=3.5))
    edited = story(hours_ago=5)
    Article.objects.filter(pk=edited.pk).update(updated_at=now - timedelta(hours=1))
    unchanged = story(hours_ago=4)
    Article.objects.filter(pk=unchanged.pk).update(updated_at=now - timedelta(hours=4))
    since = (now - timedelta(hours=2.5)).isoformat()
    items = client.get(LIST, {"updated_since": since}).json()["items"]
    assert [item["altIds"][0]["value"] for item in items] == [str(scheduled.pk), str(edited.pk)]
    scheduled.refresh_from_db()
    assert items[0]["versionCreated"] == scheduled.publish_at.isoformat()


def test_cursor_pagination_visits_every_story_once(client):
    stories = [story(hours_ago=n) for n in range(1, 8)]
    seen, url = [], f"{LIST}?limit=3"
    while url:
        page = client.get(url).json()
        seen += [item["altIds"][0]["value"] for item in page["items"]]
        url = page["next"]
    assert seen == [str(a.pk) for a in sorted(stories, key=lambda a: (a.updated_at, a.pk),
                                               reverse=True)]  # fmt: skip


def test_next_links_keep_the_filters(client):
    topic = TopicFactory(name="Energy")
    for _ in range(3):
        story(topics=[topic])
    page = client.get(LIST, {"topic": "energy", "limit": 2}).json()
    assert "topic=energy" in page["next"]
    assert page["next"].startswith("http://127.0.0.1:8000/api/v1/articles/?")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 1000}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"topic": "nope"}, "topic: no topic “nope”"),
        ({"topic": "bad slug!"}, "topic"),
        ({"source": "nope"}, "source: no source “nope”"),
        ({"section": "nope"}, "section: no section “nope”"),
        ({"language": "english language"}, "language"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"cursor": "not-a-cursor"}, "cursor: not a cursor this API gave out"),
        ({"cursor": "WyJ4Il0"}, "cursor: not a cursor this API gave out"),
        ({"cursor": "WyJ4IiwgMV0"}, "cursor: not a cursor this API gave out"),
        ({"topic": "a\x00b"}, "topic"),
    ],
)
def test_bad_parameters_get_a_clear_400(client, params, message):
    story()
    response = client.get(LIST, params)
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_a_topic_only_unpublished_stories_use_is_unknown(client):
    hidden_articles(topics=["Embargoed subject"])
    assert client.get(LIST, {"topic": "embargoed-subject"}).status_code == 400
    assert client.get("/api/v1/topics/").json()["items"] == []


def test_topics_list_the_ones_in_public_use(client):
    story(topics=["Energy", "Agriculture"])
    hidden_articles(topics=["Embargoed subject"])
    names = [t["name"] for t in client.get("/api/v1/topics/").json()["items"]]
    assert names == ["Agriculture", "Energy"]


def test_topics_page_with_a_cursor(client):
    story(topics=[f"Topic {n:02}" for n in range(5)])
    page = client.get("/api/v1/topics/", {"limit": 2}).json()
    second = client.get(page["next"]).json()
    assert [t["name"] for t in second["items"]] == ["Topic 02", "Topic 03"]


def test_sources_list_the_active_ones(client):
    SourceFactory(name="Ukrinform", slug="ukrinform", country="UA", language="uk")
    SourceFactory(name="Gone", is_active=False)
    sources = client.get("/api/v1/sources/").json()
    assert [s["slug"] for s in sources] == ["ukrinform"]
    assert (sources[0]["country"], sources[0]["language"]) == ("UA", "uk")


def test_the_list_query_count_does_not_grow_with_stories(client, django_assert_num_queries):
    for _ in range(20):
        story(
            topics=["Energy", "Grid"],
            authors=UserFactory.create_batch(2),
            lead_image=ImageFactory(),
        )
    # stories with source, section and lead photo, bylines, topics
    with django_assert_num_queries(3):
        assert client.get(LIST).status_code == 200


def test_answers_are_cacheable_and_revalidate(client):
    story()
    response = client.get(LIST)
    assert response["Cache-Control"] == "public, max-age=30, s-maxage=3600"
    assert client.get(LIST, headers={"if-none-match": response["ETag"]}).status_code == 304


def test_the_openapi_document_describes_the_api(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["info"]["title"] == "Newsroom syndication API"
    assert {"/api/v1/articles/", "/api/v1/articles/{article_id}", "/api/v1/topics/",
            "/api/v1/sources/"} <= set(document["paths"])  # fmt: skip


def test_the_openapi_document_describes_pictures_and_renditions(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "associations" in schemas["NewsItem"]["properties"]
    assert {"name", "href", "contentType", "width", "height", "sizeInBytes"} <= set(
        schemas["Rendition"]["properties"]
    )
    assert "renditions" in schemas["Picture"]["properties"]


def test_topics_awaiting_a_moderator_stay_out_of_the_api(client):
    from topics.models import Topic

    pending = TopicFactory(name="Grain corridor", status=Topic.Status.PENDING)
    rejected = TopicFactory(name="Spam", status=Topic.Status.REJECTED)
    article = story(topics=[pending, rejected, TopicFactory(name="Energy")])
    item = client.get(f"{LIST}{article.pk}").json()
    assert [s["name"] for s in item["subjects"] if s["rel"] == "about"] == ["Energy"]
    assert [t["name"] for t in client.get("/api/v1/topics/").json()["items"]] == ["Energy"]
    assert client.get(LIST, {"topic": pending.slug}).status_code == 400


def test_an_update_time_with_an_unusual_offset_is_understood(client):
    article = story()
    response = client.get(LIST, {"updated_since": "2000-01-01T00:00:00-16:14"})
    assert ids(response) == [str(article.pk)]
