"""Every action of the workflow's table, tried by every role through the admin.

Each case sets up a story, takes the action the way a browser (or a crafted
request) would, and checks both the answer and the database afterwards: an
allowed action happened and was recorded; a refused one answered with a clear
refusal and changed nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.messages import WARNING, get_messages
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleTransition, Correction
from tests.articles.admin_forms import (
    ADD,
    CHANGELIST,
    article_form,
    change_url,
    new_article_form,
)
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Article.Status
ROLES = ("reporter", "editor", "moderator", "superuser")
WRITERS = {"reporter", "editor", "superuser"}
EDITORS = {"editor", "superuser"}


@pytest.fixture(params=ROLES)
def actor(request):
    role = request.param
    if role == "superuser":
        user = UserFactory(username="chief", is_staff=True, is_superuser=True)
    else:
        group = {"reporter": "Reporters", "editor": "Editors", "moderator": "Topic moderators"}
        user = UserFactory(username=role, groups=[group[role]])
    user.role = role
    return user


def own_story(actor, **kwargs) -> Article:
    """A story the actor started and carries the byline of."""
    article = ArticleFactory(authors=[actor], **kwargs)
    Article.objects.filter(pk=article.pk).update(created_by=actor)
    article.refresh_from_db()
    return article


def someone_elses_story(**kwargs) -> Article:
    author = UserFactory(groups=["Reporters"])
    return ArticleFactory(authors=[author], created_by=author, **kwargs)


def published(**kwargs) -> dict:
    return {"status": Status.PUBLISHED, "publish_at": timezone.now() - timedelta(hours=1), **kwargs}


def bulk(client, action: str, article: Article, query: str = ""):
    """Take a bulk action on the list (`query`: the list's filter, as in the browser)."""
    return client.post(
        CHANGELIST + query, {"action": action, "_selected_action": [article.pk], "index": "0"}
    )


def refused_clearly(response) -> bool:
    """A 403, a form shown again with errors, or a redirect with a warning or error message."""
    if response.status_code == 403:
        return True
    if response.status_code == 200:
        return bool(response.context["errors"])
    if response.status_code == 302:
        return any(m.level >= WARNING for m in get_messages(response.wsgi_request))
    return False


@dataclass
class Case:
    name: str
    allowed: set[str]
    setup: Callable  # actor -> Article | None
    act: Callable  # (client, actor, article) -> response
    happened: Callable  # (actor, article) -> bool, read from the database


CASES = [
    Case(
        "create a draft",
        WRITERS,
        lambda actor: None,
        lambda client, actor, article: client.post(ADD, new_article_form()),
        lambda actor, article: Article.objects.filter(
            headline="Grain ships leave Odesa", status=Status.DRAFT, created_by=actor
        ).exists(),
    ),
    Case(
        "edit own draft",
        WRITERS,
        lambda actor: own_story(actor),
        lambda client, actor, article: client.post(
            change_url(article), article_form(article, headline="Edited headline")
        ),
        lambda actor, article: Article.objects.get(pk=article.pk).headline == "Edited headline",
    ),
    Case(
        "edit own story sent back for changes",
        WRITERS,
        lambda actor: own_story(actor, status=Status.CHANGES_REQUESTED),
        lambda client, actor, article: client.post(
            change_url(article), article_form(article, headline="Edited headline")
        ),
        lambda actor, article: Article.objects.get(pk=article.pk).headline == "Edited headline",
    ),
    Case(
        "submit own draft for review",
        WRITERS,
        lambda actor: own_story(actor),
        lambda client, actor, article: client.post(
            change_url(article), article_form(article, status=Status.IN_REVIEW)
        ),
        lambda actor, article: Article.objects.get(pk=article.pk).status == Status.IN_REVIEW,
    ),
    Case(
        "submit own draft for review in bulk",
        WRITERS,
        lambda actor: own_story(actor),
        lambda client, actor, article: bulk(client, "submit_selected", article),
        lambda actor, article: Article.objects.get(pk=article.pk).status == Status.IN_REVIEW,
    ),
    Case(
        "edit someone else's draft",
        EDITORS,
        lambda actor: someone_elses_story(),
        lambda client, actor, article: client.post(
            change_url(article), article_form(article, headline="Edited headline")
        ),
        lambda actor, article: Article.objects.get(pk=article.pk).headline == "Edited headline",
    ),
    Case(
        "submit someone else's draft in bulk",
        EDITORS,
        lambda actor: someone_elses_story(),
        lambda client, actor, article: bulk(client, "submit_selected", article),
        lambda actor, article: Article.objects.get(pk=article.pk).status == Status.IN_REVIEW,
    ),
    Case(
        "edit own published story",
        EDITORS,
        lambda actor: own_story(actor, **published()),
        lambda client, actor, article: client.post(
            change_url(article), article_form(article, headline="Edited headline")
        ),
        lambda actor, article: Article.objects.get(pk=article.pk).headline == "Edited headline",
    ),
    Case(
        "send own story in review back with a note",
        EDITORS,
        lambda actor: own_story(actor, status=Status.IN_REVIEW),
        lambda client, actor, article: client.post(
            change_url(article),
            article_form(
                article, status=Status.CHANGES_REQUESTED, transition_note="Add a second source."
            ),
        ),
        lambda actor, article: ArticleTransition.objects.filter(
            article=article, action="sent_back", note="Add a second source."
        ).exists(),
    ),
    Case(
        "publish own story now (crafted status)",
        EDITORS,
        lambda actor: own_story(actor, status=Status.IN_REVIEW),
        lambda client, actor, article: client.post(
            change_url(article), article_form(article, status=Status.PUBLISHED)
        ),
        lambda actor, article: Article.objects.published().filter(pk=article.pk).exists(),
    ),
    Case(
        "publish a new story straight from the add form",
        EDITORS,
        lambda actor: None,
        lambda client, actor, article: client.post(ADD, new_article_form(status=Status.PUBLISHED)),
        lambda actor, article: Article.objects.published().exists(),
    ),
    Case(
        "schedule own story",
        EDITORS,
        lambda actor: own_story(actor, status=Status.IN_REVIEW),
        lambda client, actor, article: client.post(
            change_url(article),
            article_form(
                article,
                status=Status.PUBLISHED,
                publish_at=timezone.now() + timedelta(days=1),
            ),
        ),
        lambda actor, article: Article.objects.scheduled().filter(pk=article.pk).exists(),
    ),
    Case(
        "publish own draft in bulk",
        EDITORS,
        lambda actor: own_story(actor),
        lambda client, actor, article: bulk(client, "publish_selected", article),
        lambda actor, article: Article.objects.published().filter(pk=article.pk).exists(),
    ),
    Case(
        "unpublish own story",
        EDITORS,
        lambda actor: own_story(actor, **published()),
        lambda client, actor, article: client.post(
            change_url(article), article_form(article, status=Status.UNPUBLISHED)
        ),
        lambda actor, article: Article.objects.get(pk=article.pk).status == Status.UNPUBLISHED,
    ),
    Case(
        "unpublish own story in bulk",
        EDITORS,
        lambda actor: own_story(actor, **published()),
        lambda client, actor, article: bulk(client, "unpublish_selected", article),
        lambda actor, article: Article.objects.get(pk=article.pk).status == Status.UNPUBLISHED,
    ),
    Case(
        "add a correction to own published story",
        EDITORS,
        lambda actor: own_story(actor, **published()),
        lambda client, actor, article: client.post(
            change_url(article),
            article_form(
                article,
                **{
                    "corrections-TOTAL_FORMS": "1",
                    "corrections-0-published_at_0": timezone.localdate().isoformat(),
                    "corrections-0-published_at_1": "09:00:00",
                    "corrections-0-note": "An earlier version gave the wrong date.",
                },
            ),
        ),
        lambda actor, article: Correction.objects.filter(article=article).exists(),
    ),
    Case(
        "delete own draft",
        WRITERS,
        lambda actor: own_story(actor),
        lambda client, actor, article: client.post(
            reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
        ),
        lambda actor, article: Article.objects.get(pk=article.pk).status == Status.DELETED,
    ),
    Case(
        "delete own draft in bulk",
        WRITERS,
        lambda actor: own_story(actor),
        lambda client, actor, article: bulk(client, "delete_selected_recoverably", article),
        lambda actor, article: Article.objects.get(pk=article.pk).status == Status.DELETED,
    ),
    Case(
        "delete someone else's draft",
        EDITORS,
        lambda actor: someone_elses_story(),
        lambda client, actor, article: client.post(
            reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
        ),
        lambda actor, article: Article.objects.get(pk=article.pk).status == Status.DELETED,
    ),
    Case(
        "delete own published story in bulk",
        EDITORS,
        lambda actor: own_story(actor, **published()),
        lambda client, actor, article: bulk(client, "delete_selected_recoverably", article),
        lambda actor, article: Article.objects.get(pk=article.pk).status == Status.DELETED,
    ),
    Case(
        "recover own deleted draft",
        WRITERS,
        lambda actor: own_story(actor, status=Status.DELETED),
        lambda client, actor, article: client.post(
            reverse("admin:articles_article_recover", args=[article.pk])
        ),
        lambda actor, article: Article.objects.get(pk=article.pk).status == Status.DRAFT,
    ),
    Case(
        "recover someone else's deleted story in bulk",
        EDITORS,
        lambda actor: someone_elses_story(status=Status.DELETED),
        lambda client, actor, article: bulk(client, "recover_selected", article, "?status=deleted"),
        lambda actor, article: Article.objects.get(pk=article.pk).status == Status.DRAFT,
    ),
    Case(
        "translate own draft",
        WRITERS,
        lambda actor: own_story(actor),
        lambda client, actor, article: translate(client, article),
        lambda actor, article: translated_by(actor, article),
    ),
    Case(
        "translate someone else's published story",
        WRITERS,
        lambda actor: someone_elses_story(**published()),
        lambda client, actor, article: translate(client, article),
        lambda actor, article: translated_by(actor, article),
    ),
    Case(
        "translate someone else's draft",
        EDITORS,
        lambda actor: someone_elses_story(),
        lambda client, actor, article: translate(client, article),
        lambda actor, article: translated_by(actor, article),
    ),
    Case(
        "mark own translation current (an edit)",
        WRITERS,
        lambda actor: outdated_translation(own_story(actor, language="uk")),
        lambda client, actor, article: client.post(
            reverse("admin:articles_article_mark_current", args=[article.pk])
        ),
        lambda actor, article: not Article.objects.get(pk=article.pk).translation_is_outdated(),
    ),
    Case(
        "mark someone else's translation current (an edit)",
        EDITORS,
        lambda actor: outdated_translation(someone_elses_story(language="uk")),
        lambda client, actor, article: client.post(
            reverse("admin:articles_article_mark_current", args=[article.pk])
        ),
        lambda actor, article: not Article.objects.get(pk=article.pk).translation_is_outdated(),
    ),
]


def translate(client, article: Article):
    return client.post(
        reverse("admin:articles_article_translate", args=[article.pk]), {"language": "uk"}
    )


def translated_by(actor, article: Article) -> bool:
    return Article.objects.filter(
        translation_of=article, language="uk", status=Status.DRAFT, created_by=actor
    ).exists()


def outdated_translation(translation: Article) -> Article:
    """Make `translation` the Ukrainian edition of a published story whose text changed since."""
    original = someone_elses_story(**published(text_revision=3))
    Article.objects.filter(pk=translation.pk).update(
        translation_of=original, translated_from_revision=2
    )
    translation.refresh_from_db()
    return translation


def snapshot(article: Article | None) -> tuple:
    if article is None:
        return (Article.objects.count(),)
    row = Article.objects.filter(pk=article.pk).values().get()
    return (
        row["headline"],
        row["status"],
        row["publish_at"],
        row["version"],
        Correction.objects.filter(article=article).count(),
        ArticleTransition.objects.filter(article=article).count(),
    )


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_workflow_action_as_every_role(client, actor, case):
    article = case.setup(actor)
    before = snapshot(article)
    client.force_login(actor)

    response = case.act(client, actor, article)

    if actor.role in case.allowed:
        assert response.status_code == 302, getattr(
            response, "context", {}
        ) and response.context.get("errors")
        assert case.happened(actor, article)
        assert not any(m.level >= WARNING for m in get_messages(response.wsgi_request))
    else:
        assert refused_clearly(response), response.status_code
        assert not case.happened(actor, article)
        assert snapshot(article) == before


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_every_allowed_action_is_recorded(client, case):
    editor = UserFactory(username="chief", is_staff=True, is_superuser=True)
    editor.role = "superuser"
    article = case.setup(editor)
    client.force_login(editor)
    before = ArticleTransition.objects.count()
    case.act(client, editor, article)
    assert case.happened(editor, article)
    if "edit" in case.name or "correction" in case.name:
        assert ArticleTransition.objects.count() == before  # Not a change of state.
    else:
        transition = ArticleTransition.objects.latest("created_at", "pk")
        assert transition.user == editor
        assert ArticleTransition.objects.count() == before + 1
