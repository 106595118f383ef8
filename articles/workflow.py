"""The editorial workflow: who may do what to a story, and doing it.

Every change of state (create, submit, send back, publish or schedule,
unpublish, delete, recover), every saved edit, every correction and every
restored revision goes through this module: it checks the user's right,
locks the story's row (`select_for_update`), writes in one transaction,
records the transition (who, when, from, to, note) and keeps a revision
(django-reversion) with the user and a comment. The admin, the management
commands and any future API call these functions; none of them decides on its
own.

| action | reporter | editor | topic moderator |
| --- | --- | --- | --- |
| create a draft, edit own drafts and own stories sent back | yes | yes | no |
| submit a draft for review | own | yes | no |
| edit any story, send one in review back with a note | no | yes | no |
| publish now, schedule, unpublish, add a correction | no | yes | no |
| delete (recoverably), recover | own drafts | yes | no |
| withdraw a published story for good, with a reason | no | yes | no |

Editors are the holders of `articles.publish_article`; superusers hold every
permission. "Own" means the user started the story or is on its byline.

Reading follows the same table: editors read every story; anyone else who may
view stories reads their own and what readers see (`can_read`, and
`Article.objects.readable_by` for lists); a story's preview, revisions and
history are for editors and its own people (`can_preview`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from copy import copy
from datetime import datetime

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from articles import revisions
from articles.footprints import public_footprint
from articles.languages import language_name
from articles.models import (
    EDITOR_PERMISSION,
    TEXT_FIELDS,
    Article,
    ArticleTransition,
    Correction,
)
from articles.signals import story_changed
from topics.models import Topic

Status = Article.Status
Action = ArticleTransition.Action

# The stories a reporter works on: their own, before review or after it came back.
WRITING_STATUSES = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED})
PUBLISHABLE_FROM = frozenset(
    {Status.DRAFT, Status.CHANGES_REQUESTED, Status.IN_REVIEW, Status.UNPUBLISHED}
)


class EditConflict(Exception):
    """Saving a story that someone else saved since it was loaded."""

    def __init__(self, stored: Article, loaded_version: int | None):
        super().__init__(
            f"Article {stored.pk} is at version {stored.version}, not {loaded_version} as loaded."
        )


class WorkflowError(PermissionDenied):
    """An action the user may not take, or that the story's state does not allow.

    The message is for the user. Raised before anything is written, so the
    story is left as it was.
    """


# Functions below take the acting `user`; None stands for an operator's command
# run at the shell, which is trusted and recorded without a name.


# --- Who may do what ---------------------------------------------------------------


def is_editor(user) -> bool:
    return user.is_active and user.has_perm(EDITOR_PERMISSION)


def is_own(user, article: Article) -> bool:
    """Whether `user` started the story or is on its byline."""
    if article.pk is None:
        return True
    if article.created_by_id == user.pk:
        return True
    return article.authors.filter(pk=user.pk).exists()


# `status` judges the story by the state it is stored in, when `article` already
# carries edits from a form.


def can_edit(user, article: Article, status: str | None = None) -> bool:
    """Whether `user` may change the story's text and filing."""
    status = status or article.status
    # A withdrawn story's text is what partners were told to drop: it stays as it was.
    if status in (Status.DELETED, Status.WITHDRAWN):
        return False
    if not user.has_perm("articles.change_article"):
        return False
    if is_editor(user):
        return True
    return status in WRITING_STATUSES and is_own(user, article)


def can_delete(user, article: Article, status: str | None = None) -> bool:
    status = status or article.status
    if status == Status.DELETED or not user.has_perm("articles.delete_article"):
        return False
    if is_editor(user):
        return True
    return status in WRITING_STATUSES and is_own(user, article)


def can_recover(user, article: Article, status: str | None = None) -> bool:
    status = status or article.status
    if status != Status.DELETED or not user.has_perm("articles.delete_article"):
        return False
    return is_editor(user) or is_own(user, article)


def can_preview(user, article: Article) -> bool:
    """Whether `user` may see the story in any state, and how it got there.

    Editors and the story's own people: its preview, its revisions and their
    comparison, its workflow history and the admin's history of it. Revisions of
    a published story hold wording readers never saw, so reading the story
    (`can_read`) is not enough.
    """
    if not user.has_perm("articles.view_article"):
        return False
    return is_editor(user) or is_own(user, article)


def can_read(user, article: Article) -> bool:
    """Whether `user` may read the story as it stands: in the list and in its form.

    The form is read-only unless `can_edit`. The rule is the lists' own,
    `Article.objects.readable_by`: whoever may preview the story, and anyone who
    may view stories once readers can see it.
    """
    if article.pk is None:
        return user.has_perm("articles.view_article")
    return Article.objects.readable_by(user).filter(pk=article.pk).exists()


def can_share_preview(user) -> bool:
    """Whether `user` may make preview links for people without an account."""
    return is_editor(user)


def action_for(
    from_status: str | None, to_status: str, publish_at: datetime | None = None
) -> Action | None:
    """Return the action that moves a story between two states, or None if nothing does.

    `from_status` is None for a story being created. A published story whose
    publish time changes is scheduled again (or published, if the time is past).
    """
    publishes = Action.SCHEDULED if publish_at and publish_at > timezone.now() else Action.PUBLISHED
    if from_status is None:
        return {
            Status.DRAFT: Action.CREATED,
            Status.IN_REVIEW: Action.SUBMITTED,
            Status.PUBLISHED: publishes,
        }.get(to_status)
    if to_status == Status.DELETED:
        return Action.DELETED if from_status != Status.DELETED else None
    return {
        (Status.DRAFT, Status.IN_REVIEW): Action.SUBMITTED,
        (Status.CHANGES_REQUESTED, Status.IN_REVIEW): Action.SUBMITTED,
        (Status.IN_REVIEW, Status.CHANGES_REQUESTED): Action.SENT_BACK,
        (Status.PUBLISHED, Status.PUBLISHED): publishes,
        (Status.PUBLISHED, Status.UNPUBLISHED): Action.UNPUBLISHED,
        (Status.PUBLISHED, Status.WITHDRAWN): Action.WITHDRAWN,
        (Status.UNPUBLISHED, Status.WITHDRAWN): Action.WITHDRAWN,
        (Status.DELETED, Status.DRAFT): Action.RECOVERED,
        **{(source, Status.PUBLISHED): publishes for source in PUBLISHABLE_FROM},
    }.get((from_status, to_status))


def may(user, article: Article | None, action: Action, status: str | None = None) -> bool:
    """Whether `user` may take `action` on `article` (None: a story being created).

    `status` is the story's stored state, if `article` already carries edits.
    """
    new = article is None or article.pk is None
    if action == Action.CREATED:
        return new and user.has_perm("articles.add_article")
    if action == Action.SUBMITTED:
        return user.has_perm("articles.add_article") if new else can_edit(user, article, status)
    if action == Action.WITHDRAWN:
        return not new and is_editor(user) and user.has_perm("articles.change_article")
    if action in (Action.PUBLISHED, Action.SCHEDULED, Action.UNPUBLISHED, Action.SENT_BACK):
        return is_editor(user) and user.has_perm(
            "articles.add_article" if new else "articles.change_article"
        )
    if action == Action.DELETED:
        return not new and can_delete(user, article, status)
    if action == Action.RECOVERED:
        return not new and can_recover(user, article, status)
    return False


def check_transition(
    user,
    article: Article | None,
    to_status: str,
    *,
    from_status: str | None = None,
    publish_at: datetime | None = None,
    note: str = "",
) -> Action:
    """Return the action moving `article` to `to_status`, or raise `WorkflowError`.

    `from_status` defaults to the story's stored status (None when creating).
    """
    if from_status is None and article is not None and article.pk is not None:
        from_status = article.status
    action = action_for(from_status, to_status, publish_at)
    to_label = Status(to_status).label.lower()
    if action is None:
        from_label = Status(from_status).label.lower() if from_status else _("new")
        raise WorkflowError(
            _("A story cannot go from “%(from)s” to “%(to)s”.")
            % {"from": from_label, "to": to_label}
        )
    if user is not None and not may(user, article, action, from_status):
        raise WorkflowError(refusal(action, article))
    if action == Action.SENT_BACK and not note.strip():
        raise WorkflowError(_("Say what needs changing: sending a story back needs a note."))
    return action


def refusal(action: Action, article: Article | None) -> str:
    """Return the message telling a user they may not take `action`."""
    if action in (Action.PUBLISHED, Action.SCHEDULED, Action.UNPUBLISHED):
        return _("Only editors may publish, schedule or unpublish stories.")
    if action == Action.SENT_BACK:
        return _("Only editors may send a story back for changes.")
    if action == Action.WITHDRAWN:
        return _("Only editors may withdraw stories.")
    if action == Action.DELETED:
        return _("You may delete only your own drafts; editors may delete any story.")
    if action == Action.RECOVERED:
        return _("You may recover only your own stories; editors may recover any story.")
    if action == Action.SUBMITTED and article is not None:
        return _("You may submit only your own drafts and stories sent back to you.")
    return _("You may not write stories.")


def reachable_statuses(user, article: Article | None) -> list[str]:
    """Return the statuses a story's form may offer `user`: where it is and where it may go.

    Deleting, recovering and withdrawing have their own buttons and are never offered here.
    """
    current = None if article is None or article.pk is None else article.status
    statuses = [current] if current else []
    for status in Status:
        if status in (current, Status.DELETED, Status.WITHDRAWN) or current == Status.DELETED:
            continue
        action = action_for(current, status, None)
        if action is not None and may(user, article, action, current):
            statuses.append(status)
    return [s for s in Status if s in statuses]


# --- Doing it --------------------------------------------------------------------------


@contextmanager
def revision(user, comment: str) -> Iterator[None]:
    """Keep a revision of every story saved inside, with `user` and `comment`.

    Nested inside another (the admin's form view), it joins that one.
    """
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(user if user is not None and user.is_authenticated else None)
        reversion.set_comment(comment)
        yield


def lock(article: Article | int) -> Article:
    """Return the story's current row, locked until the transaction ends."""
    pk = article.pk if isinstance(article, Article) else article
    return Article.objects.select_for_update(of=("self",)).get(pk=pk)


def record(
    article: Article, action: Action, from_status: str | None, user, note: str = ""
) -> ArticleTransition:
    return ArticleTransition.objects.create(
        article=article,
        action=action,
        from_status=from_status or "",
        to_status=article.status,
        publish_at=article.publish_at if article.status == Status.PUBLISHED else None,
        note=note.strip(),
        user=user if user is not None and user.is_authenticated else None,
    )


def describe_transition(transition: ArticleTransition) -> str:
    """Return what a recorded transition did, e.g. "Scheduled for 12 May 2026, 14:00"."""
    if transition.action == Action.SCHEDULED and transition.publish_at:
        when = date_format(timezone.localtime(transition.publish_at), "DATETIME_FORMAT")
        return _("Scheduled for %(time)s") % {"time": when}
    return transition.get_action_display()


def describe(action: Action, article: Article) -> str:
    """Return what happened, for messages and revision comments."""
    if action == Action.SCHEDULED:
        when = date_format(timezone.localtime(article.publish_at), "DATETIME_FORMAT")
        return _("Scheduled for %(time)s") % {"time": when}
    return str(action.label)


def same_time(a: datetime | None, b: datetime | None) -> bool:
    """Whether two publish times are the same to the second (forms drop microseconds)."""
    if a is None or b is None:
        return a is b
    return abs((a - b).total_seconds()) < 1


def publish_time(
    status: str, requested: datetime | None, stored: Article | None
) -> datetime | None:
    """Return the publish time a save gives a story with `status`, asked for `requested`.

    The one rule: a published story given no time goes out now, or keeps the
    time it was published at; the same time to the second is the stored one.
    Other states keep what they carry.
    """
    if status != Status.PUBLISHED:
        return requested
    kept = stored.publish_at if stored is not None and stored.status == Status.PUBLISHED else None
    if requested is None or (kept is not None and same_time(requested, kept)):
        return kept or timezone.now()
    return requested


def check_version(version: int | None, stored: Article | None) -> None:
    """Raise `EditConflict` when `stored` was saved since a copy at `version` was loaded."""
    if stored is not None and version != stored.version:
        raise EditConflict(stored, version)


def check_save(
    user,
    stored: Article | None,
    *,
    status: str,
    publish_at: datetime | None,
    note: str = "",
    story: Article | None = None,
) -> Action | None:
    """Check that `user` may save a story as `status` at `publish_at` over `stored`.

    `stored` is the story as it is stored (None: a new one, `story`). Returns
    the transition's action, or None for an edit that leaves the state alone;
    raises `WorkflowError` otherwise.
    """
    from_status = stored.status if stored is not None else None
    from_publish_at = stored.publish_at if stored is not None else None
    publish_at = publish_time(status, publish_at, stored)
    changes_state = from_status != status or (
        status == Status.PUBLISHED and not same_time(publish_at, from_publish_at)
    )
    if changes_state:
        return check_transition(
            user,
            stored or story,
            status,
            from_status=from_status,
            publish_at=publish_at,
            note=note,
        )
    if stored is not None and user is not None and not can_edit(user, stored):
        raise WorkflowError(_("You may not change this story."))
    return None


def save(article: Article, user, *, note: str = "") -> ArticleTransition | None:
    """Save `article`, carrying its edits, state and publish time, as `user`.

    Every write of a story comes here (the admin, the workflow's actions, taking
    wire copy, the commands). In one transaction it locks the stored row,
    refuses a copy loaded before someone else's save (`EditConflict`), checks
    the change (`WorkflowError`), resolves the publish time, saves, records the
    transition and keeps a revision; nothing is written when it raises. Returns
    the transition, or None for an edit that leaves the state alone.
    """
    with revision(user, ""):
        stored = lock(article) if article.pk is not None else None
        return write(article, stored, user, note=note)


def write(
    article: Article, stored: Article | None, user, *, note: str = ""
) -> ArticleTransition | None:
    """`save` once `stored` is locked: for the actions that lock the story themselves."""
    check_version(article.version, stored)
    action = check_save(
        user, stored, status=article.status, publish_at=article.publish_at, note=note, story=article
    )
    article.publish_at = publish_time(article.status, article.publish_at, stored)
    article.normalise()
    if stored is not None:
        # A correction raises the stored revision without a new version.
        changed = any(getattr(article, name) != getattr(stored, name) for name in TEXT_FIELDS)
        article.text_revision = stored.text_revision + changed
        # Marked current meanwhile (`mark_translation_current`): kept.
        if stored.translated_from_revision is not None:
            article.translated_from_revision = max(
                article.translated_from_revision or 0, stored.translated_from_revision
            )
    if user is not None and user.is_authenticated:
        article.updated_by = user
        if stored is None:
            article.created_by = user
    before = public_footprint(article.pk) if stored is not None else None
    article.save()
    story_changed.send(sender=Article, article_id=article.pk, before=before)
    reversion.add_to_revision(article)
    if action is None:
        return None
    return record(article, action, stored.status if stored is not None else None, user, note)


def transition(
    article: Article | int,
    user,
    to_status: str,
    *,
    publish_at: datetime | None = None,
    note: str = "",
) -> ArticleTransition:
    """Move a story to `to_status` as `user`, or raise `WorkflowError` and change nothing.

    Publishing without `publish_at` keeps a future time (or sets now); a
    scheduled story published with `publish_at=now` goes out at once.
    """
    with revision(user, ""):
        stored = lock(article)
        story = copy(stored)
        story.status = to_status
        if to_status == Status.PUBLISHED:
            story.publish_at = publish_at
        result = write(story, stored, user, note=note)
        if result is None:
            raise WorkflowError(
                _("The story is already %(status)s.") % {"status": stored.state_label.lower()}
            )
        reversion.set_comment(describe(result.action, story))
    if isinstance(article, Article):
        article.refresh_from_db()
    return result


def submit(article, user, note: str = "") -> ArticleTransition:
    return transition(article, user, Status.IN_REVIEW, note=note)


def send_back(article, user, note: str) -> ArticleTransition:
    return transition(article, user, Status.CHANGES_REQUESTED, note=note)


def publish(article, user, at: datetime | None = None, note: str = "") -> ArticleTransition:
    """Publish now, or schedule for a future `at`; a scheduled story published now goes out."""
    with transaction.atomic():
        if at is None and lock(article).is_scheduled:
            at = timezone.now()
        return transition(article, user, Status.PUBLISHED, publish_at=at, note=note)


def unpublish(article, user, note: str = "") -> ArticleTransition:
    return transition(article, user, Status.UNPUBLISHED, note=note)


def withdraw(article: Article | int, user, reason: str) -> ArticleTransition:
    """Take a published (or unpublished) story down for good, telling partners `reason`.

    Off every public surface like an unpublished story; partners who received it
    get it back as canceled (ninjs `pubStatus`), with the reason, in their change
    feed and at their endpoints. The text is kept as it was and can no longer be
    edited; the story can still be deleted.
    """
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("Say why the story is withdrawn: partners are told the reason."))
    with revision(user, ""):
        stored = lock(article)
        story = copy(stored)
        story.status = Status.WITHDRAWN
        story.withdrawn_at = timezone.now()
        story.withdrawal_reason = reason
        result = write(story, stored, user, note=reason)
        reversion.set_comment(describe(result.action, story))
    if isinstance(article, Article):
        article.refresh_from_db()
    return result


def delete(article, user, note: str = "") -> ArticleTransition:
    """Move a story to the deleted ones: off every public page, recoverable by `recover`."""
    return transition(article, user, Status.DELETED, note=note)


def recover(article, user, note: str = "") -> ArticleTransition:
    """Bring a deleted story back as a draft (never straight back to readers)."""
    return transition(article, user, Status.DRAFT, note=note)


def create_draft(user, *, comment: str = "", authors=(), topics=(), **fields) -> Article:
    """Create a draft as `user`, with its byline, topics and first revision.

    `user` None is an operator's command (such as `import_story`), trusted
    without a permission check.
    """
    with revision(user, comment or _("Created")):
        article = Article(status=Status.DRAFT, **fields)
        write(article, None, user)
        if authors:
            article.authors.set(authors)
        if topics:
            article.topics.set(topics)
        reversion.add_to_revision(article)
    return article


def add_correction(
    article: Article | int, user, note: str, published_at: datetime | None = None
) -> Correction:
    """Append a dated correction to a story that has been published (`user` None: an operator)."""
    if user is not None and not is_editor(user):
        raise WorkflowError(_("Only editors may add corrections."))
    if not note.strip():
        raise WorkflowError(_("A correction needs a note saying what was wrong."))
    with transaction.atomic():
        locked = lock(article)
        if locked.first_published_at is None or locked.status in (
            Status.DELETED,
            Status.WITHDRAWN,
        ):
            raise WorkflowError(_("Only a story that has been published can be corrected."))
        before = public_footprint(locked.pk)
        correction = Correction.objects.create(
            article=locked,
            note=note.strip(),
            published_at=published_at or timezone.now(),
            created_by=user,
        )
        story_changed.send(sender=Article, article_id=locked.pk, before=before, corrected=True)
        return correction


def restore(article: Article | int, user, version) -> Article:
    """Bring back the words, filing, byline and topics of an earlier revision.

    The story's state and publish time stay as they are. The restore is
    itself saved as a new revision, so it can be undone the same way.
    """
    snapshot = revisions.Snapshot(version)
    comment = _("Restored the revision of %(revision)s") % {"revision": snapshot.describe()}
    with revision(user, comment):
        stored = lock(article)
        if version.object_id != str(stored.pk) or version.content_type.model_class() is not Article:
            raise WorkflowError(_("That revision belongs to another story."))
        locked = copy(stored)
        values = snapshot.values
        for field in revisions.RESTORED_FIELDS:
            setattr(locked, field, values.get(field, getattr(locked, field)))
        for field, model in revisions.NAMED_FIELDS.items():
            # A source, section or photo deleted since then cannot come back.
            pk = getattr(locked, field)
            if pk is not None and not model.objects.filter(pk=pk).exists():
                setattr(locked, field, None)
        write(locked, stored, user)
        locked.authors.set(
            get_user_model().objects.filter(pk__in=snapshot.author_ids).values_list("pk", flat=True)
        )
        locked.topics.set(list(Topic.objects.filter(pk__in=snapshot.topic_ids)))
        reversion.add_to_revision(locked)
    return locked


# --- Translations -----------------------------------------------------------------------


def edition_languages(article: Article) -> set[str]:
    """Return the languages a story's piece of news has an edition in (deleted ones aside)."""
    if article.pk is None:
        return {article.language}
    editions = Article.objects.on_the_desk().editions_of(article)
    return set(editions.values_list("language", flat=True))


def translate(article: Article | int, user, language: str) -> Article:
    """Start an edition of a story in `language`: a draft of `user`'s, linked to the original.

    It starts from the original's text, filing, photo and topics, with `user`
    on its byline, and records the original's text revision it was made from.
    Raises `WorkflowError`, creating nothing, for a language the site has no
    edition for, one the story already has, or a user who may not write stories.
    """
    if not user.has_perm("articles.add_article"):
        raise WorkflowError(_("You may not start stories."))
    if language not in dict(settings.LANGUAGES):
        raise WorkflowError(_("The site has no edition in that language."))
    with revision(user, _("Translation started")):
        pk = article.pk if isinstance(article, Article) else article
        story = Article.objects.get(pk=pk)
        if not can_read(user, story):
            raise WorkflowError(_("You may not read this story."))
        # Locked: two people translating into one language at once make one edition.
        original = lock(story.translation_of_id or story.pk)
        if language in edition_languages(original):
            raise WorkflowError(
                _("This story already has an edition in %(language)s.")
                % {"language": language_name(language)}
            )
        return create_draft(
            user,
            comment=_("Translated from %(language)s")
            % {"language": language_name(original.language)},
            authors=[user],
            topics=list(original.topics.all()),
            language=language,
            translation_of=original,
            translated_from_revision=original.text_revision,
            headline=original.headline,
            standfirst=original.standfirst,
            body=original.body,
            dateline=original.dateline,
            section=original.section,
            source=original.source,
            source_url=original.source_url,
            lead_image=original.lead_image,
        )


def mark_translation_current(article: Article | int, user) -> Article:
    """Record that a translation matches its original's text as it stands now.

    Not an edit of the translation: its version, text and modified time stay
    (a save, `write`, never lowers the recorded revision, so a form opened before
    keeps this when it saves).
    """
    with transaction.atomic():
        locked = lock(article)
        if not locked.translation_of_id:
            raise WorkflowError(_("This story is not a translation."))
        if not can_edit(user, locked):
            raise WorkflowError(_("You may not change this story."))
        revisions_of = Article.objects.values_list("text_revision", flat=True)
        locked.translated_from_revision = revisions_of.get(pk=locked.translation_of_id)
        Article.objects.filter(pk=locked.pk).update(
            translated_from_revision=locked.translated_from_revision
        )
    if isinstance(article, Article):
        article.translated_from_revision = locked.translated_from_revision
    return locked
