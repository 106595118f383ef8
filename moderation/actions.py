"""Every change moderators make to the topic vocabulary, in one place.

Each action checks that the user may moderate topics, locks the rows it changes
(`select_for_update`), writes in one transaction, records who did what in the
moderation log (`TopicLogEntry`) and, once committed, retires the cached public
pages and the rendered stories. The admin calls these; a command or an API would
call the same.

Merging is set-based SQL: a topic used by 100,000 stories merges in a handful of
statements, and a failure anywhere leaves everything as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from articles.models import ArticleTopic
from moderation.usage import topics_in_use, with_usage
from topics.models import (
    NormalName,
    Topic,
    TopicAlias,
    TopicLogEntry,
    TopicName,
    TopicRedirect,
    normal_forms,
    tidy_name,
)
from topics.signals import topics_changed

logger = logging.getLogger(__name__)
Action = TopicLogEntry.Action


def can_moderate(user) -> bool:
    """Return whether `user` may approve, reject, rename, merge and delete topics."""
    return bool(user and user.is_active and user.has_perm("topics.moderate_topic"))


def check_permission(user) -> None:
    if not can_moderate(user):
        raise PermissionDenied("Only topic moderators can change the topic vocabulary.")


def _record(user, action: str, topic: Topic | None, summary: str, **details) -> TopicLogEntry:
    return TopicLogEntry(
        action=action,
        topic=topic,
        topic_name=topic.name if topic else details.get("name", ""),
        actor=user,
        summary=summary,
        details=details,
    )


def _topics_changed(topic_ids: Iterable[int], shown_ids: Iterable[int] = ()) -> None:
    # Bulk updates send no model signals: say what changed for readers.
    topics_changed.send(sender=Topic, topic_ids=list(topic_ids), shown_ids=list(shown_ids))


def _names(topics: Iterable[Topic]) -> str:
    return ", ".join(f"“{topic.name}”" for topic in topics)


# --- Adding and editing -----------------------------------------------------------------


def add_topic(user, topic: Topic) -> Topic:
    """Save a new topic: approved when a moderator adds it, otherwise a pending proposal."""
    topic.proposed_by = user
    if not can_moderate(user):
        topic.status = Topic.Status.PENDING
        topic.save()
        return topic
    with transaction.atomic():
        topic.status = Topic.Status.APPROVED
        topic.save()
        _record(user, Action.ADDED, topic, _("Added “%(name)s”.") % {"name": topic.name}).save()
        _topics_changed([topic.pk], shown_ids=[topic.pk])
    return topic


def edit(user, topic: Topic, fields: Sequence[str]) -> Topic:
    """Save changes to a topic's description or kind (not its name or slug: see `rename`)."""
    check_permission(user)
    fields = [field for field in fields if field not in ("name", "slug", "status")]
    if not fields:
        return topic
    with transaction.atomic():
        Topic.objects.select_for_update().get(pk=topic.pk)
        topic.save(update_fields=fields)
        labels = ", ".join(str(Topic._meta.get_field(field).verbose_name) for field in fields)
        summary = _("Changed the %(fields)s of “%(name)s”.") % {
            "fields": labels,
            "name": topic.name,
        }
        _record(user, Action.EDITED, topic, summary).save()
        _topics_changed([topic.pk])
    return topic


# --- Approving and rejecting ------------------------------------------------------------


def approve(user, topics: Iterable[Topic]) -> list[Topic]:
    """Approve topics: readers see them from now on. Return those that changed."""
    return _set_status(user, topics, Topic.Status.APPROVED)


def reject(user, topics: Iterable[Topic]) -> list[Topic]:
    """Reject topics: they leave the public site and their names cannot be proposed again.

    Stories keep their links, so approving the topic later restores it everywhere.
    """
    return _set_status(user, topics, Topic.Status.REJECTED)


def _set_status(user, topics: Iterable[Topic], status: str) -> list[Topic]:
    check_permission(user)
    ids = [topic.pk for topic in topics]
    with transaction.atomic():
        changing = list(
            Topic.objects.select_for_update()
            .filter(pk__in=ids)
            .exclude(status=status)
            .order_by("pk")
        )
        if not changing:
            return []
        Topic.objects.filter(pk__in=[topic.pk for topic in changing]).update(status=status)
        action = Action.APPROVED if status == Topic.Status.APPROVED else Action.REJECTED
        TopicLogEntry.objects.bulk_create(
            _record(
                user,
                action,
                topic,
                _("%(action)s “%(name)s” (was %(status)s).")
                % {
                    "action": action.label,
                    "name": topic.name,
                    "status": topic.get_status_display().lower(),
                },
                previous_status=topic.status,
            )
            for topic in changing
        )
        for topic in changing:
            topic.status = status
        changed = [topic.pk for topic in changing]
        _topics_changed(changed, shown_ids=changed if status == Topic.Status.APPROVED else ())
    logger.info("%s %s topics: %s", user, status, _names(changing))
    return changing


# --- Renaming -----------------------------------------------------------------------------


def check_rename(topic: Topic, name: str, slug: str) -> None:
    """Raise ValidationError if `topic` cannot be called `name` at address `slug`."""
    clash = (
        TopicAlias.objects.annotate(name_key=NormalName("name"))
        .filter(name_key=NormalName(Value(name)))
        .exclude(topic_id=topic.pk)
        .select_related("topic")
        .first()
    )
    if clash:
        raise ValidationError(
            {
                "name": _("“%(alias)s” is an alias of “%(topic)s”: merge the topics instead.")
                % {"alias": clash.name, "topic": clash.topic}
            }
        )
    taken = TopicRedirect.objects.filter(old_slug=slug).exclude(topic_id=topic.pk).first()
    if taken:
        raise ValidationError(
            {
                "slug": _("/topics/%(slug)s/ still leads to “%(topic)s”, which used to have it.")
                % {"slug": slug, "topic": taken.topic}
            }
        )
    # A topic not named in a language is found there at its default slug.
    named = TopicName.objects.filter(slug=slug).exclude(topic_id=topic.pk).first()
    if named:
        raise ValidationError(
            {
                "slug": _("“%(topic)s” has this slug in %(language)s.")
                % {"topic": named.topic.name, "language": named.language}
            }
        )


def rename(user, topic: Topic, *, name: str, slug: str | None = None) -> Topic:
    """Give a topic a new name and/or slug; the old slug answers 301, the old name is an alias.

    `slug=None` keeps the slug; an empty slug makes a new one from the name.
    """
    check_permission(user)
    name = tidy_name(name)
    with transaction.atomic():
        current = Topic.objects.select_for_update().get(pk=topic.pk)
        old_name, old_slug = current.name, current.slug
        if slug is None:
            slug = old_slug
        elif not slug:
            slug = current.free_slug(name)
        check_rename(current, name, slug)
        if (name, slug) == (old_name, old_slug):
            return current
        old_key, new_key = normal_forms([old_name, name])
        # The new name is the topic's own now, not one of its aliases.
        TopicAlias.objects.annotate(name_key=NormalName("name")).filter(
            topic=current, name_key=new_key
        ).delete()
        current.name, current.slug = name, slug
        current.save(update_fields=["name", "slug"])
        if old_key != new_key:
            TopicAlias.objects.bulk_create(
                # The old name was the default language's.
                [
                    TopicAlias(
                        name=old_name,
                        topic=current,
                        language=settings.LANGUAGE_CODE,
                        created_by=user,
                    )
                ],
                ignore_conflicts=True,
            )
        if slug != old_slug:
            TopicRedirect.objects.filter(old_slug=slug).delete()
            TopicRedirect.objects.update_or_create(old_slug=old_slug, defaults={"topic": current})
        _record(
            user,
            Action.RENAMED,
            current,
            _("Renamed “%(old_name)s” (/topics/%(old_slug)s/) to “%(name)s” (/topics/%(slug)s/).")
            % {"old_name": old_name, "old_slug": old_slug, "name": name, "slug": slug},
            old_name=old_name,
            old_slug=old_slug,
            name=name,
            slug=slug,
        ).save()
        _topics_changed([current.pk])
    topic.name, topic.slug = current.name, current.slug
    return current


# --- Aliases ------------------------------------------------------------------------------


def check_alias(name: str, language: str = "") -> None:
    """Raise ValidationError if `name` is already a topic's name (in `language`, or any)."""
    topic = Topic.objects.with_normal_name().filter(name_key=NormalName(Value(name))).first()
    if topic:
        raise ValidationError(
            {"name": _("“%(name)s” is a topic of its own: merge instead.") % {"name": topic.name}}
        )
    named = (
        TopicName.objects.annotate(name_key=NormalName("name"))
        .filter(Q(language=language) if language else Q(), name_key=NormalName(Value(name)))
        .select_related("topic")
        .first()
    )
    if named:
        raise ValidationError(
            {
                "name": _("“%(name)s” is the name of “%(topic)s” in %(language)s: merge instead.")
                % {"name": named.name, "topic": named.topic.name, "language": named.language}
            }
        )


def add_alias(user, topic: Topic, name: str, language: str = "") -> TopicAlias:
    """Make `name` another name of `topic`: tagging with it attaches the topic.

    In `language`'s stories first (see `TopicManager.resolve`); blank for any language.
    """
    check_permission(user)
    name = tidy_name(name)
    check_alias(name, language)
    with transaction.atomic():
        alias = TopicAlias.objects.create(
            name=name, topic=topic, language=language, created_by=user
        )
        summary = _("“%(alias)s” now means “%(topic)s”.") % {"alias": name, "topic": topic.name}
        _record(user, Action.ALIAS_ADDED, topic, summary).save()
    return alias


def remove_alias(user, alias: TopicAlias) -> None:
    check_permission(user)
    with transaction.atomic():
        alias.delete()
        _record(
            user,
            Action.ALIAS_REMOVED,
            alias.topic,
            _("“%(alias)s” no longer means “%(topic)s”.")
            % {"alias": alias.name, "topic": alias.topic.name},
        ).save()


# --- Names in other languages ----------------------------------------------------------


def set_name(user, topic: Topic, language: str, name: str) -> TopicName:
    """Name `topic` in `language`, or rename it there (see `Topic.set_name`).

    The default language's name is renamed with `rename`.
    """
    check_permission(user)
    with transaction.atomic():
        before = topic.names.filter(language=language).first()
        saved = topic.set_name(language, name)
        if before is not None and (before.name, before.slug) == (saved.name, saved.slug):
            return saved
        if before is None:
            summary = _("Named “%(topic)s” “%(name)s” in %(language)s.") % {
                "topic": topic.name,
                "name": saved.name,
                "language": language,
            }
        else:
            summary = _("Renamed “%(topic)s” in %(language)s from “%(old)s” to “%(name)s”.") % {
                "topic": topic.name,
                "language": language,
                "old": before.name,
                "name": saved.name,
            }
        _record(
            user,
            Action.RENAMED,
            topic,
            summary,
            language=language,
            old_name=before.name if before else None,
            old_slug=before.slug if before else None,
            name=saved.name,
            slug=saved.slug,
        ).save()
    return saved


def remove_name(user, name: TopicName) -> None:
    """Take a topic's name in a language away: it is shown there by its default name again.

    The name stays an alias in its language and its slug answers 301 to the topic's page.
    """
    check_permission(user)
    topic = name.topic
    with transaction.atomic():
        Topic.objects.select_for_update().filter(pk=topic.pk).first()
        name.delete()
        TopicAlias.objects.bulk_create(
            [TopicAlias(name=name.name, topic=topic, language=name.language, created_by=user)],
            ignore_conflicts=True,
        )
        if name.slug != topic.slug:
            TopicRedirect.objects.get_or_create(old_slug=name.slug, defaults={"topic": topic})
        _record(
            user,
            Action.RENAMED,
            topic,
            _("“%(topic)s” is no longer called “%(name)s” in %(language)s.")
            % {"topic": topic.name, "name": name.name, "language": name.language},
            language=name.language,
            old_name=name.name,
            old_slug=name.slug,
        ).save()
        _topics_changed([topic.pk])


# --- Deleting -----------------------------------------------------------------------------


def delete_unused(user, topics: Iterable[Topic]) -> tuple[list[Topic], list[Topic]]:
    """Delete the topics no story is tagged with; return (deleted, in use and kept).

    A topic in use is never deleted, only merged: its stories would lose it.
    """
    check_permission(user)
    ids = [topic.pk for topic in topics]
    with transaction.atomic():
        locked = list(Topic.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        used = topics_in_use([topic.pk for topic in locked])
        unused = [topic for topic in locked if topic.pk not in used]
        kept = [topic for topic in locked if topic.pk in used]
        if unused:
            TopicLogEntry.objects.bulk_create(
                _record(
                    user,
                    Action.DELETED,
                    None,
                    _("Deleted “%(name)s” (/topics/%(slug)s/), which no story used.")
                    % {"name": topic.name, "slug": topic.slug},
                    name=topic.name,
                    slug=topic.slug,
                )
                for topic in unused
            )
            Topic.objects.filter(pk__in=[topic.pk for topic in unused]).delete()
            _topics_changed([topic.pk for topic in unused])
    return unused, kept


# --- Merging ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MergePlan:
    """What merging `sources` into `target` will change, for the confirmation page."""

    target: Topic
    sources: list[Topic]  # annotated by `with_usage` and with `shared_with_target`
    stories_to_retag: int  # tagged with a merged topic and not yet with the target
    stories_already_tagged: int  # tagged with both: they keep the target once
    aliases_moving: int  # aliases of the merged topics, which follow them

    @property
    def approves_target(self) -> bool:
        return self.target.status != Topic.Status.APPROVED


@dataclass(frozen=True)
class MergeResult:
    target: Topic
    merged: list[Topic]
    links_added: int
    links_removed: int


def plan_merge(target: Topic, sources: Iterable[Topic]) -> MergePlan:
    """Describe a merge without changing anything (a few queries, none per story)."""
    source_ids = sorted({topic.pk for topic in sources} - {target.pk})
    on_target = ArticleTopic.objects.filter(tag=target, content_object=OuterRef("content_object"))
    shared = (
        ArticleTopic.objects.filter(Exists(on_target), tag=OuterRef("pk"))
        .order_by()
        .values("tag")
        .annotate(n=Count("pk"))
        .values("n")
    )
    annotated = list(
        with_usage(Topic.objects.filter(pk__in=source_ids))
        .annotate(
            shared_with_target=Coalesce(Subquery(shared, output_field=IntegerField()), 0),
            alias_count=Count("aliases"),
        )
        .order_by("name")
    )
    stats = ArticleTopic.objects.filter(tag__in=source_ids).aggregate(
        stories=Count("content_object", distinct=True),
        already=Count("content_object", distinct=True, filter=Q(Exists(on_target))),
    )
    return MergePlan(
        target=target,
        sources=annotated,
        stories_to_retag=stats["stories"] - stats["already"],
        stories_already_tagged=stats["already"],
        aliases_moving=sum(topic.alias_count for topic in annotated),
    )


def merge(user, target: Topic, sources: Iterable[Topic]) -> MergeResult:
    """Merge `sources` into `target`, in one transaction of set-based statements.

    Every story tagged with a merged topic ends up tagged once with the target;
    the merged names become aliases of the target and their slugs answer 301 to
    its page and feeds; their own aliases and old slugs follow. A pending target
    is approved: a moderator chose it as the topic to keep. A rejected one is refused.
    """
    check_permission(user)
    source_ids = sorted({topic.pk for topic in sources} - {target.pk})
    if not source_ids:
        raise ValidationError(_("Choose at least one topic to merge into the target."))
    with transaction.atomic():
        locked = {
            topic.pk: topic
            for topic in Topic.objects.select_for_update()
            .filter(pk__in=[target.pk, *source_ids])
            # Whether names in other languages move: no statement for them when none do.
            .annotate(named=Exists(TopicName.objects.filter(topic=OuterRef("pk"))))
            .order_by("pk")
        }
        if len(locked) != len(source_ids) + 1:
            raise ValidationError(_("Some of these topics no longer exist; reload and try again."))
        target, merged = locked[target.pk], [locked[pk] for pk in source_ids]
        if target.status == Topic.Status.REJECTED:
            raise ValidationError(_("A rejected topic cannot be the one kept; pick another."))
        links_added, links_removed = _move_links(target, source_ids)
        _move_other_links(target, source_ids)
        _follow_target(target, merged)
        _move_names(target, merged, user)
        Topic.objects.filter(pk__in=source_ids).delete()
        _keep_names(target, merged, user)
        # Stories that carried only the target while it was pending show it from now on.
        shown = [target.pk] if target.status != Topic.Status.APPROVED else []
        if target.status != Topic.Status.APPROVED:
            Topic.objects.filter(pk=target.pk).update(status=Topic.Status.APPROVED)
            target.status = Topic.Status.APPROVED
        _record(
            user,
            Action.MERGED,
            target,
            _(
                "Merged %(names)s into “%(target)s”: %(added)s stories newly tagged with it, "
                "%(removed)s links to the merged topics removed."
            )
            % {
                "names": _names(merged),
                "target": target.name,
                "added": links_added,
                "removed": links_removed,
            },
            merged=[{"id": t.pk, "name": t.name, "slug": t.slug} for t in merged],
            links_added=links_added,
            links_removed=links_removed,
        ).save()
        _topics_changed([target.pk, *source_ids], shown_ids=shown)
    logger.info("%s merged %s into “%s”", user, _names(merged), target.name)
    return MergeResult(target, merged, links_added, links_removed)


def _move_links(target: Topic, source_ids: list[int]) -> tuple[int, int]:
    """Tag every story of the merged topics with the target, once; drop their own links.

    Two statements whatever the number of stories. One link per story not yet
    tagged with the target is moved to it (an UPDATE: the story's id and
    publish time stay, so neither its foreign key nor the topic stream has
    anything to check again); the rest (a story tagged with the target already,
    or with two merged topics) are deleted. Returns (links moved, links of the
    merged topics removed, moved ones included).
    """
    links = connection.ops.quote_name(ArticleTopic._meta.db_table)
    # A story's first link to a merged topic moves, unless it has the target. A story
    # links to a topic once at most: with one merged topic, every link is the first.
    first_only, first_params = "", []
    if len(source_ids) > 1:
        first_only = (
            f"AND NOT EXISTS (SELECT 1 FROM {links} AS earlier "  # noqa: S608
            "  WHERE earlier.content_object_id = link.content_object_id "
            "  AND earlier.tag_id = ANY(%s::bigint[]) AND earlier.id < link.id)"
        )
        first_params = [source_ids]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {links} AS link SET tag_id = %s "  # noqa: S608
            "WHERE link.tag_id = ANY(%s::bigint[]) "
            f"AND NOT EXISTS (SELECT 1 FROM {links} AS kept "
            "  WHERE kept.content_object_id = link.content_object_id AND kept.tag_id = %s) "
            + first_only,
            [target.pk, source_ids, target.pk, *first_params],
        )
        moved = cursor.rowcount
        cursor.execute(f"DELETE FROM {links} WHERE tag_id = ANY(%s::bigint[])", [source_ids])  # noqa: S608
        return moved, moved + cursor.rowcount


def _move_other_links(target: Topic, source_ids: list[int]) -> None:
    """Do the same for every other many-to-many link to topics (wire copy's, say).

    Found through the model registry, so what stands above topics needs no hook here.
    """
    for relation in Topic._meta.related_objects:
        through = getattr(relation, "through", None)
        if not relation.many_to_many or through is None or not through._meta.auto_created:
            continue
        topic_column = next(
            f.column for f in through._meta.fields if f.is_relation and f.related_model is Topic
        )
        other_column = next(
            f.column for f in through._meta.fields if f.is_relation and f.related_model is not Topic
        )
        table = connection.ops.quote_name(through._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({other_column}, {topic_column}) "  # noqa: S608
                f"SELECT DISTINCT {other_column}, %s FROM {table} "
                f"WHERE {topic_column} = ANY(%s::bigint[]) ON CONFLICT DO NOTHING",
                [target.pk, source_ids],
            )
            cursor.execute(
                f"DELETE FROM {table} WHERE {topic_column} = ANY(%s::bigint[])",  # noqa: S608
                [source_ids],
            )


def _follow_target(target: Topic, merged: list[Topic]) -> None:
    """Point the merged topics' aliases and old slugs at the target; their slugs too."""
    source_ids = [topic.pk for topic in merged]
    TopicAlias.objects.filter(topic__in=source_ids).update(topic=target)
    TopicRedirect.objects.filter(topic__in=source_ids).update(topic=target)
    TopicRedirect.objects.bulk_create(
        [TopicRedirect(old_slug=topic.slug, topic=target) for topic in merged],
        update_conflicts=True,
        unique_fields=["old_slug"],
        update_fields=["topic"],
    )


def _move_names(target: Topic, merged: list[Topic], user) -> None:
    """Give the target the merged topics' names in the languages it has no name in.

    The target keeps its own name in each language; in a language it has none
    in, the first merged topic's name there becomes its own, slug and all. The
    other merged names become its aliases in their language and their slugs
    answer 301. A few statements, whatever the number of names.
    """
    if not any(topic.named for topic in merged):
        return
    topic_ids = [target.pk, *[topic.pk for topic in merged]]
    names = list(TopicName.objects.filter(topic__in=topic_ids).order_by("language", "topic_id"))
    named = {name.language for name in names if name.topic_id == target.pk}
    moving, leaving = [], []
    for name in names:
        if name.topic_id == target.pk:
            continue
        if name.language in named:
            leaving.append(name)
        else:
            named.add(name.language)
            moving.append(name)
    TopicName.objects.filter(pk__in=[name.pk for name in moving]).update(topic=target)
    TopicAlias.objects.bulk_create(
        [
            TopicAlias(name=name.name, topic=target, language=name.language, created_by=user)
            for name in leaving
        ],
        ignore_conflicts=True,
    )
    # A merged topic's default slug already leads to the target (`_follow_target`).
    slugs = {name.slug for name in leaving} - {topic.slug for topic in merged}
    TopicRedirect.objects.bulk_create(
        [TopicRedirect(old_slug=slug, topic=target) for slug in sorted(slugs)],
        update_conflicts=True,
        unique_fields=["old_slug"],
        update_fields=["topic"],
    )


def _keep_names(target: Topic, merged: list[Topic], user) -> None:
    """Make the merged names aliases of the target, so tagging with them finds it.

    Each in its language: the merged topics' own names are the default language's.
    """
    TopicAlias.objects.bulk_create(
        [
            TopicAlias(
                name=topic.name, topic=target, language=settings.LANGUAGE_CODE, created_by=user
            )
            for topic in merged
        ],
        ignore_conflicts=True,
    )
