"""Every newsdesk screen, asked by every role about stories in every state.

Who reads what (docs/newsdesk.md, *Who reads what*): editors and superusers read
every story; anyone else who may view stories reads their own and what readers
see; a story's preview, revisions and history are for editors and its own
people. A refused screen answers 403 and shows nothing of the story: not its
headline, not its body, not an earlier revision's words. Accounts: only
superusers see the list and forms of accounts; writers look people up by name
for bylines.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
import reversion
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from articles import revisions
from articles.models import Article
from tests.articles.admin_forms import CHANGELIST, article_form, change_url
from tests.factories import ArticleFactory, TopicFactory, UserFactory
from wire.models import WireItem

pytestmark = pytest.mark.django_db

Status = Article.Status
ROLES = ("reporter", "editor", "moderator", "superuser")
GROUPS = {"reporter": "Reporters", "editor": "Editors", "moderator": "Topic moderators"}
KINDS = ("own-draft", "draft", "review", "scheduled", "published", "deleted")
EVERY = set(KINDS)

# What each role may do with each kind of story (all but "own-draft" are someone else's).
READS = {  # The story as it stands: the list, the form, choice lists.
    "reporter": {"own-draft", "published"},
    "moderator": {"own-draft", "published"},  # Own: a moderator on a byline.
    "editor": EVERY,
    "superuser": EVERY,
}
FOLLOWS = {  # Any state of it and how it got there: preview, revisions, history.
    "reporter": {"own-draft"},
    "moderator": {"own-draft"},
    "editor": EVERY,
    "superuser": EVERY,
}
EDITS = {
    "reporter": {"own-draft"},
    "moderator": set(),
    "editor": EVERY - {"deleted"},
    "superuser": EVERY - {"deleted"},
}


def headline(kind: str) -> str:
    return f"Headline of the {kind} story"


def body(kind: str) -> str:
    return f"Body of the {kind} story."


def first_take(kind: str) -> str:
    """Words of the story's first revision, which readers never saw."""
    return f"First take of the {kind} story."


@pytest.fixture(params=ROLES)
def actor(request):
    role = request.param
    if role == "superuser":
        user = UserFactory(username="chief", is_staff=True, is_superuser=True)
    else:
        user = UserFactory(username=role, groups=[GROUPS[role]])
    user.role = role
    return user


def revise(article: Article, user, text: str) -> None:
    with reversion.create_revision():
        reversion.set_user(user)
        article.body = f"<p>{text}</p>"
        article.save()


def story(kind: str, actor) -> Article:
    """A story of `kind`, tagged "Grain", with two revisions: a first take, then its body."""
    now = timezone.now()
    states = {
        "own-draft": {},
        "draft": {},
        "review": {"status": Status.IN_REVIEW},
        "scheduled": {"status": Status.PUBLISHED, "publish_at": now + timedelta(hours=2)},
        "published": {"status": Status.PUBLISHED, "publish_at": now - timedelta(hours=1)},
        "deleted": {
            "status": Status.DELETED,
            "publish_at": now - timedelta(days=2),
            "first_published_at": now - timedelta(days=2),
        },
    }
    author = actor if kind == "own-draft" else UserFactory(groups=["Reporters"])
    article = ArticleFactory(
        headline=headline(kind),
        authors=[author],
        created_by=author,
        topics=["Grain"],
        **states[kind],
    )
    revise(article, author, first_take(kind))
    revise(article, author, body(kind))
    return article


def versions(article: Article) -> list:
    """The story's revisions, oldest first."""
    return list(reversed(revisions.versions_of(article)))


def autocomplete(model: str, field: str, term: str) -> str:
    query = f"app_label={model.split('.')[0]}&model_name={model.split('.')[1]}&field_name={field}"
    return f"{reverse('admin:autocomplete')}?{query}&term={term}"


# --- One story's screens ----------------------------------------------------------------


@dataclass
class Screen:
    name: str
    allowed: dict[str, set[str]]  # role -> kinds of story it opens for
    visit: Callable  # (client, article) -> response
    success: int = 200


def restore_first(client, article):
    first = versions(article)[0]
    return client.post(reverse("admin:articles_article_restore", args=[article.pk, first.pk]))


def compare(client, article):
    first, second = versions(article)
    return client.get(
        reverse("admin:articles_article_compare", args=[article.pk]),
        {"from": first.pk, "to": second.pk},
    )


SCREENS = [
    Screen("change form", READS, lambda client, a: client.get(change_url(a))),
    Screen(
        "save in the change form",
        EDITS,
        lambda client, a: client.post(change_url(a), article_form(a, headline="Changed")),
        302,
    ),
    Screen(
        "history",
        FOLLOWS,
        lambda client, a: client.get(reverse("admin:articles_article_history", args=[a.pk])),
    ),
    Screen(
        "revisions",
        FOLLOWS,
        lambda client, a: client.get(reverse("admin:articles_article_revisions", args=[a.pk])),
    ),
    Screen("revision comparison", FOLLOWS, compare),
    Screen("restore a revision", EDITS, restore_first, 302),
    Screen(
        "preview",
        FOLLOWS,
        lambda client, a: client.get(reverse("admin:articles_article_preview", args=[a.pk])),
    ),
]


def stored(article: Article) -> dict:
    return Article.objects.filter(pk=article.pk).values("headline", "body", "version").get()


def shows_nothing_of(response, kind: str) -> bool:
    content = response.content.decode()
    return not any(text in content for text in (headline(kind), body(kind), first_take(kind)))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("screen", SCREENS, ids=[screen.name for screen in SCREENS])
def test_a_story_screen_opens_only_for_those_who_may_read_it(client, actor, kind, screen):
    article = story(kind, actor)
    before = stored(article)
    client.force_login(actor)

    response = screen.visit(client, article)

    if kind in screen.allowed[actor.role]:
        assert response.status_code == screen.success
    else:
        assert response.status_code == 403
        assert shows_nothing_of(response, kind)
        assert stored(article) == before


@pytest.mark.parametrize("kind", KINDS)
def test_the_change_form_is_editable_only_for_who_may_edit(client, actor, kind):
    article = story(kind, actor)
    client.force_login(actor)
    response = client.get(change_url(article))
    if kind not in READS[actor.role]:
        assert response.status_code == 403
        return
    assert headline(kind) in response.content.decode()
    assert ('name="headline"' in response.content.decode()) == (kind in EDITS[actor.role])


@pytest.mark.parametrize("kind", KINDS)
def test_a_story_form_shows_revisions_and_history_only_to_its_people(client, actor, kind):
    article = story(kind, actor)
    client.force_login(actor)
    response = client.get(change_url(article))
    if kind not in READS[actor.role]:
        assert response.status_code == 403
        return
    content = response.content.decode()
    follows = kind in FOLLOWS[actor.role]
    assert (reverse("admin:articles_article_revisions", args=[article.pk]) in content) == follows
    assert (reverse("admin:articles_article_history", args=[article.pk]) in content) == follows
    assert ("Workflow history" in content) == follows
    assert first_take(kind) not in content


@pytest.mark.parametrize("kind", KINDS)
def test_the_desk_lists_only_the_stories_its_user_may_read(client, actor, kind):
    story(kind, actor)
    client.force_login(actor)
    response = client.get(CHANGELIST, {"status": "deleted"} if kind == "deleted" else {})
    assert response.status_code == 200
    assert (headline(kind) in response.content.decode()) == (kind in READS[actor.role])


@pytest.mark.parametrize("kind", KINDS)
def test_choosing_a_story_offers_only_the_ones_its_user_may_read(client, actor, kind):
    article = story(kind, actor)
    client.force_login(actor)
    response = client.get(autocomplete("articles.pin", "article", str(article.pk)))
    assert response.status_code == 200
    found = [result["text"] for result in response.json()["results"]]
    assert found == ([headline(kind)] if kind in READS[actor.role] else [])


@pytest.mark.parametrize("kind", KINDS)
def test_a_topic_shows_as_examples_only_stories_its_user_may_read(client, actor, kind):
    story(kind, actor)
    client.force_login(actor)
    response = client.get(reverse("admin:topics_topic_changelist"))
    assert response.status_code == 200
    assert (headline(kind) in response.content.decode()) == (kind in READS[actor.role])


@pytest.mark.parametrize("kind", ["own-draft", "draft", "published"])
def test_a_wire_item_names_the_story_made_from_it_only_to_who_may_read_it(client, actor, kind):
    article = story(kind, actor)
    item = WireItem.objects.create(
        source=article.source,
        guid="guid-1",
        headline="Grain ships leave Odesa ports",
        body="<p>Three ships left port.</p>",
        link="https://www.ukrinform.net/1001.html",
        taken_by=article.created_by,
        taken_at=timezone.now(),
        article=article,
    )
    client.force_login(actor)
    response = client.get(reverse("admin:wire_wireitem_change", args=[item.pk]))
    if actor.role == "moderator":  # The inbox is the writers'.
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert (headline(kind) in response.content.decode()) == (kind in READS[actor.role])


def test_a_topic_shows_no_examples_to_someone_who_may_read_no_story(client):
    user = UserFactory(username="vocabulary", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_topic"))
    ArticleFactory(published=True, headline=headline("published"), topics=["Grain"])
    client.force_login(user)
    response = client.get(reverse("admin:topics_topic_changelist"))
    assert response.status_code == 200
    assert "Grain" in response.content.decode()
    assert headline("published") not in response.content.decode()


def test_a_bulk_action_on_a_story_the_user_may_not_read_names_nothing(client, reporter):
    article = story("draft", reporter)
    client.force_login(reporter)
    response = client.post(
        CHANGELIST,
        {"action": "submit_selected", "_selected_action": [article.pk], "index": "0"},
        follow=True,
    )
    assert "Nothing was changed" in response.content.decode()
    assert shows_nothing_of(response, "draft")
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT


def test_an_unknown_story_answers_404_on_the_desks_own_screens(client, editor):
    client.force_login(editor)
    for name in ("preview", "revisions", "compare"):
        url = reverse(f"admin:articles_article_{name}", args=[10**9])
        assert client.get(url).status_code == 404


# --- Accounts ---------------------------------------------------------------------------


@pytest.fixture
def colleague(db):
    return UserFactory(
        username="okovalenko",
        first_name="Olena",
        last_name="Kovalenko",
        email="olena.private@example.org",
        is_staff=True,
    )


ACCOUNT_SCREENS = {
    "user list": lambda colleague: reverse("admin:auth_user_changelist"),
    "user change form": lambda colleague: reverse("admin:auth_user_change", args=[colleague.pk]),
    "user history": lambda colleague: reverse("admin:auth_user_history", args=[colleague.pk]),
    "user password form": lambda colleague: reverse(
        "admin:auth_user_password_change", args=[colleague.pk]
    ),
}


@pytest.mark.parametrize("screen", ACCOUNT_SCREENS)
def test_accounts_are_shown_to_superusers_only(client, actor, colleague, screen):
    client.force_login(actor)
    response = client.get(ACCOUNT_SCREENS[screen](colleague))
    if actor.role == "superuser":
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        content = response.content.decode()
        assert "olena.private" not in content
        assert hash_summary(colleague) not in content


def test_the_admin_index_offers_accounts_to_superusers_only(client, actor):
    client.force_login(actor)
    content = client.get(reverse("admin:index")).content.decode()
    assert (reverse("admin:auth_user_changelist") in content) == (actor.role == "superuser")


def hash_summary(user) -> str:
    """The start of the password's hash, which the admin's hash summary shows."""
    return user.password.split("$")[-1][:6]


def test_a_superuser_sees_the_password_hash_summary(client, superuser, colleague):
    client.force_login(superuser)
    content = client.get(reverse("admin:auth_user_change", args=[colleague.pk])).content.decode()
    assert "olena.private@example.org" in content
    assert hash_summary(colleague) in content


def test_the_byline_field_looks_people_up_by_name_only(client, actor, colleague):
    client.force_login(actor)
    response = client.get(autocomplete("articles.article", "authors", "Kovalenko"))
    if actor.role == "moderator":  # Moderators write no stories and look nobody up.
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert response.json()["results"] == [{"id": str(colleague.pk), "text": "okovalenko"}]
    assert "olena.private" not in response.content.decode()


@pytest.mark.parametrize("role", ["reporter", "editor"])
def test_writers_cannot_find_people_by_email(client, role, request, colleague):
    client.force_login(request.getfixturevalue(role))
    response = client.get(autocomplete("articles.article", "authors", "olena.private"))
    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.fixture
def account_manager(db):
    """Someone trusted with accounts (`auth.change_user`) who is no superuser."""
    user = UserFactory(username="accounts-desk", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="auth", codename__in=["view_user", "change_user"]
        )
    )
    return user


def test_an_account_manager_sees_accounts_without_password_hashes(
    client, account_manager, colleague
):
    client.force_login(account_manager)
    response = client.get(reverse("admin:auth_user_change", args=[colleague.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "olena.private@example.org" in content
    assert hash_summary(colleague) not in content
    assert 'name="is_superuser"' not in content


def test_an_account_manager_cannot_make_a_superuser(client, account_manager, colleague):
    client.force_login(account_manager)
    form = {
        "username": colleague.username,
        "first_name": colleague.first_name,
        "last_name": colleague.last_name,
        "email": colleague.email,
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
    }
    response = client.post(reverse("admin:auth_user_change", args=[colleague.pk]), form)
    assert response.status_code == 302, response.context and response.context["errors"]
    colleague.refresh_from_db()
    assert not colleague.is_superuser


def test_an_account_manager_cannot_set_a_superusers_password(client, account_manager, superuser):
    client.force_login(account_manager)
    url = reverse("admin:auth_user_password_change", args=[superuser.pk])
    response = client.post(url, {"password1": "taken-over-1234", "password2": "taken-over-1234"})
    assert response.status_code == 403
    superuser.refresh_from_db()
    assert not superuser.check_password("taken-over-1234")


# --- What the desk costs -------------------------------------------------------------------


def test_a_reporters_desk_costs_a_fixed_number_of_queries(
    client, reporter, django_assert_num_queries
):
    for n in range(5):
        ArticleFactory(authors=[reporter], topics=[f"Topic {n}"])
        ArticleFactory(published=True, authors=UserFactory.create_batch(2))
        ArticleFactory(status=Status.IN_REVIEW, authors=[UserFactory()])
    client.force_login(reporter)
    # session, user, permissions (2), section and source filters, topic and author
    # filters, the page's COUNT, the stories the reporter may read with section,
    # source and last editor, and their bylines: the rule is part of the stories'
    # query, never one query per row.
    with django_assert_num_queries(11):
        response = client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == 10
    for n in range(20):
        ArticleFactory(authors=[reporter], topics=[f"Theme {n}"])
        ArticleFactory(status=Status.IN_REVIEW, authors=[UserFactory()])
    with django_assert_num_queries(11):
        assert len(client.get(CHANGELIST).context["cl"].result_list) == 30


def test_topics_list_examples_for_a_reporter_in_a_fixed_number_of_queries(
    client, reporter, django_assert_max_num_queries
):
    for n in range(10):
        ArticleFactory(topics=[f"Topic {n}", "Shared"], authors=[UserFactory()])
        ArticleFactory(published=True, topics=[f"Topic {n}"])
    TopicFactory(name="Unused")
    client.force_login(reporter)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("admin:topics_topic_changelist")).status_code == 200
