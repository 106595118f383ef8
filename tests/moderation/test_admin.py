"""The moderators' admin: queue, approve and reject, merge, rename, delete, duplicates, log."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from moderation.admin import TopicAdmin
from tests.factories import ArticleFactory, TopicFactory, UserFactory
from topics.models import Topic, TopicAlias, TopicLogEntry, TopicRedirect

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:topics_topic_changelist")
MERGE = reverse("admin:topics_topic_merge")
DUPLICATES = reverse("admin:topics_topic_duplicates")


def change_url(topic: Topic) -> str:
    return reverse("admin:topics_topic_change", args=[topic.pk])


def action(name: str, *topics: Topic) -> dict:
    return {"action": name, "_selected_action": [topic.pk for topic in topics], "index": 0}


def topic_form(topic: Topic, **overrides) -> dict:
    return {
        "name": topic.name,
        "slug": topic.slug,
        "kind": topic.kind,
        "description": topic.description,
        **overrides,
    }


# --- The queue ----------------------------------------------------------------------------


def test_the_queue_shows_proposer_usage_and_a_few_stories(client, moderator):
    writer = UserFactory(username="okovalenko")
    topic = TopicFactory(name="Grain corridor", status=Topic.Status.PENDING, proposed_by=writer)
    ArticleFactory(headline="Ships wait at Odesa", topics=[topic])
    ArticleFactory(published=True, headline="Ships leave Odesa", topics=[topic])
    TopicFactory(name="Energy")
    client.force_login(moderator)
    content = client.get(CHANGELIST, {"status__exact": "pending"}).content.decode()
    assert "Grain corridor" in content
    assert "okovalenko" in content
    assert "Ships leave Odesa" in content
    assert "Ships wait at Odesa" not in content  # Someone's draft: moderators read what is public.
    assert '<td class="field-published_stories">1</td>' in content
    assert '<td class="field-all_stories">2</td>' in content
    assert "Energy" not in content


def test_the_topic_list_costs_the_same_queries_however_many_topics(
    client, moderator, django_assert_max_num_queries
):
    for _ in range(3):
        ArticleFactory(published=True, topics=[TopicFactory(), TopicFactory()])
    client.force_login(moderator)
    with django_assert_max_num_queries(12) as captured:
        assert client.get(CHANGELIST).status_code == 200
    for _ in range(20):
        ArticleFactory(published=True, topics=[TopicFactory(), TopicFactory()])
    with django_assert_max_num_queries(len(captured)):
        assert client.get(CHANGELIST).status_code == 200


def test_the_list_links_the_queue_duplicates_and_log_for_moderators(client, moderator):
    TopicFactory(status=Topic.Status.PENDING)
    client.force_login(moderator)
    content = client.get(CHANGELIST).content.decode()
    assert "Moderation queue (1)" in content
    assert DUPLICATES in content
    assert reverse("admin:topics_topiclogentry_changelist") in content


# --- Approve and reject -------------------------------------------------------------------


def test_a_moderator_approves_selected_topics(client, moderator):
    topics = [TopicFactory(status=Topic.Status.PENDING) for _ in range(2)]
    client.force_login(moderator)
    assert client.post(CHANGELIST, action("approve_selected", *topics)).status_code == 302
    assert set(Topic.objects.values_list("status", flat=True)) == {Topic.Status.APPROVED}


def test_a_moderator_rejects_selected_topics(client, moderator):
    topic = TopicFactory(status=Topic.Status.PENDING)
    client.force_login(moderator)
    client.post(CHANGELIST, action("reject_selected", topic))
    assert Topic.objects.get().status == Topic.Status.REJECTED


@pytest.mark.parametrize("role", ["reporter", "editor"])
@pytest.mark.parametrize(
    "name", ["approve_selected", "reject_selected", "delete_unused_selected", "delete_selected"]
)
def test_reporters_and_editors_cannot_moderate_with_a_crafted_post(client, request, role, name):
    topic = TopicFactory(status=Topic.Status.PENDING)
    client.force_login(request.getfixturevalue(role))
    client.post(CHANGELIST, action(name, topic))
    assert Topic.objects.get().status == Topic.Status.PENDING
    assert not TopicLogEntry.objects.exists()


@pytest.mark.parametrize("role", ["reporter", "editor"])
def test_reporters_and_editors_see_no_moderation_actions(client, request, role):
    TopicFactory()
    client.force_login(request.getfixturevalue(role))
    content = client.get(CHANGELIST).content.decode()
    assert "approve_selected" not in content
    assert "Moderation queue" not in content


# --- Merge --------------------------------------------------------------------------------


def test_the_merge_action_asks_for_confirmation_first(client, moderator):
    russia, duplicate = TopicFactory(name="Russia"), TopicFactory(name="Russian Federation")
    client.force_login(moderator)
    response = client.post(CHANGELIST, action("merge_selected", russia, duplicate))
    assert response.status_code == 302
    assert response["Location"] == f"{MERGE}?ids={russia.pk},{duplicate.pk}"
    assert Topic.objects.count() == 2


def test_the_confirmation_page_shows_what_will_change(client, moderator):
    russia = TopicFactory(name="Russia", slug="russia")
    duplicate = TopicFactory(name="Russian Federation", slug="russian-federation")
    ArticleFactory(published=True, topics=[russia])
    ArticleFactory(topics=[russia, duplicate])
    ArticleFactory(topics=[duplicate])
    client.force_login(moderator)
    content = client.get(MERGE, {"ids": f"{russia.pk},{duplicate.pk}"}).content.decode()
    assert "<strong>1</strong> stories get “Russia” instead of a merged topic." in content
    assert "<strong>1</strong> stories tagged with both keep “Russia” once." in content
    assert "These names become aliases of “Russia”: “Russian Federation”" in content
    assert "/topics/russian-federation/" in content
    assert Topic.objects.count() == 2


def test_confirming_merges_into_the_chosen_target(client, moderator):
    russia, duplicate = TopicFactory(name="Russia"), TopicFactory(name="Russian Federation")
    article = ArticleFactory(topics=[duplicate])
    client.force_login(moderator)
    response = client.post(
        MERGE, {"ids": f"{russia.pk},{duplicate.pk}", "target": russia.pk, "confirm": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == change_url(russia)
    assert list(article.topics.all()) == [russia]


def test_the_merge_page_refuses_a_single_topic(client, moderator):
    topic = TopicFactory()
    client.force_login(moderator)
    response = client.post(MERGE, {"ids": str(topic.pk), "target": topic.pk, "confirm": "1"})
    assert response.status_code == 200
    assert "Choose at least two topics to merge." in response.content.decode()


@pytest.mark.parametrize("role", ["reporter", "editor"])
def test_reporters_and_editors_cannot_merge_with_a_crafted_post(client, request, role):
    russia, duplicate = TopicFactory(), TopicFactory()
    client.force_login(request.getfixturevalue(role))
    data = {"ids": f"{russia.pk},{duplicate.pk}", "target": russia.pk, "confirm": "1"}
    assert client.post(MERGE, data).status_code == 403
    assert Topic.objects.count() == 2


# --- Rename -------------------------------------------------------------------------------


def test_renaming_from_the_topic_page_keeps_the_old_slug_answering(client, moderator):
    topic = TopicFactory(name="Rusia", slug="rusia")
    client.force_login(moderator)
    response = client.post(change_url(topic), topic_form(topic, name="Russia", slug="russia"))
    assert response.status_code == 302
    assert TopicRedirect.objects.target_for("rusia") == Topic.objects.get(slug="russia")


def test_the_topic_form_refuses_a_name_another_topic_has_in_another_case(client, moderator):
    TopicFactory(name="Russia")
    topic = TopicFactory(name="Rusia")
    client.force_login(moderator)
    response = client.post(change_url(topic), topic_form(topic, name="RÚSSIA"))
    assert "A topic with this name already exists" in response.content.decode()


def test_editing_a_description_is_recorded(client, moderator):
    topic = TopicFactory(name="CPT")
    client.force_login(moderator)
    client.post(change_url(topic), topic_form(topic, description="The anti-torture committee."))
    assert TopicLogEntry.objects.get().summary == "Changed the description of “CPT”."


@pytest.mark.parametrize("role", ["reporter", "editor"])
def test_reporters_and_editors_cannot_rename_with_a_crafted_post(client, request, role):
    topic = TopicFactory(name="Russia", slug="russia")
    client.force_login(request.getfixturevalue(role))
    response = client.post(change_url(topic), topic_form(topic, name="Rossiya", slug="rossiya"))
    assert response.status_code == 403
    assert Topic.objects.get().name == "Russia"


def test_a_moderator_adds_an_approved_topic(client, moderator):
    client.force_login(moderator)
    add = reverse("admin:topics_topic_add")
    data = {"name": "Grain corridor", "slug": "", "kind": "subject", "description": ""}
    assert client.post(add, data).status_code == 302
    topic = Topic.objects.get()
    assert (topic.status, topic.slug, topic.proposed_by) == (
        "approved",
        "grain-corridor",
        moderator,
    )


def test_a_reporter_adding_a_topic_only_proposes_it(client, reporter):
    client.force_login(reporter)
    add = reverse("admin:topics_topic_add")
    client.post(add, {"name": "Grain corridor", "slug": "", "kind": "", "description": ""})
    assert Topic.objects.get().status == Topic.Status.PENDING


# --- Delete -------------------------------------------------------------------------------


def test_a_topic_in_use_cannot_be_deleted_from_its_page(client, moderator):
    topic = TopicFactory()
    ArticleFactory(topics=[topic])
    client.force_login(moderator)
    delete = reverse("admin:topics_topic_delete", args=[topic.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Topic.objects.filter(pk=topic.pk).exists()


def test_an_unused_topic_is_deleted_from_its_page(client, moderator):
    topic = TopicFactory()
    client.force_login(moderator)
    delete = reverse("admin:topics_topic_delete", args=[topic.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Topic.objects.exists()
    assert TopicLogEntry.objects.get().action == "deleted"


def test_deleting_selected_topics_keeps_those_in_use_and_says_so(client, moderator):
    used, unused = TopicFactory(name="Energy"), TopicFactory(name="Typo")
    ArticleFactory(topics=[used])
    client.force_login(moderator)
    response = client.post(CHANGELIST, action("delete_unused_selected", used, unused), follow=True)
    assert list(Topic.objects.all()) == [used]
    assert "Kept “Energy”: stories use them." in response.content.decode()


@pytest.mark.parametrize("role", ["reporter", "editor"])
def test_reporters_and_editors_cannot_delete_from_the_topic_page(client, request, role):
    topic = TopicFactory()
    client.force_login(request.getfixturevalue(role))
    delete = reverse("admin:topics_topic_delete", args=[topic.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Topic.objects.exists()


# --- Duplicates ---------------------------------------------------------------------------


def test_the_duplicates_page_offers_to_merge_each_pair(client, moderator):
    kyiv, latin = TopicFactory(name="Київ"), TopicFactory(name="Kyiv")
    ArticleFactory(published=True, topics=[latin])
    client.force_login(moderator)
    content = client.get(DUPLICATES).content.decode()
    assert "Cyrillic and Latin spellings" in content
    assert f"{MERGE}?ids={kyiv.pk},{latin.pk}" in content


@pytest.mark.parametrize("role", ["reporter", "editor"])
def test_the_duplicates_page_is_for_moderators_only(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(DUPLICATES).status_code == 403


# --- Aliases, log, search -----------------------------------------------------------------


def test_an_alias_added_in_the_admin_is_recorded(client, moderator):
    russia = TopicFactory(name="Russia")
    client.force_login(moderator)
    add = reverse("admin:topics_topicalias_add")
    assert client.post(add, {"name": "Russian Federation", "topic": russia.pk}).status_code == 302
    assert TopicAlias.objects.get().topic == russia
    assert TopicLogEntry.objects.get().action == "alias-added"


def test_the_alias_form_refuses_a_topic_name(client, moderator):
    russia = TopicFactory(name="Russia")
    TopicFactory(name="Ukraine")
    client.force_login(moderator)
    add = reverse("admin:topics_topicalias_add")
    response = client.post(add, {"name": "UKRAINE", "topic": russia.pk})
    assert "is a topic of its own" in response.content.decode()
    assert not TopicAlias.objects.exists()


def test_the_moderation_log_shows_who_did_what(client, moderator):
    topic = TopicFactory(name="Grain corridor", status=Topic.Status.PENDING)
    client.force_login(moderator)
    client.post(CHANGELIST, action("approve_selected", topic))
    content = client.get(reverse("admin:topics_topiclogentry_changelist")).content.decode()
    assert "Approved “Grain corridor” (was pending)." in content
    assert "moderator-1" in content


def test_the_moderation_log_cannot_be_changed_or_deleted(client, moderator):
    topic = TopicFactory(status=Topic.Status.PENDING)
    client.force_login(moderator)
    client.post(CHANGELIST, action("approve_selected", topic))
    entry = TopicLogEntry.objects.get()
    client.post(
        reverse("admin:topics_topiclogentry_change", args=[entry.pk]), {"summary": "Nothing."}
    )
    delete = reverse("admin:topics_topiclogentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert TopicLogEntry.objects.get().summary == entry.summary


@pytest.mark.parametrize("role", ["reporter", "editor"])
def test_the_moderation_log_is_for_moderators_only(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("admin:topics_topiclogentry_changelist")).status_code == 403


def test_the_topic_autocomplete_ignores_case_and_accents(client, moderator):
    TopicFactory(name="Rússia")
    TopicFactory(name="Ukraine")
    client.force_login(moderator)
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": "RUSS", "app_label": "topics", "model_name": "topicalias", "field_name": "topic"},
    )
    assert [result["text"] for result in response.json()["results"]] == ["Rússia"]


def test_the_topic_search_is_answered_by_the_trigram_index(moderator):
    TopicFactory(name="Russia")
    request = RequestFactory().get(CHANGELIST)
    request.user = moderator
    model_admin = TopicAdmin(Topic, admin.site)
    found, _ = model_admin.get_search_results(request, Topic.objects.all(), "russ")
    with connection.cursor() as cursor:
        # A test table is tiny: take away the plans that only a tiny table makes
        # cheaper (reading it all, or walking the name index for the ordering).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    assert "Bitmap Index Scan on topic_name_trgm_idx" in found.explain()


def test_the_topic_autocomplete_counts_no_stories(client, moderator):
    for n in range(30):
        ArticleFactory(published=True, topics=[f"Russia {n}"])
    client.force_login(moderator)
    params = {"term": "russ", "app_label": "topics", "model_name": "topicalias",
              "field_name": "topic"}  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("admin:autocomplete"), params).status_code == 200
    assert not any("articles_article" in q["sql"] for q in queries.captured_queries)


def test_the_topic_autocomplete_pages_through_names_without_counting_them(client, moderator):
    for n in range(25):
        TopicFactory(name=f"Russia {n:02}")
    client.force_login(moderator)
    params = {"term": "russ", "app_label": "topics", "model_name": "topicalias",
              "field_name": "topic"}  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        first = client.get(reverse("admin:autocomplete"), params).json()
    assert not any("COUNT(" in q["sql"] for q in queries.captured_queries)
    assert [r["text"] for r in first["results"]] == [f"Russia {n:02}" for n in range(20)]
    assert first["pagination"] == {"more": True}
    second = client.get(reverse("admin:autocomplete"), {**params, "page": 2}).json()
    assert [r["text"] for r in second["results"]] == [f"Russia {n:02}" for n in range(20, 25)]
    assert second["pagination"] == {"more": False}
    for page in ("last", "3", "0", "x"):
        response = client.get(reverse("admin:autocomplete"), {**params, "page": page})
        assert response.status_code == 404, page
